'use client';
// Bulk import of inventory from the browser: a file in Bulkhead's JSON format, checked with a
// dry run first, then applied through POST /api/v1/inventory. CSV and the exports of vCenter,
// Kubernetes and EC2 go through `bulkhead import inventory`, whose adapters read those formats
// (the web app does not carry a second copy of them).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshAfterChange } from '../api/refresh';
import { useId, useState } from 'react';
import { apiSend } from '../api/client';
import { num } from '../format';
import { ErrorBox } from '../ui/States';

interface ApplyResult {
  dryRun: boolean;
  errors: Array<{ where: string; reason: string }>;
  workloads: { created: number; updated: number; unchanged?: number };
  bindings: { opened: number; moved: number; closed: number };
  labels: { set: number; unchanged: number; keptUser: number };
  refused: Array<{ name: string; reason: string }>;
}

export function InventoryImport({ onDone }: { onDone?: () => void }) {
  const id = useId();
  const qc = useQueryClient();
  const [file, setFile] = useState<{ name: string; workloads: unknown[]; errors: string[] } | null>(null);
  const [source, setSource] = useState('upload');
  const [readError, setReadError] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: (dryRun: boolean) => apiSend<ApplyResult>('POST', '/api/v1/inventory', { source, dryRun, workloads: file!.workloads }),
    onSuccess: async (r) => {
      if (!r.dryRun) {
        await refreshAfterChange(qc);
        onDone?.();
      }
    },
  });

  const read = async (f: File) => {
    setReadError(null);
    run.reset();
    const text = await f.text();
    try {
      const doc = JSON.parse(text) as unknown;
      const list = Array.isArray(doc) ? doc : (doc as { workloads?: unknown[] }).workloads;
      if (!Array.isArray(list)) throw new Error('expected an array of workloads, or { "workloads": [...] }');
      setFile({ name: f.name, workloads: list, errors: [] });
    } catch (e) {
      setReadError(`${f.name}: ${(e as Error).message}`);
      setFile(null);
    }
  };

  const r = run.data;
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Import inventory</h2>
      <p className="muted">
        A JSON file of <code>{'[{ "name", "addresses": ["10.0.0.5" | { "ip", "from", "to" }], "labels": { "app": "…" } }]'}</code>. For CSV and for vCenter, Kubernetes and EC2
        exports use <code>npx bulkhead import inventory FILE</code>. Labels set by people are never overwritten.
      </p>
      <div className="filters-row">
        <label>
          File
          <input type="file" accept=".json,application/json" onChange={(e) => e.target.files?.[0] && void read(e.target.files[0])} />
        </label>
        <label>
          Source name
          <input value={source} onChange={(e) => setSource(e.target.value)} pattern="[a-z0-9][a-z0-9_.\-]{0,59}" />
        </label>
      </div>
      {readError && <ErrorBox error={readError} />}
      {file && (
        <>
          <p>
            {file.name}: {num(file.workloads.length)} workloads.
            {file.errors.length > 0 && ` ${file.errors.length} problems: ${file.errors.slice(0, 3).join('; ')}`}
          </p>
          <p className="actions">
            <button type="button" className="btn btn-secondary" disabled={run.isPending || !file.workloads.length} onClick={() => run.mutate(true)}>
              Check (dry run)
            </button>
            <button type="button" className="btn" disabled={run.isPending || !file.workloads.length} onClick={() => run.mutate(false)}>
              Import {num(file.workloads.length)} workloads
            </button>
          </p>
        </>
      )}
      {run.isPending && (
        <p role="status" className="muted">
          Working…
        </p>
      )}
      {run.error && <ErrorBox error={run.error} />}
      {r && (
        <div role="status" className={r.errors.length || r.refused.length ? 'warning' : 'notice'}>
          <strong>{r.dryRun ? 'Dry run (nothing changed):' : 'Imported:'}</strong> {num(r.workloads.created)} new and {num(r.workloads.updated)} updated workloads; addresses{' '}
          {num(r.bindings.opened)} bound, {num(r.bindings.moved)} moved, {num(r.bindings.closed)} released; {num(r.labels.set)} labels set ({num(r.labels.keptUser)} set by people kept).
          {(r.errors.length > 0 || r.refused.length > 0) && (
            <ul>
              {[...r.errors.map((e) => `${e.where}: ${e.reason}`), ...r.refused.map((x) => `${x.name}: ${x.reason}`)].slice(0, 10).map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
