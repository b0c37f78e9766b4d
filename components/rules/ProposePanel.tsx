'use client';
// New proposals from discovery: the window, how fine application rules are (granularity) and
// how ports are generalised; a dry run shows what would be proposed without saving it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshAfterChange } from '../api/refresh';
import { useEffect, useState } from 'react';
import { apiSend } from '../api/client';
import { duration, num } from '../format';
import { ErrorBox } from '../ui/States';

interface ProposeRun {
  window: { from: string; to: string };
  analysis: { workloads: number; applications: number; edges: number; scanners: string[]; notes: string[]; converged: boolean; ms: number };
  proposals: { rules: Array<{ kind: string; rule: string }> };
  saved: { created: number; updated: number; unchanged: number; reopened: number; superseded: number; coveredByApproved: number; keptRejected: number; keptEdited: number; proposed: number } | null;
}

export function ProposePanel() {
  const qc = useQueryClient();
  const [days, setDays] = useState(30);
  const [granularity, setGranularity] = useState('role');
  const [ports, setPorts] = useState('exact');
  const [dryRun, setDryRun] = useState(false);
  const [started, setStarted] = useState<number | null>(null);
  const [, tick] = useState(0);
  const run = useMutation({
    mutationFn: () => apiSend<ProposeRun>('POST', '/api/v1/proposals', { days, granularity, ports, dryRun }),
    onMutate: () => setStarted(Date.now()),
    onSuccess: async (r) => {
      if (r.saved) await refreshAfterChange(qc);
    },
  });
  useEffect(() => {
    if (!run.isPending) return;
    const t = setInterval(() => tick((x) => x + 1), 500);
    return () => clearInterval(t);
  }, [run.isPending]);
  const r = run.data;
  const kinds = r ? Object.entries(r.proposals.rules.reduce<Record<string, number>>((m, x) => ({ ...m, [x.kind]: (m[x.kind] ?? 0) + 1 }), {})) : [];
  return (
    <details className="card">
      <summary>
        <h2 style={{ display: 'inline' }}>Propose rules from discovery</h2>
      </summary>
      <form
        className="filters-row"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <label>
          Window (days up to now)
          <input type="number" min={1} max={400} value={days} onChange={(e) => setDays(Number(e.target.value))} />
        </label>
        <label>
          Granularity
          <select value={granularity} onChange={(e) => setGranularity(e.target.value)}>
            <option value="environment">environment</option>
            <option value="application">application</option>
            <option value="role">role (tiers)</option>
            <option value="workload">workload</option>
          </select>
        </label>
        <label>
          Ports
          <select value={ports} onChange={(e) => setPorts(e.target.value)}>
            <option value="exact">exact observed ports</option>
            <option value="ranges">nearby ports as ranges</option>
            <option value="protocol">every port of the protocol</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> dry run (do not save)
        </label>
        <button type="submit" className="btn" disabled={run.isPending}>
          {run.isPending ? 'Proposing…' : 'Propose'}
        </button>
      </form>
      <p className="muted">Re-proposing updates open proposals, never duplicates them, and never changes approved or rejected rules.</p>
      {run.isPending && started && (
        <div className="state state-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          <div>
            <strong>Running discovery over {days} days and proposing rules…</strong>
            <div className="muted">{duration(Date.now() - started)}</div>
          </div>
        </div>
      )}
      {run.error && <ErrorBox error={run.error} />}
      {r && (
        <div role="status" className="notice">
          <p>
            {r.saved ? 'Saved' : 'Dry run'}: {num(r.proposals.rules.length)} rules from {num(r.analysis.edges)} dependencies of {num(r.analysis.workloads)} workloads (
            {kinds.map(([k, n]) => `${n} ${k}`).join(', ')}).
          </p>
          {r.saved && (
            <p>
              {num(r.saved.created)} new, {num(r.saved.updated)} updated, {num(r.saved.reopened)} reopened, {num(r.saved.superseded)} superseded; {num(r.saved.coveredByApproved)} already allowed by
              approved rules, {num(r.saved.keptRejected)} left rejected, {num(r.saved.keptEdited)} edited by people kept. Open proposals: {num(r.saved.proposed)}.
            </p>
          )}
          {r.analysis.scanners.length > 0 && <p>Scanners never get rules: {r.analysis.scanners.join(', ')}.</p>}
          {!r.analysis.converged && <p className="warning">Discovery has not converged over this window: approve with care.</p>}
        </div>
      )}
    </details>
  );
}
