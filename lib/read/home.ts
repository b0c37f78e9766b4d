// What the home page reads beside the stores' status (lib/status.ts): how far the journey from
// flows to an exported policy has come (confirmed applications, rules by status, baselines) and
// the flows stored per hour over the last 7 days (from the per-source hourly rollup).
import { estateCounts, type EstateCounts } from '../analysis/counts';
import { DISCOVERY_DAYS } from '../analysis/window';
import type { Runtime } from '../runtime';
import { analysisFor } from './analysis';
import type { SeriesPoint } from './edge';

export interface HomeSummary {
  confirmedApplications: number;
  /** rule counts by status (proposed, approved, ...) */
  rulesByStatus: Record<string, number>;
  baselines: number;
  /** flows stored per hour, last 7 days; empty when the flow store does not answer */
  series: SeriesPoint[];
}

export async function homeSummary(rt: Pick<Runtime, 'db' | 'store'>, opts: { flowStoreUp: boolean }): Promise<HomeSummary> {
  const db = rt.db.prisma;
  const [apps, rules, baselines, series] = await Promise.all([
    db.application.count({ where: { confirmed: true } }),
    db.rule.groupBy({ by: ['status'], _count: { _all: true } }),
    db.baseline.count(),
    opts.flowStoreUp
      ? rt.store.rows<{ t: string; flows: number; bytes: number }>(
          `SELECT toString(hour) AS t, sum(flows) AS flows, sum(bytes) AS bytes FROM ${rt.store.t('sources_hourly')}
            WHERE hour >= toStartOfHour(now() - INTERVAL 7 DAY) GROUP BY hour ORDER BY hour`,
        )
      : Promise.resolve([]),
  ]);
  return {
    confirmedApplications: apps,
    rulesByStatus: Object.fromEntries(rules.map((r) => [r.status, r._count._all])),
    baselines,
    series: series.map((s) => ({ t: `${s.t.replace(' ', 'T')}Z`, flows: Number(s.flows), bytes: Number(s.bytes) })),
  };
}

export interface HomeCounts {
  window: { from: string; to: string };
  counts: EstateCounts;
}

/**
 * The estate counts of the discovery window the map and the applications page open on, so that
 * the overview shows the same numbers they do (inventory rows would include workloads without an
 * address in the window). Null while the analysis runs: the page says so rather than wait.
 */
export async function homeCounts(rt: Runtime, opts: { waitMs?: number } = {}): Promise<HomeCounts | null> {
  const s = await analysisFor(rt, { days: DISCOVERY_DAYS }, { waitMs: opts.waitMs ?? 1500 });
  if (!s.ready) return null;
  return { window: { from: s.result.window.from.toISOString(), to: s.result.window.to.toISOString() }, counts: estateCounts(s.result) };
}
