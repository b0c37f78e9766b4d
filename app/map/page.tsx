import type { Metadata } from 'next';
import { Suspense } from 'react';
import { MapNextStep } from '../../components/journey/MapNextStep';
import { MapExplorer } from '../../components/map/MapExplorer';
import { Loading } from '../../components/ui/States';
import { requirePage } from '../_lib/auth';

export const metadata: Metadata = { title: 'Dependency map · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function MapPage() {
  await requirePage('map:read', '/map');
  return (
    <main className="wide">
      <h1>Dependency map</h1>
      <Suspense fallback={<Loading what="Loading the dependency map" />}>
        <MapExplorer />
        <MapNextStep />
      </Suspense>
    </main>
  );
}
