// Blast radius: what a workload can reach if it is compromised, under the flat network (every
// workload reaches every other on every port) and under a policy, in one hop and over any number
// of hops (lateral movement: from what it reaches, what that reaches, and so on).
//
// Reach is counted in workloads. One hop: the union, over the rules whose `from` selects the
// workload, of the workloads their `to` selects. Multi-hop: the transitive closure of that
// relation, computed once for every workload on the condensation of the reach graph (strongly
// connected components, Tarjan) with bitsets (./reach.ts), so a few thousand workloads take
// milliseconds. graphology is not used here: the graph can have millions of edges (one rule
// "every workload -> DNS" alone is N edges) and bit rows are both smaller and faster than an
// object graph. blastRadius computes reach, then each part of the answer is its own step.
//
// With enforcement states (opts.states) reach is what the exported files do today: a host drops
// what no rule allows only when its application is enforced (test logs, visibility does nothing),
// on either end of a conversation, as simulation decides (./simulate-sql.ts). So a workload
// whose application is not enforced also reaches every other such workload, whatever the rules.
import { formatPorts, formatSelector, isLabels, type PortSpec, type Selector } from './model';
import type { PolicyView } from './labels';
import { Bits, multiHopReach, oneHopReach, type OneHop } from './reach';
import type { PolicyWorkload } from './selectors';
import { stateOf } from './simulate-rules';
import type { SimulateOptions } from './simulate-types';

export interface BlastRule {
  id: string;
  from: Selector;
  to: Selector;
  ports: PortSpec[];
}

export interface ReachStats {
  /** mean, median and max workloads reachable */
  mean: number;
  median: number;
  max: number;
}

export interface BlastResult {
  policy: string;
  rules: number;
  workloads: number;
  flat: { oneHop: number; multiHop: number };
  oneHop: ReachStats;
  multiHop: ReachStats;
  /** 1 - mean reach under the policy / mean reach under the flat network */
  reduction: { oneHop: number; multiHop: number };
  applications: Array<{ application: string; workloads: number; oneHop: number; multiHop: number; reductionOneHop: number; reductionMultiHop: number }>;
  /** the workloads that reach the most (jump hosts and agents' collectors usually) */
  widest: Array<{ id: string; name: string; oneHop: number; multiHop: number }>;
  /** outside sources (CIDR and any selectors) and how many workloads each reaches in one hop */
  external: Array<{ source: string; reach: number }>;
  workload?: WorkloadBlast;
}

export interface WorkloadBlast {
  id: string;
  name: string;
  labels: Record<string, string>;
  oneHop: Array<{ id: string; name: string; ports: string[]; rules: string[] }>;
  /** every workload reachable, with the fewest hops and one path */
  multiHop: Array<{ id: string; name: string; hops: number; path: string[] }>;
  /** rules that let others reach this workload, and how many workloads they let in (one hop) */
  reachableFrom: number;
}

const stats = (xs: number[]): ReachStats => {
  if (!xs.length) return { mean: 0, median: 0, max: 0 };
  const s = [...xs].sort((a, b) => a - b);
  return { mean: s.reduce((a, b) => a + b, 0) / s.length, median: s[Math.floor((s.length - 1) / 2)]!, max: s[s.length - 1]! };
};

export function blastRadius(
  rules: readonly BlastRule[],
  view: PolicyView,
  opts: { policy?: string; workload?: string; widest?: number; states?: SimulateOptions['states'] } = {},
): BlastResult {
  const ws = view.workloads;
  const n = ws.length;
  const reach = oneHopReach(rules, ws);
  if (opts.states) openWhereNotEnforced(reach.adj, ws, opts.states);
  const one = reach.adj.map((b) => b.count());
  const { succ, multi } = multiHopReach(reach.adj);
  const flat = Math.max(0, n - 1);
  const oneHop = stats(one);
  const multiHop = stats(multi);
  const result: BlastResult = {
    policy: opts.policy ?? 'policy',
    rules: rules.length,
    workloads: n,
    flat: { oneHop: flat, multiHop: flat },
    oneHop,
    multiHop,
    reduction: { oneHop: reduction(oneHop.mean, flat), multiHop: reduction(multiHop.mean, flat) },
    applications: applicationReach(ws, one, multi, flat),
    widest: widestReach(ws, one, multi, opts.widest ?? 10),
    external: externalReach(rules, reach.ruleTo, n),
  };
  if (opts.workload) {
    const w = view.byId.get(opts.workload) ?? view.byName.get(opts.workload);
    if (w) result.workload = workloadBlast(ws, w, rules, reach, succ);
  }
  return result;
}

/** Adds to each workload that does not enforce every other workload that does not either: no host drops their traffic. */
export function openWhereNotEnforced(adj: Bits[], ws: readonly PolicyWorkload[], states: NonNullable<SimulateOptions['states']>): void {
  const state = stateOf(states);
  const open = new Bits(ws.length);
  ws.forEach((w, i) => state(w.labels) !== 'enforced' && open.set(i));
  ws.forEach((_, i) => {
    if (!open.has(i)) return;
    adj[i]!.or(open);
    adj[i]!.clear(i);
  });
}

/** 1 - reach / the flat network's reach (0 when there is nothing to reach). */
export const reduction = (x: number, flat: number) => (flat ? 1 - x / flat : 0);

/** Mean reach per application (app@env labels; "(no application)" otherwise), widest first. */
export function applicationReach(ws: readonly PolicyWorkload[], one: readonly number[], multi: readonly number[], flat: number): BlastResult['applications'] {
  const byApp = new Map<string, number[]>();
  ws.forEach((w, i) => {
    const app = w.labels.app ? (w.labels.env ? `${w.labels.app}@${w.labels.env}` : w.labels.app) : '(no application)';
    let a = byApp.get(app);
    if (!a) byApp.set(app, (a = []));
    a.push(i);
  });
  return [...byApp]
    .map(([application, idx]) => {
      const o = idx.reduce((s, i) => s + one[i]!, 0) / idx.length;
      const m = idx.reduce((s, i) => s + multi[i]!, 0) / idx.length;
      return { application, workloads: idx.length, oneHop: o, multiHop: m, reductionOneHop: reduction(o, flat), reductionMultiHop: reduction(m, flat) };
    })
    .sort((a, b) => b.oneHop - a.oneHop || a.application.localeCompare(b.application));
}

/** The `limit` workloads that reach the most. */
export function widestReach(ws: readonly PolicyWorkload[], one: readonly number[], multi: readonly number[], limit: number): BlastResult['widest'] {
  return ws
    .map((w, i) => ({ id: w.id, name: w.name, oneHop: one[i]!, multiHop: multi[i]! }))
    .sort((a, b) => b.oneHop - a.oneHop || b.multiHop - a.multiHop || a.name.localeCompare(b.name))
    .slice(0, limit);
}

/** Outside sources (rules whose `from` is a CIDR or any) and how many workloads each reaches, widest first. */
export function externalReach(rules: readonly BlastRule[], ruleTo: readonly Bits[], n: number): BlastResult['external'] {
  const external = new Map<string, Bits>();
  rules.forEach((r, k) => {
    if (isLabels(r.from)) return;
    const key = formatSelector(r.from);
    const b = external.get(key) ?? new Bits(n);
    b.or(ruleTo[k]!);
    external.set(key, b);
  });
  return [...external].map(([source, b]) => ({ source, reach: b.count() })).sort((a, b) => b.reach - a.reach || a.source.localeCompare(b.source));
}

/** One workload's reach: what it reaches in one hop (ports, rules), every workload it reaches with the fewest hops and a path, and how many reach it. */
export function workloadBlast(ws: readonly PolicyWorkload[], w: PolicyWorkload, rules: readonly BlastRule[], reach: OneHop, succ: readonly number[][]): WorkloadBlast {
  const n = ws.length;
  const i = reach.index.get(w.id)!;
  const ports = new Map<number, { ports: Set<string>; rules: Set<string> }>();
  rules.forEach((r, k) => {
    if (!reach.ruleFrom[k]!.has(i)) return;
    for (const j of reach.ruleTo[k]!.each()) {
      if (j === i) continue;
      let p = ports.get(j);
      if (!p) ports.set(j, (p = { ports: new Set(), rules: new Set() }));
      for (const x of r.ports) p.ports.add(formatPorts([x]));
      p.rules.add(r.id);
    }
  });
  // reached because neither end enforces (opts.states): no rule, nothing dropped
  for (const j of reach.adj[i]!.each()) if (!ports.has(j)) ports.set(j, { ports: new Set(['any']), rules: new Set() });
  // breadth-first from the workload for hop counts and one path each
  const hops = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  hops[i] = 0;
  const queue = [i];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (const u of succ[v]!) {
      if (hops[u] !== -1) continue;
      hops[u] = hops[v]! + 1;
      prev[u] = v;
      queue.push(u);
    }
  }
  const path = (j: number) => {
    const p: string[] = [];
    for (let v = j; v !== -1; v = prev[v]!) p.unshift(ws[v]!.name);
    return p;
  };
  let reachableFrom = 0;
  for (let j = 0; j < n; j++) if (j !== i && reach.adj[j]!.has(i)) reachableFrom++;
  return {
    id: w.id,
    name: w.name,
    labels: w.labels,
    oneHop: [...ports].map(([j, p]) => ({ id: ws[j]!.id, name: ws[j]!.name, ports: [...p.ports].sort(), rules: [...p.rules] })).sort((a, b) => a.name.localeCompare(b.name)),
    multiHop: queue
      .slice(1)
      .map((j) => ({ id: ws[j]!.id, name: ws[j]!.name, hops: hops[j]!, path: path(j) }))
      .sort((a, b) => a.hops - b.hops || a.name.localeCompare(b.name)),
    reachableFrom,
  };
}
