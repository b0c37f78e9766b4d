// Blast radius: what a workload can reach if it is compromised, under the flat network (every
// workload reaches every other on every port) and under a policy, in one hop and over any number
// of hops (lateral movement: from what it reaches, what that reaches, and so on).
//
// Reach is counted in workloads. One hop: the union, over the rules whose `from` selects the
// workload, of the workloads their `to` selects. Multi-hop: the transitive closure of that
// relation, computed once for every workload on the condensation of the reach graph (strongly
// connected components, Tarjan) with bitsets, so a few thousand workloads take milliseconds.
// graphology is not used here: the graph can have millions of edges (one rule "every workload ->
// DNS" alone is N edges) and bit rows are both smaller and faster than an object graph.
import { formatPorts, formatSelector, isLabels, type PortSpec, type Selector } from './model';
import type { PolicyView } from './labels';
import { selectWorkloads } from './selectors';

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

class Bits {
  readonly w: Uint32Array;
  constructor(n: number) {
    this.w = new Uint32Array((n + 31) >>> 5);
  }
  set(i: number) {
    this.w[i >>> 5]! |= 1 << (i & 31);
  }
  clear(i: number) {
    this.w[i >>> 5]! &= ~(1 << (i & 31));
  }
  has(i: number) {
    return (this.w[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  or(o: Bits) {
    for (let k = 0; k < this.w.length; k++) this.w[k]! |= o.w[k]!;
  }
  count() {
    let c = 0;
    for (let k = 0; k < this.w.length; k++) {
      let v = this.w[k]!;
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      c += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return c;
  }
  *each() {
    for (let k = 0; k < this.w.length; k++) {
      let v = this.w[k]!;
      while (v) {
        const t = v & -v;
        yield (k << 5) + (31 - Math.clz32(t));
        v ^= t;
      }
    }
  }
}

const stats = (xs: number[]): ReachStats => {
  if (!xs.length) return { mean: 0, median: 0, max: 0 };
  const s = [...xs].sort((a, b) => a - b);
  return { mean: s.reduce((a, b) => a + b, 0) / s.length, median: s[Math.floor((s.length - 1) / 2)]!, max: s[s.length - 1]! };
};

export function blastRadius(rules: readonly BlastRule[], view: PolicyView, opts: { policy?: string; workload?: string; widest?: number } = {}): BlastResult {
  const ws = view.workloads;
  const n = ws.length;
  const index = new Map(ws.map((w, i) => [w.id, i]));
  const sideBits = (s: Selector) => {
    const b = new Bits(n);
    for (const w of selectWorkloads(s, ws)) b.set(index.get(w.id)!);
    return b;
  };
  // one hop
  const adj = ws.map(() => new Bits(n));
  const ruleFrom: Bits[] = [];
  const ruleTo: Bits[] = [];
  for (const r of rules) {
    const f = sideBits(r.from);
    const t = sideBits(r.to);
    ruleFrom.push(f);
    ruleTo.push(t);
    for (const i of f.each()) adj[i]!.or(t);
  }
  for (let i = 0; i < n; i++) adj[i]!.clear(i);
  const one = adj.map((b) => b.count());

  // multi-hop: Tarjan's strongly connected components (iterative), then reach per component in
  // the order Tarjan emits them (every component after all the ones it reaches)
  const comp = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const num = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const comps: number[][] = [];
  let counter = 0;
  const succ = adj.map((b) => [...b.each()]);
  for (let root = 0; root < n; root++) {
    if (num[root] !== -1) continue;
    const work: Array<[number, number]> = [[root, 0]];
    num[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const s = succ[v]!;
      if (i < s.length) {
        top[1]++;
        const u = s[i]!;
        if (num[u] === -1) {
          num[u] = low[u] = counter++;
          stack.push(u);
          onStack[u] = 1;
          work.push([u, 0]);
        } else if (onStack[u]) low[v] = Math.min(low[v]!, num[u]!);
        continue;
      }
      work.pop();
      if (work.length) {
        const p = work[work.length - 1]![0];
        low[p] = Math.min(low[p]!, low[v]!);
      }
      if (low[v] === num[v]) {
        const c: number[] = [];
        let u: number;
        do {
          u = stack.pop()!;
          onStack[u] = 0;
          comp[u] = comps.length;
          c.push(u);
        } while (u !== v);
        comps.push(c);
      }
    }
  }
  const reach: Bits[] = [];
  for (let ci = 0; ci < comps.length; ci++) {
    const b = new Bits(n);
    const c = comps[ci]!;
    const done = new Set<number>();
    for (const v of c) {
      b.or(adj[v]!);
      for (const u of succ[v]!) {
        const cu = comp[u]!;
        if (cu !== ci && !done.has(cu)) {
          done.add(cu);
          b.or(reach[cu]!);
        }
      }
    }
    if (c.length > 1) for (const v of c) b.set(v);
    reach.push(b);
  }
  const multi = ws.map((_, i) => {
    const b = reach[comp[i]!]!;
    return b.count() - (b.has(i) ? 1 : 0);
  });

  const flat = Math.max(0, n - 1);
  const red = (x: number) => (flat ? 1 - x / flat : 0);
  const oneHop = stats(one);
  const multiHop = stats(multi);

  const byApp = new Map<string, number[]>();
  ws.forEach((w, i) => {
    const app = w.labels.app ? (w.labels.env ? `${w.labels.app}@${w.labels.env}` : w.labels.app) : '(no application)';
    let a = byApp.get(app);
    if (!a) byApp.set(app, (a = []));
    a.push(i);
  });
  const applications = [...byApp]
    .map(([application, idx]) => {
      const o = idx.reduce((s, i) => s + one[i]!, 0) / idx.length;
      const m = idx.reduce((s, i) => s + multi[i]!, 0) / idx.length;
      return { application, workloads: idx.length, oneHop: o, multiHop: m, reductionOneHop: red(o), reductionMultiHop: red(m) };
    })
    .sort((a, b) => b.oneHop - a.oneHop || a.application.localeCompare(b.application));

  const widest = ws
    .map((w, i) => ({ id: w.id, name: w.name, oneHop: one[i]!, multiHop: multi[i]! }))
    .sort((a, b) => b.oneHop - a.oneHop || b.multiHop - a.multiHop || a.name.localeCompare(b.name))
    .slice(0, opts.widest ?? 10);

  const external = new Map<string, Bits>();
  rules.forEach((r, k) => {
    if (isLabels(r.from)) return;
    const key = formatSelector(r.from);
    const b = external.get(key) ?? new Bits(n);
    b.or(ruleTo[k]!);
    external.set(key, b);
  });

  const result: BlastResult = {
    policy: opts.policy ?? 'policy',
    rules: rules.length,
    workloads: n,
    flat: { oneHop: flat, multiHop: flat },
    oneHop,
    multiHop,
    reduction: { oneHop: red(oneHop.mean), multiHop: red(multiHop.mean) },
    applications,
    widest,
    external: [...external].map(([source, b]) => ({ source, reach: b.count() })).sort((a, b) => b.reach - a.reach || a.source.localeCompare(b.source)),
  };

  if (opts.workload) {
    const w = view.byId.get(opts.workload) ?? view.byName.get(opts.workload);
    if (w) {
      const i = index.get(w.id)!;
      const ports = new Map<number, { ports: Set<string>; rules: Set<string> }>();
      rules.forEach((r, k) => {
        if (!ruleFrom[k]!.has(i)) return;
        for (const j of ruleTo[k]!.each()) {
          if (j === i) continue;
          let p = ports.get(j);
          if (!p) ports.set(j, (p = { ports: new Set(), rules: new Set() }));
          for (const x of r.ports) p.ports.add(formatPorts([x]));
          p.rules.add(r.id);
        }
      });
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
      for (let j = 0; j < n; j++) if (j !== i && adj[j]!.has(i)) reachableFrom++;
      result.workload = {
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
  }
  return result;
}
