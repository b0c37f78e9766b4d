// The simulation's answer assembled from the engine's aggregates: totals, coverage ratios (an
// empty denominator counts as fully covered), blocked dependencies with named endpoints, and
// each rule's hits in rule order.
import type { AnalysisWindow } from '../analysis/types';
import type { PolicyView } from './labels';
import type { SimEndpoint, SimRule, SimulateOptions, SimulationResult } from './simulate-types';
import type { Aggregates } from './simulate-sql';

/** An endpoint key of the engine ("w:<id>", "internet", "net:<name>", an address) named for people. */
export function simEndpoint(view: PolicyView, k: string): SimEndpoint {
  if (k.startsWith('w:')) {
    const id = k.slice(2);
    return { key: id, name: view.byId.get(id)?.name ?? id, kind: 'workload' };
  }
  if (k === 'internet') return { key: k, name: 'internet', kind: 'internet' };
  if (k.startsWith('net:')) return { key: k.slice(4), name: k.slice(4), kind: 'network' };
  return { key: k, name: k, kind: 'address' };
}

export function simulationResult(
  rules: readonly SimRule[],
  view: PolicyView,
  window: AnalysisWindow,
  opts: Pick<SimulateOptions, 'policyName' | 'enforcement' | 'states' | 'scanners'>,
  { tot, cov, apps, blockedRows, blockedTotal, hits, detail }: Aggregates,
  timings: SimulationResult['timings'],
): SimulationResult {
  const hitBy = new Map(hits.map((h) => [h.rid, h]));
  const ratio = (a: number, b: number) => (b ? a / b : 1);
  const flows = tot?.totalFlows ?? 0;
  const allowedFlows = tot?.allowedFlows ?? 0;
  return {
    policy: { name: opts.policyName ?? 'policy', rules: rules.length },
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    totals: {
      flows,
      bytes: tot?.totalBytes ?? 0,
      allowedFlows,
      allowedBytes: tot?.allowedBytes ?? 0,
      blockedFlows: tot?.blockedFlows ?? flows - allowedFlows,
      blockedBytes: tot?.blockedBytes ?? (tot?.totalBytes ?? 0) - (tot?.allowedBytes ?? 0),
      blockedAnsweredFlows: tot?.blockedAnsweredFlows ?? 0,
      loggedFlows: tot?.loggedFlows ?? 0,
    },
    scanners: opts.scanners
      ? { sources: tot?.scanSources ?? 0, flows: tot?.scanFlows ?? 0, blockedFlows: tot?.scanBlockedFlows ?? 0, blockedDependencies: tot?.scanBlockedDependencies ?? 0 }
      : null,
    enforcement: enforcementOf(opts),
    coverage: {
      connections: cov?.connections ?? 0,
      covered: cov?.covered ?? 0,
      ratio: ratio(cov?.covered ?? 0, cov?.connections ?? 0),
      answered: { connections: cov?.answeredConnections ?? 0, covered: cov?.answeredCovered ?? 0, ratio: ratio(cov?.answeredCovered ?? 0, cov?.answeredConnections ?? 0) },
    },
    applications: apps,
    blocked: blockedRows.map((b) => ({
      from: simEndpoint(view, b.ck),
      to: simEndpoint(view, b.sk),
      protocol: b.protocol,
      port: b.port,
      flows: b.depFlows,
      bytes: b.depBytes,
      failedFlows: Math.min(b.depFailed, b.depFlows),
      firstSeen: toIso(b.fs),
      lastSeen: toIso(b.ls),
      clientAddresses: b.cn,
      serverAddresses: b.sn,
      examples: b.ex.map(([client, server, f]) => ({ client, server, flows: f })),
    })),
    blockedDependencies: blockedTotal,
    ruleHits: rules.map((r, ri) => {
      const h = hitBy.get(ri);
      return { id: r.id, flows: h?.hitFlows ?? 0, bytes: h?.hitBytes ?? 0, lastHit: h ? toIso(h.last) : null };
    }),
    detail,
    timings,
  };
}

function enforcementOf(opts: Pick<SimulateOptions, 'enforcement' | 'states'>): SimulationResult['enforcement'] {
  const mode = opts.enforcement ?? 'all';
  if (mode === 'all') return { mode, enforced: [], test: [] };
  const named = (state: string) => (opts.states ?? []).filter((s) => s.state === state).map((s) => (s.environment ? `${s.application}@${s.environment}` : s.application)).sort();
  return { mode, enforced: named('enforced'), test: named('test') };
}

/** ClickHouse DateTime64 text (UTC) as ISO 8601. */
const toIso = (s: string) => new Date(`${s.replace(' ', 'T')}Z`).toISOString();
