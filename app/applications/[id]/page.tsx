import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { roleAllows } from '../../../lib/auth/permissions';
import { ApplicationDetail } from '../../../components/apps/ApplicationDetail';
import { Loading } from '../../../components/ui/States';
import { requirePage } from '../../_lib/auth';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).id)} · Applications · Bulkhead` };
}

export default async function ApplicationPage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await params).id);
  const a = await requirePage('map:read', `/applications/${encodeURIComponent(id)}`);
  return (
    <main>
      <p className="muted">
        <Link href="/applications">Applications</Link> /
      </p>
      <h1>{id}</h1>
      <Suspense fallback={<Loading what="Loading the application" />}>
        <ApplicationDetail
          id={id}
          canEdit={roleAllows(a.principal.role, 'inventory:write')}
          enforce={roleAllows(a.principal.role, 'policy:enforce') ? { every: a.principal.role === 'admin' || a.principal.role === 'architect', userId: a.principal.userId } : null}
        />
      </Suspense>
    </main>
  );
}
