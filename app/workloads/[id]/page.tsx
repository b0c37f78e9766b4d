import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { roleAllows } from '../../../lib/auth/permissions';
import { workloadName } from '../../../lib/read/apps';
import { WorkloadDetail } from '../../../components/apps/WorkloadDetail';
import { Loading } from '../../../components/ui/States';
import { requirePage } from '../../_lib/auth';

export const metadata: Metadata = { title: 'Workload · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function WorkloadPage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await params).id);
  const a = await requirePage('map:read', `/workloads/${encodeURIComponent(id)}`);
  const name = await workloadName(a.rt.db.prisma, id);
  return (
    <main>
      <p className="muted">
        <Link href="/workloads">Workloads</Link> /
      </p>
      <h1>{name ?? id}</h1>
      <Suspense fallback={<Loading what="Loading the workload" />}>
        <WorkloadDetail id={id} canEdit={roleAllows(a.principal.role, 'inventory:write')} />
      </Suspense>
    </main>
  );
}
