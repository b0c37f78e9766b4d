import type { Metadata } from 'next';
import { Suspense } from 'react';
import { roleAllows } from '../../lib/auth/permissions';
import { RulesReview } from '../../components/rules/RulesReview';
import { Loading } from '../../components/ui/States';
import { requirePage } from '../_lib/auth';

export const metadata: Metadata = { title: 'Rules · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function RulesPage() {
  const a = await requirePage('map:read', '/rules');
  return (
    <main>
      <h1>Rules</h1>
      <p className="lede">
        The allow-list proposed from the dependency map: everything not allowed is denied. Application owners review their applications’ rules with the evidence behind each;
        approve, reject, or narrow with a comment; set an expiry on a temporary exception.
      </p>
      <Suspense fallback={<Loading what="Loading the rules" />}>
        <RulesReview role={a.principal.role} canPropose={roleAllows(a.principal.role, 'rules:propose')} />
      </Suspense>
    </main>
  );
}
