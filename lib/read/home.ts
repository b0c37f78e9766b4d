// What the home page reads beside the stores' status (lib/status.ts): how far the journey from
// flows to an exported policy has come (confirmed applications, rules by status, baselines) and
// the flows stored per hour over the last 7 days (from the per-source hourly rollup).
import type { Runtime } from '../runtime';
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
