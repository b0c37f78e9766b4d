import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Simulation } from '../../components/policy/Simulation';
import { Loading } from '../../components/ui/States';
import { requirePage } from '../_lib/auth';

export const metadata: Metadata = { title: 'Simulation · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function SimulationPage() {
  await requirePage('map:read', '/simulation');
  return (
    <main>
      <h1>Simulation</h1>
      <p className="lede">Prove what a policy would block before anyone enforces it: every observed connection of the window, judged by the rules.</p>
      <Suspense fallback={<Loading what="Loading" />}>
        <Simulation />
      </Suspense>
    </main>
  );
}
