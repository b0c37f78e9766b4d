import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import type { FlowRecord } from '../flow/record';
import { Store } from './index';
import { MAX_DAYS_PER_INSERT } from './admission';
import { FlowSink, type FlowWriter } from './sink';

const T0 = Date.UTC(2026, 1, 2, 8, 0, 0);
let seq = 0;
function flow(p: Partial<FlowRecord> = {}): FlowRecord {
  seq++;
  return {
    start: T0 + seq, end: T0 + seq + 10, srcAddr: `10.1.${(seq >> 8) & 255}.${seq & 255}`, dstAddr: '10.2.0.1', srcPort: 40000 + (seq % 20000),
    dstPort: 443, protocol: 6, bytes: 100, packets: 1, serverSide: 'dst', orientation: 'port', sourceKind: 'synthetic', exporter: 'sink-test', ...p,
  };
}

describe('FlowSink into embedded ClickHouse', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(testConfig());
  });
  afterAll(async () => {
    await store?.close();
  });
  const count = async (exporter: string) => (await store.rows<{ n: number }>(`SELECT count() AS n FROM ${store.t('flows')} WHERE exporter = {e:String}`, { e: exporter }))[0]!.n;

  it('cuts batches by size and stores every record', async () => {
    const sink = new FlowSink(store, { maxBatch: 1000, maxDelayMs: 60_000 });
    for (let i = 0; i < 10; i++) sink.write(Array.from({ length: 505 }, () => flow({ exporter: 'size' })));
    await sink.flush();
    const s = sink.stats();
    expect(s).toMatchObject({ accepted: 5050, inserted: 5050, rejected: 0, pending: 0 });
    expect(s.batches).toBe(6); // five full batches of 1,000 and the 50 left at flush
    expect(await count('size')).toBe(5050);
  });

  it('sends a partial batch once its oldest record is maxDelayMs old', async () => {
    const sink = new FlowSink(store, { maxBatch: 1_000_000, maxDelayMs: 50 });
    sink.write([flow({ exporter: 'timer' }), flow({ exporter: 'timer' })]);
    await expect.poll(() => sink.stats().inserted, { timeout: 5000, interval: 20 }).toBe(2);
    expect(await count('timer')).toBe(2);
  });

  it('refuses bad records one by one, naming the field, and keeps the good ones around them', async () => {
    const refused: string[] = [];
    const sink = new FlowSink(store, { onReject: (_r, reason) => refused.push(reason) });
    sink.write([
      flow({ exporter: 'bad' }),
      flow({ exporter: 'bad', srcAddr: '10.0.0.300' }),
      flow({ exporter: 'bad', dstPort: 70000 }),
      flow({ exporter: 'bad', start: Number.NaN }),
      flow({ exporter: 'bad', bytes: -5 }),
      flow({ exporter: 'bad', serverSide: 'left' as 'src' }),
      flow({ exporter: 'bad' }),
    ]);
    await sink.flush();
    expect(refused).toEqual([
      'srcAddr: not an IP address (10.0.0.300)',
      'dstPort: not a port (70000)',
      'start: not a time (NaN)',
      'bytes: not a counter (-5)',
      'serverSide: must be src or dst (left)',
    ]);
    expect(sink.stats()).toMatchObject({ accepted: 2, rejected: 5, inserted: 2, rejectReasons: { srcAddr: 1, dstPort: 1, start: 1, bytes: 1, serverSide: 1 } });
    expect(await count('bad')).toBe(2);
  });

  it('retries an insert that failed on the connection, losing nothing', async () => {
    let failures = 2;
    const flaky: FlowWriter = {
      insertFlows: async (records) => {
        if (failures-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
        return store.insertFlows(records);
      },
    };
    const sink = new FlowSink(flaky, { retryDelayMs: 5 });
    sink.write(Array.from({ length: 300 }, () => flow({ exporter: 'flaky' })));
    await sink.flush();
    expect(sink.stats()).toMatchObject({ inserted: 300, retries: 2, failedInserts: 2, pending: 0 });
    expect(await count('flaky')).toBe(300);
  });

  it('isolates the rows the engine refuses by splitting the batch', async () => {
    // The engine's own refusal (a ClickHouse error code), for records that passed validation.
    const picky: FlowWriter = {
      insertFlows: async (records) => {
        if (records.some((r) => r.extras?.poison)) throw Object.assign(new Error('Code: 27. DB::Exception: Cannot parse input'), { code: '27' });
        return store.insertFlows(records);
      },
    };
    const refused: string[] = [];
    const sink = new FlowSink(picky, { onReject: (_r, reason) => refused.push(reason) });
    const batch = Array.from({ length: 64 }, (_, i) => flow({ exporter: 'picky', extras: i === 17 || i === 40 ? { poison: '1' } : {} }));
    sink.write(batch);
    await sink.flush();
    expect(refused).toEqual(['store: Code: 27. DB::Exception: Cannot parse input', 'store: Code: 27. DB::Exception: Cannot parse input']);
    expect(sink.stats()).toMatchObject({ inserted: 62, rejected: 2, pending: 0 });
    expect(await count('picky')).toBe(62);
  });

  it('pushes back above the high-water mark; UDP-style writers drop and count instead', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: FlowWriter = {
      insertFlows: async (records) => {
        await gate;
        return store.insertFlows(records);
      },
    };
    const sink = new FlowSink(slow, { maxBatch: 100, highWaterMark: 250, concurrency: 1 });
    expect(sink.write(Array.from({ length: 200 }, () => flow({ exporter: 'slow' })))).toBe(true);
    expect(sink.write(Array.from({ length: 100 }, () => flow({ exporter: 'slow' })))).toBe(false);
    expect(sink.writeOrDrop(Array.from({ length: 40 }, () => flow({ exporter: 'slow' })))).toEqual({ taken: 0, quarantined: 0 });
    let drained = false;
    const d = sink.drain().then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(drained).toBe(false);
    release();
    await d;
    await sink.flush();
    expect(sink.stats()).toMatchObject({ inserted: 300, dropped: 40, pending: 0 });
    expect(await count('slow')).toBe(300);
  });

  it('quarantines records far from the clock, per exporter, and stores every good one around them', async () => {
    const now = T0 + 86_400_000;
    const sink = new FlowSink(store, { maxBatch: 1000, maxDelayMs: 60_000, timeWindow: { aheadMs: 86_400_000, behindMs: 30 * 86_400_000 }, now: () => now });
    const DAY = 86_400_000;
    let good = 0;
    // a router with a wrong clock: 120 days of far-off start times mixed into good traffic
    for (let i = 0; i < 3000; i++) {
      if (i % 3 === 0) {
        const far = i % 2 ? now + (2 + (i % 120)) * DAY : now - (40 + (i % 120)) * DAY;
        expect(sink.writeOrDrop([flow({ exporter: '192.0.2.66', start: far, end: far + 10 })])).toEqual({ taken: 1, quarantined: 1 });
      } else {
        good++;
        sink.write(flow({ exporter: 'door-good' }));
      }
    }
    await sink.flush();
    const s = sink.stats();
    expect(s).toMatchObject({ inserted: good, quarantined: 1000, quarantinedByExporter: { '192.0.2.66': 1000 }, quarantineNotKept: 0, failedInserts: 0, pending: 0 });
    expect(await count('door-good')).toBe(good);
    expect(await count('192.0.2.66')).toBe(0);
    const kept = await store.rows<{ n: number; reasons: string[] }>(`SELECT count() AS n, groupUniqArray(splitByChar(':', reason)[1]) AS reasons FROM ${store.t('flows_quarantine')} WHERE exporter = '192.0.2.66'`);
    expect(kept[0]).toMatchObject({ n: 1000 });
    expect(kept[0]!.reasons.sort()).toEqual(['start']);
  });

  it('cuts an insert so that it never spans more days than the engine takes in one block', async () => {
    const sink = new FlowSink(store, { maxBatch: 10_000, maxDelayMs: 60_000, timeWindow: null });
    // a year of history in one batch: one insert would touch 365 partitions
    sink.write(Array.from({ length: 3650 }, (_, i) => flow({ exporter: 'history', start: T0 - (i % 365) * 86_400_000, end: T0 - (i % 365) * 86_400_000 + 10 })));
    await sink.flush();
    expect(sink.stats()).toMatchObject({ inserted: 3650, failedInserts: 0, rejected: 0 });
    expect(sink.stats().batches).toBe(Math.ceil(365 / MAX_DAYS_PER_INSERT));
    expect(await count('history')).toBe(3650);
  });
});
