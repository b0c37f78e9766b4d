// The ground truth of a generated estate in a window, and how an analysis measures against it:
// applications (adjusted Rand index, adjusted mutual information), dependencies (precision and
// recall on (client, server, protocol, port)), scanners (never an edge), reused addresses (never
// a false edge), roles, core services, periodicity.
import { adjustedMutualInfo, adjustedRandIndex } from '../analysis/metrics';
import type { AnalysisResult, Periodicity, Role } from '../analysis/types';
import type { ConversationKind, ConversationSpec, Estate } from './estate';
import { activeAt, schedulePeriodicity } from './schedule';

const HOUR = 3_600_000;

export interface TruthEdge {
  from: string;
  to: string;
  protocol: number;
  port: number;
  kind: ConversationKind;
  /** null when the edge mixes schedules (e.g. many internet clients) or has none a person would name */
  periodicity: Periodicity | null;
}

export interface TruthWorkload {
  name: string;
  /** truth application: name@env */
  application: string;
  role: Role;
  coreService: string | null;
}

export interface Truth {
  from: number;
  to: number;
  workloads: TruthWorkload[];
  edges: TruthEdge[];
  scanners: string[];
  /** workloads on either side of an address handover */
  reusedWorkloads: string[];
}

export const edgeKey = (e: { from: string; to: string; protocol: number; port: number }) => `${e.from}|${e.to}|${e.protocol}|${e.port}`;

function gapsOf(estate: Estate) {
  return new Map(estate.exporters.map((e) => [e.name, e.gaps]));
}

/** The hours (absolute hour numbers) a conversation is active within [from, to). */
function activeHours(c: ConversationSpec, from: number, to: number, gaps: Array<{ from: number; to: number }>): number[] {
  const out: number[] = [];
  const h0 = Math.max(Math.floor(c.from / HOUR), Math.floor(from / HOUR));
  const h1 = Math.min(Math.ceil(c.to / HOUR), Math.ceil(to / HOUR));
  for (let h = h0; h < h1; h++) {
    if (gaps.some((g) => h * HOUR >= g.from && h * HOUR < g.to)) continue;
    if (activeAt(c.id, c.schedule, h)) out.push(h);
  }
  return out;
}

/**
 * What a correct analysis of [from, to) finds: dependencies with at least one flow in the window
 * (scans and orientation noise are not; a scanner's own DNS lookups and logging are), and the workloads that existed
 * in it.
 * Periodicity is judged over [periodicityFrom, to), as the analysis does.
 */
export function truthOf(estate: Estate, window: { from: Date; to: Date }, periodicityFrom?: Date): Truth {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const pFrom = Math.min(from, periodicityFrom?.getTime() ?? from);
  const gaps = gapsOf(estate);
  const edges = new Map<string, TruthEdge & { types: Set<string>; days: Set<number> }>();
  for (const c of estate.conversations) {
    // scans and orientation noise are not dependencies; a scanner's own lookups and logging are
    if (c.kind === 'scan' || c.kind === 'noise') continue;
    const g = gaps.get(c.exporter) ?? [];
    const inWindow = activeHours(c, from, to, g);
    if (!inWindow.length) continue;
    const key = edgeKey({ from: c.client, to: c.server, protocol: c.protocol, port: c.protocol === 1 || c.protocol === 58 ? 0 : c.port });
    let e = edges.get(key);
    if (!e) {
      e = { from: c.client, to: c.server, protocol: c.protocol, port: c.protocol === 1 || c.protocol === 58 ? 0 : c.port, kind: c.kind, periodicity: null, types: new Set(), days: new Set() };
      edges.set(key, e);
    }
    e.types.add(JSON.stringify(c.schedule));
    for (const h of pFrom < from ? activeHours(c, pFrom, to, g) : inWindow) e.days.add(Math.floor(h / 24));
  }
  const out: TruthEdge[] = [];
  for (const e of edges.values()) {
    let periodicity: Periodicity | null = null;
    if (e.types.size === 1) {
      const s = JSON.parse([...e.types][0]!);
      periodicity = s.type === 'irregular' ? null : schedulePeriodicity(s, e.days.size);
    }
    out.push({ from: e.from, to: e.to, protocol: e.protocol, port: e.port, kind: e.kind, periodicity });
  }
  const alive = estate.workloads.filter((w) => w.bindings.some((b) => b.from < to && (b.to === null || b.to > from)));
  return {
    from,
    to,
    workloads: alive.map((w) => ({ name: w.name, application: `${w.app}@${w.env}`, role: w.role, coreService: w.coreService })),
    edges: out,
    scanners: [...estate.scanners],
    reusedWorkloads: estate.reused.flatMap((x) => [x.before, x.after]),
  };
}

export interface Evaluation {
  workloads: number;
  applications: { truth: number; found: number; ari: number; ami: number };
  edges: { truth: number; found: number; truePositives: number; precision: number; recall: number; falsePositives: string[]; falseNegatives: string[] };
  /** probes that became edges (edges from a scanner that are not its own dependencies): must be 0 */
  scannerEdges: number;
  scannersFlagged: { truth: number; flagged: number };
  /** false edges touching a workload on either side of an address handover: must be 0 */
  reusedFalseEdges: number;
  roles: { scored: number; correct: number; accuracy: number };
  coreServices: { truth: number; found: number; correct: number };
  periodicity: { scored: number; correct: number; accuracy: number; confusion: Record<string, number> };
  convergence: { converged: boolean; lastWeekNewEdges: number };
}

/** Measure an analysis against the truth of the same window. */
export function evaluate(result: AnalysisResult, truth: Truth): Evaluation {
  const nameOf = new Map(result.workloads.map((w) => [w.id, w.name]));
  const key = (id: string) => nameOf.get(id) ?? id;
  const found = result.edges.map((e) => ({ from: key(e.from), to: key(e.to), protocol: e.protocol, port: e.port, periodicity: e.periodicity }));
  const foundKeys = new Map(found.map((e) => [edgeKey(e), e]));
  const truthKeys = new Map(truth.edges.map((e) => [edgeKey(e), e]));
  let tp = 0;
  const fps: string[] = [];
  const fns: string[] = [];
  for (const k of foundKeys.keys()) (truthKeys.has(k) ? tp++ : fps.push(k));
  for (const k of truthKeys.keys()) if (!foundKeys.has(k)) fns.push(k);

  // applications over the workloads both sides know
  const byName = new Map(result.workloads.map((w) => [w.name, w]));
  const a: string[] = [];
  const b: string[] = [];
  for (const t of truth.workloads) {
    const w = byName.get(t.name);
    if (!w) continue;
    a.push(t.application);
    b.push(w.application ?? `none:${w.id}`);
  }

  const scannerSet = new Set(truth.scanners);
  // probes that became edges: anything from a scanner the truth does not know
  const scannerEdges = found.filter((e) => scannerSet.has(e.from) && !truthKeys.has(edgeKey(e))).length;
  const flagged = new Set(result.coverage.excluded.scanners.map((s) => s.name));
  const reused = new Set(truth.reusedWorkloads);
  const reusedFalseEdges = fps.filter((k) => {
    const [f, t] = k.split('|');
    return reused.has(f!) || reused.has(t!);
  }).length;

  let scored = 0;
  let correct = 0;
  let coreTruth = 0;
  let coreFound = 0;
  let coreRight = 0;
  for (const t of truth.workloads) {
    const w = byName.get(t.name);
    if (!w) continue;
    if (t.role !== 'unknown') {
      scored++;
      if (w.role === t.role) correct++;
    }
    if (t.coreService) coreTruth++;
    if (w.coreService) {
      coreFound++;
      if (t.coreService) coreRight++;
    }
  }
  let pScored = 0;
  let pRight = 0;
  const confusion: Record<string, number> = {};
  for (const [k, t] of truthKeys) {
    const f = foundKeys.get(k);
    if (!f || !t.periodicity) continue;
    pScored++;
    if (f.periodicity === t.periodicity) pRight++;
    else confusion[`${t.periodicity}->${f.periodicity}`] = (confusion[`${t.periodicity}->${f.periodicity}`] ?? 0) + 1;
  }
  const conv = result.coverage.convergence;
  const lastWeek = conv.slice(-7).reduce((s, d) => s + d.newEdges, 0);
  const ratio = (x: number, y: number) => (y === 0 ? 1 : x / y);
  return {
    workloads: a.length,
    applications: { truth: new Set(a).size, found: new Set(b).size, ari: adjustedRandIndex(a, b), ami: adjustedMutualInfo(a, b) },
    edges: { truth: truthKeys.size, found: foundKeys.size, truePositives: tp, precision: ratio(tp, foundKeys.size), recall: ratio(tp, truthKeys.size), falsePositives: fps.slice(0, 50), falseNegatives: fns.slice(0, 50) },
    scannerEdges,
    scannersFlagged: { truth: truth.scanners.length, flagged: truth.scanners.filter((s) => flagged.has(s)).length },
    reusedFalseEdges,
    roles: { scored, correct, accuracy: ratio(correct, scored) },
    coreServices: { truth: coreTruth, found: coreFound, correct: coreRight },
    periodicity: { scored: pScored, correct: pRight, accuracy: ratio(pRight, pScored), confusion },
    convergence: { converged: result.coverage.converged, lastWeekNewEdges: lastWeek },
  };
}

