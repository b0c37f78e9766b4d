import type { Metadata } from 'next';
import { Suspense } from 'react';
import { BlastRadius } from '../../components/policy/BlastRadius';
import { Loading } from '../../components/ui/States';
import { requirePage } from '../_lib/auth';

export const metadata: Metadata = { title: 'Blast radius · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function BlastRadiusPage() {
  await requirePage('map:read', '/blast-radius');
  return (
    <main>
      <h1>Blast radius</h1>
      <p className="lede">If an attacker took one workload, how far could they get? On a flat network, everywhere; under an allow-list, only where its rules lead.</p>
      <Suspense fallback={<Loading what="Loading" />}>
        <BlastRadius />
      </Suspense>
    </main>
  );
}
