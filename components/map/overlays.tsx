'use client';
// Overlays on the map: the policy verdict of every dependency (allowed, proposed only, would be
// blocked, no rule yet), or the blast radius of one workload under the proposed or approved
// policy (what it reaches in one hop and over several).
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { apiGet } from '../api/client';
import type { MapData } from '../data/map';
import { edgeKey, type BlastReport, type PolicyOverlay, type Verdict } from '../data/overlay';
import { num } from '../format';
import { ErrorBox, Loading } from '../ui/States';
import { useUrlState } from '../url-state';
import { windowParams, type WindowSpec } from '../window';
import { POLICY_LEGEND } from './style';
import type { MapView, ViewEdge } from './view';

export interface Overlay {
  kind: 'none' | 'policy' | 'blast';
  classes: Record<string, string>;
  policy: { data: PolicyOverlay | null; loading: boolean; error: unknown; verdictOf(edge: ViewEdge): Record<Verdict, number> } | null;
  blast: { workload: string | null; which: 'approved' | 'proposed'; data: BlastReport | null; loading: boolean; error: unknown } | null;
}

const ORDER: Verdict[] = ['blocked', 'norule', 'proposed', 'allowed'];

export function useOverlay({ data, view, window: win }: { data: MapData | null; view: MapView | null; window: WindowSpec }): Overlay {
  const url = useUrlState();
  const kindParam = url.get('overlay');
  const kind: Overlay['kind'] = kindParam === 'policy' || kindParam === 'blast' ? kindParam : 'none';
  const bw = url.get('bw');
  const which = url.get('bp') === 'approved' ? 'approved' : 'proposed';

  const policyQ = useQuery({
    queryKey: ['map-policy', windowParams(win)],
    queryFn: ({ signal }) => apiGet<PolicyOverlay>('/api/v1/map/policy', windowParams(win), signal),
    enabled: kind === 'policy' && !!data,
    staleTime: 30_000,
  });
  const blastQ = useQuery({
    queryKey: ['blast-radius', bw],
    queryFn: ({ signal }) => apiGet<BlastReport>('/api/v1/blast-radius', { workload: bw }, signal),
    enabled: kind === 'blast' && !!bw,
    staleTime: 30_000,
  });

  const verdictOf = useMemo(() => {
    const verdicts = policyQ.data?.verdicts;
    return (edge: ViewEdge) => {
      const c: Record<Verdict, number> = { allowed: 0, proposed: 0, blocked: 0, norule: 0 };
      if (!verdicts || !data) return c;
      for (const i of edge.members) c[verdicts[edgeKey(data.edges[i]!)] ?? 'norule']++;
      return c;
    };
  }, [policyQ.data, data]);

  const classes = useMemo(() => {
    const out: Record<string, string> = {};
    if (!view) return out;
    if (kind === 'policy' && policyQ.data) {
      for (const e of view.edges) {
        const c = verdictOf(e);
        const worst = ORDER.find((v) => c[v] > 0) ?? 'norule';
        out[e.id] = `p-${worst}`;
      }
    }
    const wb = blastQ.data?.[which].workload;
    if (kind === 'blast' && wb) {
      const reached = new Set<string>();
      for (const r of wb.multiHop) {
        const rep = view.rep[r.id];
        if (rep) reached.add(rep);
      }
      const source = view.rep[wb.id];
      for (const n of view.nodes) {
        if (n.group && !n.collapsed) continue;
        out[n.id] = n.id === source ? 'b-source' : reached.has(n.id) ? 'b-reached' : 'b-unreached';
      }
    }
    return out;
  }, [kind, view, policyQ.data, blastQ.data, verdictOf, which]);

  return {
    kind,
    classes,
    policy: kind === 'policy' ? { data: policyQ.data ?? null, loading: policyQ.isLoading, error: policyQ.error, verdictOf } : null,
    blast: kind === 'blast' ? { workload: bw, which, data: blastQ.data ?? null, loading: blastQ.isFetching, error: blastQ.error } : null,
  };
}

export function OverlayControls({ overlay }: { overlay: Overlay }) {
  const url = useUrlState();
  return (
    <fieldset className="overlay-picker">
      <legend>Overlay</legend>
      <div className="segmented" role="group" aria-label="Overlay">
        {(
          [
            ['none', 'None'],
            ['policy', 'Policy'],
            ['blast', 'Blast radius'],
          ] as const
        ).map(([k, label]) => (
          <button key={k} type="button" aria-pressed={overlay.kind === k} onClick={() => url.set({ overlay: k === 'none' ? null : k })}>
            {label}
          </button>
        ))}
      </div>
      {overlay.kind === 'blast' && (
        <div className="segmented" role="group" aria-label="Policy for the blast radius">
          {(['proposed', 'approved'] as const).map((p) => (
            <button key={p} type="button" aria-pressed={overlay.blast?.which === p} onClick={() => url.set({ bp: p })}>
              under {p}
            </button>
          ))}
        </div>
      )}
    </fieldset>
  );
}

/** Overlay facts in the panel of a selected node. */
export function OverlayNodeDetails({ overlay, nodeId }: { overlay: Overlay; nodeId: string }) {
  const url = useUrlState();
  if (overlay.kind !== 'blast') return null;
  const b = overlay.blast!;
  const isWorkload = nodeId.startsWith('w:');
  return (
    <section className="overlay-box" aria-label="Blast radius">
      <h3>Blast radius</h3>
      {isWorkload && b.workload !== nodeId.slice(2) && (
        <button type="button" className="btn btn-small" onClick={() => url.set({ bw: nodeId.slice(2) })}>
          Show what this workload reaches
        </button>
      )}
      {!b.workload && !isWorkload && <p className="muted">Select a workload (expand an application, or use Find) to see what it can reach.</p>}
      {b.error ? <ErrorBox error={b.error} /> : null}
      {b.loading && <Loading what="Computing its reach" />}
      {b.data && (!isWorkload || b.workload === nodeId.slice(2)) && <BlastSummary data={b.data} which={b.which} />}
    </section>
  );
}

export function BlastSummary({ data, which }: { data: BlastReport; which: 'approved' | 'proposed' }) {
  const r = data[which];
  const w = r.workload;
  if (!w) return null;
  return (
    <div>
      <p>
        If <strong>{w.name}</strong> were compromised, under the {which} policy ({num(r.rules)} rules) it could reach <strong>{num(w.oneHop.length)}</strong> workloads directly and{' '}
        <strong>{num(w.multiHop.length)}</strong> by moving laterally; on a flat network, {num(Math.max(0, data.workloads - 1))}.
      </p>
      <p>
        <Link href={`/blast-radius?workload=${encodeURIComponent(w.id)}`}>Blast radius page</Link>
      </p>
    </div>
  );
}

/** Overlay facts in the panel of a selected dependency. */
export function OverlayEdgeDetails({ overlay, edge }: { overlay: Overlay; edge: ViewEdge }) {
  if (overlay.kind !== 'policy' || !overlay.policy) return null;
  const p = overlay.policy;
  if (p.error) return <ErrorBox error={p.error} />;
  if (!p.data) return <Loading what="Evaluating the rules" />;
  const c = p.verdictOf(edge);
  return (
    <section className="overlay-box" aria-label="Policy">
      <h3>Policy</h3>
      <ul className="plain">
        {POLICY_LEGEND.filter((l) => c[l.key] > 0).map((l) => (
          <li key={l.key}>
            <span className="swatch line" style={{ background: l.color }} aria-hidden="true" /> {num(c[l.key])} of {num(edge.members.length)} {l.label}
          </li>
        ))}
      </ul>
      {(c.blocked > 0 || c.norule > 0) && (
        <p>
          <Link href="/rules?status=proposed">Review the proposed rules</Link>
        </p>
      )}
    </section>
  );
}

/** The overlay's state under the toolbar: what is loading, what it found. */
export function OverlayStatus({ overlay }: { overlay: Overlay }) {
  if (overlay.kind === 'policy' && overlay.policy) {
    const p = overlay.policy;
    if (p.error) return <ErrorBox error={p.error} />;
    if (!p.data) return <Loading what="Evaluating the rules against the map" />;
    return (
      <p className="overlay-status">
        Policy: {num(p.data.rules.approved)} approved and {num(p.data.rules.proposed)} proposed rules · dependencies{' '}
        {POLICY_LEGEND.map((l) => `${num(p.data!.counts[l.key])} ${l.key === 'norule' ? 'without a rule' : l.key === 'blocked' ? 'would be blocked' : l.key}`).join(', ')}
        {p.data.rules.approved + p.data.rules.proposed === 0 && (
          <>
            {' '}
            · No rules yet: <code>npx bulkhead propose</code> or <Link href="/rules">the rules page</Link> proposes them from this map.
          </>
        )}
      </p>
    );
  }
  if (overlay.kind === 'blast' && overlay.blast) {
    const b = overlay.blast;
    if (!b.workload) return <p className="overlay-status">Blast radius: select a workload on the map (or with Find), then “Show what this workload reaches”.</p>;
    if (b.error) return <ErrorBox error={b.error} />;
    if (!b.data) return <Loading what="Computing the blast radius" />;
    return (
      <div className="overlay-status">
        <BlastSummary data={b.data} which={b.which} />
      </div>
    );
  }
  return null;
}
