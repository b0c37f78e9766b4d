import type { Metadata } from 'next';
import { Suspense } from 'react';
import { roleAllows } from '../../lib/auth/permissions';
import { WorkloadsTable } from '../../components/apps/WorkloadsTable';
import { Loading } from '../../components/ui/States';
import { requirePage } from '../_lib/auth';

export const metadata: Metadata = { title: 'Workloads · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function WorkloadsPage() {
  const a = await requirePage('map:read', '/workloads');
  return (
    <main>
      <h1>Workloads</h1>
      <p className="lede">Every VM, instance, pod and host Bulkhead knows, from inventory imports and from flows, with its labels and what discovery infers from its traffic.</p>
      <Suspense fallback={<Loading what="Loading the workloads" />}>
        <WorkloadsTable canEdit={roleAllows(a.principal.role, 'inventory:write')} />
      </Suspense>
    </main>
  );
}
