import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DiscoveryTabs } from '../../../components/discovery/DiscoveryTabs';
import { Imports } from '../../../components/discovery/Imports';
import { requirePage } from '../../_lib/auth';

export const metadata: Metadata = { title: 'Imports · Discovery · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function Page() {
  await requirePage('map:read', '/discovery/imports');
  return (
    <main>
      <h1>Discovery</h1>
      <Suspense fallback={null}>
        <DiscoveryTabs />
      </Suspense>
      <Imports />
    </main>
  );
}
