import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Coverage } from '../../components/discovery/Coverage';
import { DiscoveryTabs } from '../../components/discovery/DiscoveryTabs';
import { Loading } from '../../components/ui/States';
import { requirePage } from '../_lib/auth';

export const metadata: Metadata = { title: 'Discovery · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function DiscoveryPage() {
  await requirePage('map:read', '/discovery');
  return (
    <main>
      <h1>Discovery</h1>
      <Suspense fallback={null}>
        <DiscoveryTabs />
      </Suspense>
      <Suspense fallback={<Loading what="Measuring coverage" />}>
        <Coverage />
      </Suspense>
    </main>
  );
}
