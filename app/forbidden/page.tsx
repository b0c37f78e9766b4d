import type { Metadata } from 'next';
import Link from 'next/link';
import { PERMISSIONS, ROLE_DESCRIPTIONS, type Permission } from '../../lib/auth/permissions';
import { requirePage } from '../_lib/auth';

export const metadata: Metadata = { title: 'Not allowed · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const q = await searchParams;
  const a = await requirePage('account:manage', '/forbidden');
  const need = q.need && q.need in PERMISSIONS ? (q.need as Permission) : null;
  return (
    <main>
      <h1>Not allowed</h1>
      <section className="card" aria-labelledby="why-heading">
        <h2 id="why-heading">Your role does not include this</h2>
        <p>
          You are signed in as <strong>{a.principal.name}</strong> with the role <strong>{a.principal.role}</strong>: {ROLE_DESCRIPTIONS[a.principal.role]}.
        </p>
        {need && (
          <p>
            This page needs <code>{need}</code>, which the roles {PERMISSIONS[need].join(', ')} have.
          </p>
        )}
        <p>
          Ask an admin if you need more. <Link href="/">Home</Link> · <Link href="/account">Your account</Link>
        </p>
      </section>
    </main>
  );
}
