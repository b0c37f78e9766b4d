import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FlowsExplorer } from '../../components/flows/FlowsExplorer';
import { Loading } from '../../components/ui/States';
import { requirePage } from '../_lib/auth';

export const metadata: Metadata = { title: 'Flows · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function FlowsPage() {
  await requirePage('flows:read', '/flows');
  return (
    <main className="wide" style={{ maxWidth: '1600px', margin: '0 auto' }}>
      <h1>Flows</h1>
      <p className="lede">Raw flow records, newest first, oriented client → server, with the workload that held each address when the flow was seen.</p>
      <Suspense fallback={<Loading what="Reading flow records" />}>
        <FlowsExplorer />
      </Suspense>
    </main>
  );
}
