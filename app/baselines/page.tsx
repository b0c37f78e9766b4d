import type { Metadata } from 'next';
import { Suspense } from 'react';
import { roleAllows } from '../../lib/auth/permissions';
import { EXPORT_FORMATS, FORMAT_DESCRIPTIONS, writesDirectory } from '../../lib/export';
import { Baselines } from '../../components/policy/Baselines';
import { Loading } from '../../components/ui/States';
import { requirePage } from '../_lib/auth';

export const metadata: Metadata = { title: 'Baselines & export · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function BaselinesPage() {
  const a = await requirePage('map:read', '/baselines');
  const formats = EXPORT_FORMATS.map((id) => ({ id, description: FORMAT_DESCRIPTIONS[id], directory: writesDirectory(id) }));
  return (
    <main>
      <h1>Baselines &amp; export</h1>
      <p className="lede">Freeze the approved rules as a versioned baseline, compare versions, and export rules or a baseline to the enforcement points you run.</p>
      <Suspense fallback={<Loading what="Loading" />}>
        <Baselines formats={formats} canExport={roleAllows(a.principal.role, 'policy:export')} />
      </Suspense>
    </main>
  );
}
