// The discovery analysis as the readers of a long-running process share it (the pages and routes
// of `bulkhead serve`, and CLI commands it runs for other processes): one computation per window
// shared by every reader of the process, with its progress visible while it runs, and recomputed when
// the inventory changes (labels, applications, networks: people expect an edit to show at once)
// or when new flows arrived and the result is older than a minute (a live collector changes the
// flow counts every second; the map need not chase each one).
import { analyze } from '../analysis/analyze';
import type { AnalysisResult } from '../analysis/types';
import { resolveWindow } from '../analysis/window';
import type { Runtime } from '../runtime';
import type { AnalysisProgress } from './progress';

interface Entry {
  key: string;
  inventory: string;
  flows: string;
  progress: AnalysisProgress;
  promise: Promise<AnalysisResult>;
  result: AnalysisResult | null;
  error: Error | null;
  finishedAt: number | null;
  lastUsed: number;
}

export type { AnalysisProgress };
export type AnalysisState = { ready: true; result: AnalysisResult; cachedAt: number } | { ready: false; progress: AnalysisProgress };

/** Results kept per process: a few windows (the presets and a custom one or two). */
const KEEP = 4;
/** A result this young is reused even when flows arrived since. */
const FLOW_TOLERANCE_MS = 60_000;

const KEY = Symbol.for('bulkhead.ui.analysis');
type G = typeof globalThis & { [KEY]?: Map<string, Entry> };
const cache = () => ((globalThis as G)[KEY] ??= new Map());

/** What the analysis depends on in the relational store, cheaply. */
async function inventoryVersion(rt: Runtime): Promise<string> {
  const db = rt.db.prisma;
  const [w, l, a, n] = await Promise.all([
    db.workload.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
    db.label.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
    db.addressBinding.aggregate({ _count: { _all: true }, _max: { createdAt: true } }),
    db.namedNetwork.aggregate({ _count: { _all: true }, _max: { createdAt: true } }),
  ]);
  const t = (d: Date | null | undefined) => d?.getTime() ?? 0;
  return [w._count._all, t(w._max.updatedAt), l._count._all, t(l._max.updatedAt), a._count._all, t(a._max.createdAt), n._count._all, t(n._max.createdAt)].join(':');
}

/** What the analysis depends on in the flow store: the per-source hourly rollup is small. */
async function flowVersion(rt: Runtime): Promise<string> {
  const [r] = await rt.store.rows<{ flows: number; last: string }>(`SELECT sum(flows) AS flows, toString(max(last_seen)) AS last FROM ${rt.store.t('sources_hourly')}`);
  return `${r?.flows ?? 0}:${r?.last ?? ''}`;
}

function start(rt: Runtime, key: string, from: Date, to: Date, inventory: string, flows: string): Entry {
  const entry: Entry = {
    key,
    inventory,
    flows,
    progress: { step: 'starting', done: 0, total: 7, startedAt: Date.now() },
    result: null,
    error: null,
    finishedAt: null,
    lastUsed: Date.now(),
    promise: null as unknown as Promise<AnalysisResult>,
  };
  entry.promise = analyze(rt, {
    from,
    to,
    onStep: (step, done, total) => {
      entry.progress = { ...entry.progress, step, done, total };
    },
  }).then(
    (r) => {
      entry.result = r;
      entry.finishedAt = Date.now();
      return r;
    },
    (e: Error) => {
      entry.error = e;
      entry.finishedAt = Date.now();
      throw e;
    },
  );
  // Failures are reported to whoever waits; an unobserved one must not crash the process.
  entry.promise.catch(() => {});
  return entry;
}

/**
 * The analysis of a window. Waits up to `waitMs` for a running computation; after that it answers
 * with the progress so the page can show it and ask again.
 */
export async function analysisFor(rt: Runtime, window: { from?: string | Date; to?: string | Date; days?: number }, opts: { waitMs?: number } = {}): Promise<AnalysisState> {
  const w = resolveWindow(window);
  const key = `${w.from.toISOString()}/${w.to.toISOString()}`;
  const [inventory, flows] = await Promise.all([inventoryVersion(rt), flowVersion(rt)]);
  const entries = cache();
  let entry = entries.get(key);
  const stale =
    !entry ||
    (entry.finishedAt !== null &&
      (entry.error !== null || entry.inventory !== inventory || (entry.flows !== flows && Date.now() - entry.finishedAt > FLOW_TOLERANCE_MS)));
  if (stale) {
    entry = start(rt, key, w.from, w.to, inventory, flows);
    entries.set(key, entry);
    if (entries.size > KEEP) {
      const oldest = [...entries.values()].filter((e) => e.finishedAt !== null).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (oldest) entries.delete(oldest.key);
    }
  }
  const e = entry!;
  e.lastUsed = Date.now();
  if (e.result) return { ready: true, result: e.result, cachedAt: e.finishedAt! };
  const waitMs = opts.waitMs ?? 1500;
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), waitMs).unref?.());
  const r = await Promise.race([e.promise, timeout]);
  if (r === 'timeout') return { ready: false, progress: e.progress };
  return { ready: true, result: r, cachedAt: e.finishedAt ?? Date.now() };
}

/** The analysis of a window, waiting for it whatever it takes (server components, exports). */
export async function analysisResult(rt: Runtime, window: { from?: string | Date; to?: string | Date; days?: number }): Promise<AnalysisResult> {
  for (;;) {
    const s = await analysisFor(rt, window, { waitMs: 60_000 });
    if (s.ready) return s.result;
  }
}

/** Forget cached results (after an edit that the versions above might not see, e.g. a merge in one transaction). */
export function invalidateAnalyses() {
  cache().clear();
}
