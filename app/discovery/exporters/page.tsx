import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DiscoveryTabs } from '../../../components/discovery/DiscoveryTabs';
import { Exporters } from '../../../components/discovery/Exporters';
import { requirePage } from '../../_lib/auth';

export const metadata: Metadata = { title: 'Exporters · Discovery · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function Page() {
  await requirePage('map:read', '/discovery/exporters');
  return (
    <main>
      <h1>Discovery</h1>
      <Suspense fallback={null}>
        <DiscoveryTabs />
      </Suspense>
      <Exporters />
    </main>
  );
}
