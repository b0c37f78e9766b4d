// The home page's reader on empty stores and on a generated estate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { loadDemo } from '../demo/load';
import { openRuntime, type Runtime } from '../runtime';
import { homeSummary } from './home';

let rt: Runtime;
beforeAll(async () => {
  rt = await openRuntime(testConfig());
}, 120_000);
afterAll(() => rt?.close());

describe('homeSummary', () => {
  it('reads nothing from empty stores, and the flows of the last 7 days per hour once there are some', async () => {
    expect(await homeSummary(rt, { flowStoreUp: true })).toEqual({ confirmedApplications: 0, rulesByStatus: {}, baselines: 0, series: [] });
    await loadDemo({ db: rt.db.prisma, store: rt.store }, { workloads: 30, days: 2, seed: 3 });
    const h = await homeSummary(rt, { flowStoreUp: true });
    const [stored] = await rt.store.rows<{ flows: number }>(`SELECT sum(flows) AS flows FROM ${rt.store.t('sources_hourly')}`);
    expect(h.series.length).toBeGreaterThan(24);
    expect(h.series.reduce((s, p) => s + p.flows, 0)).toBe(Number(stored!.flows));
    for (const p of h.series) expect(p.t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/);
    expect((await homeSummary(rt, { flowStoreUp: false })).series).toEqual([]);
  });
});
