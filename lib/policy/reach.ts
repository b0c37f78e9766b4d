// Reach between workloads as bit rows: who reaches whom in one hop under a set of rules (the
// union, over the rules whose `from` selects a workload, of what their `to` selects), and over
// any number of hops (the transitive closure, computed once for every workload on the
// condensation of the reach graph: strongly connected components, Tarjan, iterative).
import type { Selector } from './model';
import { selectWorkloads, type PolicyWorkload } from './selectors';

/** A fixed-size set of small integers (workload indexes). */
export class Bits {
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

export interface OneHop {
  /** workload id -> index in the workloads given */
  index: Map<string, number>;
  /** per workload: what it reaches in one hop (never itself) */
  adj: Bits[];
  /** per rule: what its `from` and its `to` select */
  ruleFrom: Bits[];
  ruleTo: Bits[];
}

export function oneHopReach(rules: ReadonlyArray<{ from: Selector; to: Selector }>, ws: readonly PolicyWorkload[]): OneHop {
  const n = ws.length;
  const index = new Map(ws.map((w, i) => [w.id, i]));
  const sideBits = (s: Selector) => {
    const b = new Bits(n);
    for (const w of selectWorkloads(s, ws)) b.set(index.get(w.id)!);
    return b;
  };
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
  return { index, adj, ruleFrom, ruleTo };
}

export interface MultiHop {
  /** per workload: its one-hop successors, in index order */
  succ: number[][];
  /** per workload: how many workloads it reaches over any number of hops (not itself) */
  multi: number[];
}

/**
 * Tarjan's strongly connected components, then reach per component in the order Tarjan emits
 * them (every component after all the ones it reaches).
 */
export function multiHopReach(adj: readonly Bits[]): MultiHop {
  const n = adj.length;
  const succ = adj.map((b) => [...b.each()]);
  const comp = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const num = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const comps: number[][] = [];
  let counter = 0;
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
  const multi = adj.map((_, i) => {
    const b = reach[comp[i]!]!;
    return b.count() - (b.has(i) ? 1 : 0);
  });
  return { succ, multi };
}
