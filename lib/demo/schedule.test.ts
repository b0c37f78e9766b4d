// The two definitions of a schedule (TypeScript for the ground truth, SQL for generating flows in
// ClickHouse) must agree hour by hour, or the measured accuracy would measure the generator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { Store } from '../store';
import { ACTIVE_SQL, activeAt, scheduleColumns, type Schedule } from './schedule';

const SCHEDULES: Schedule[] = [
  { type: 'continuous', pct: 100 },
  { type: 'continuous', pct: 37 },
  { type: 'continuous', pct: 60, businessHours: true },
  { type: 'daily', hour: 1, hours: 2 },
  { type: 'daily', hour: 22, hours: 3, weekdays: true },
  { type: 'weekly', dow: 6, hour: 22, hours: 1 },
  { type: 'weekly', dow: 7, hour: 3, hours: 2 },
  { type: 'monthly', dom: 1, hour: 3, hours: 4 },
  { type: 'monthly', dom: 0, hour: 2, hours: 2 },
  { type: 'once', at: Math.floor(Date.UTC(2026, 1, 14, 9) / 3_600_000), hours: 3 },
  { type: 'irregular', pct: 15, hour: 9, hours: 2 },
];

describe('schedules', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(testConfig());
  });
  afterAll(async () => {
    await store?.close();
  });

  it('are active in the same hours in TypeScript and in ClickHouse', async () => {
    const h0 = Math.floor(Date.UTC(2026, 0, 20) / 3_600_000);
    const h1 = h0 + 75 * 24; // across two month boundaries
    const rows = SCHEDULES.map((s, i) => {
      const [stype, p1, p2, p3] = scheduleColumns(s);
      return `(${i * 7 + 3}, ${stype}, ${p1}, ${p2}, ${p3})`;
    });
    const got = await store.rows<{ id: number; hours: number[] }>(
      `SELECT id, arraySort(groupArray(hn)) AS hours FROM (
         SELECT id, stype, p1, p2, p3, hn, toDateTime(hn * 3600, 'UTC') AS t
         FROM (SELECT c1 AS id, c2 AS stype, c3 AS p1, c4 AS p2, c5 AS p3 FROM values('c1 UInt32, c2 UInt8, c3 UInt32, c4 UInt32, c5 UInt32', ${rows.join(', ')}))
         ARRAY JOIN range({h0:UInt32}, {h1:UInt32}) AS hn
         WHERE ${ACTIVE_SQL}
       ) GROUP BY id ORDER BY id`,
      { h0, h1 },
    );
    const byId = new Map(got.map((r) => [r.id, r.hours]));
    SCHEDULES.forEach((s, i) => {
      const id = i * 7 + 3;
      const expected: number[] = [];
      for (let h = h0; h < h1; h++) if (activeAt(id, s, h)) expected.push(h);
      expect(expected.length, JSON.stringify(s)).toBeGreaterThan(0);
      expect(byId.get(id) ?? [], JSON.stringify(s)).toEqual(expected);
    });
  });

  it('place weekly, monthly and patch-Tuesday runs on the right calendar days', () => {
    const hours = (s: Schedule, id = 1) => {
      const out: string[] = [];
      const h0 = Math.floor(Date.UTC(2026, 2, 1) / 3_600_000);
      for (let h = h0; h < h0 + 31 * 24; h++) if (activeAt(id, s, h)) out.push(new Date(h * 3_600_000).toISOString().slice(0, 13));
      return out;
    };
    // March 2026: Sundays are the 1st, 8th, ...; the second Tuesday is the 10th
    expect(hours({ type: 'weekly', dow: 7, hour: 3, hours: 1 })).toEqual(['2026-03-01T03', '2026-03-08T03', '2026-03-15T03', '2026-03-22T03', '2026-03-29T03']);
    expect(hours({ type: 'monthly', dom: 0, hour: 2, hours: 2 })).toEqual(['2026-03-10T02', '2026-03-10T03']);
    expect(hours({ type: 'monthly', dom: 5, hour: 23, hours: 1 })).toEqual(['2026-03-05T23']);
  });
});
