// How well the analysis recovers a loaded demo estate: the last 30 days of it analysed three
// ways (labels and hostnames, hostnames only, communication structure only), each measured
// against the ground truth of the same window. `bulkhead demo --evaluate` prints it; the tests
// and the benchmark assert on it.
import { analyze, type AnalysisStores } from '../analysis/analyze';
import type { Estate } from './estate';
import { loadedEstate } from './load';
import { evaluate, truthOf, type Evaluation } from './truth';

const DAY = 86_400_000;

export interface AccuracyRun {
  useLabels: boolean;
  useNames: boolean;
  analysisMs: number;
  evaluation: Evaluation;
}

export interface Accuracy {
  window: { from: string; to: string };
  runs: AccuracyRun[];
}

export const EVIDENCE_SETTINGS = [
  { useLabels: true, useNames: true },
  { useLabels: false, useNames: true },
  { useLabels: false, useNames: false },
] as const;

export async function measureAccuracy(rt: AnalysisStores, estate: Estate, opts: { days?: number; settings?: ReadonlyArray<{ useLabels: boolean; useNames: boolean }>; onRun?: (i: number) => void } = {}): Promise<Accuracy> {
  const to = new Date(estate.end);
  const from = new Date(estate.end - (opts.days ?? 30) * DAY);
  const runs: AccuracyRun[] = [];
  for (const [i, s] of (opts.settings ?? EVIDENCE_SETTINGS).entries()) {
    opts.onRun?.(i);
    const r = await analyze(rt, { from, to, ...s });
    runs.push({ ...s, analysisMs: r.timings.total ?? 0, evaluation: evaluate(r, truthOf(estate, { from, to }, r.periodicityWindow.from)) });
  }
  return { window: { from: from.toISOString(), to: to.toISOString() }, runs };
}

/** Accuracy of the demo loaded in these stores; null when none is loaded. */
export async function demoAccuracy(rt: AnalysisStores, opts: { onRun?: (i: number) => void } = {}): Promise<Accuracy | null> {
  const estate = await loadedEstate(rt.db.prisma);
  return estate ? measureAccuracy(rt, estate, opts) : null;
}
