import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ApplicationsTable } from '../../components/apps/ApplicationsTable';
import { Loading } from '../../components/ui/States';
import { requirePage } from '../_lib/auth';

export const metadata: Metadata = { title: 'Applications · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function ApplicationsPage() {
  await requirePage('map:read', '/applications');
  return (
    <main>
      <h1>Applications</h1>
      <p className="lede">
        What discovery grouped from the traffic between workloads, and from their labels and names. Labels always win; inferred groupings are suggestions until someone
        confirms them. Open an application to confirm, rename, merge or split it.
      </p>
      <Suspense fallback={<Loading what="Loading the applications" />}>
        <ApplicationsTable />
      </Suspense>
    </main>
  );
}
