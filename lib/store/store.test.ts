import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import type { FlowRecord } from '../flow/record';
import { Store } from './index';
import { loadMigrations, migrate, statements } from './migrate';
import { ttlDays } from './retention';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0); // a Monday, 10:00 UTC

function flow(p: Partial<FlowRecord> = {}): FlowRecord {
  return {
    start: T0, end: T0 + 1500, srcAddr: '10.0.0.5', dstAddr: '10.0.1.9', srcPort: 51514, dstPort: 5432, protocol: 6,
    bytes: 1200, packets: 10, serverSide: 'dst', orientation: 'port', sourceKind: 'synthetic', exporter: 'test', ...p,
  };
}

describe('ClickHouse store (embedded chDB)', () => {
  const config = testConfig();
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(config);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('applies the migrations once and records them', async () => {
    const all = loadMigrations();
    expect(store.migration.applied).toEqual(all.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`));
    const again = await migrate(store.client, store.database);
    expect(again.applied).toEqual([]);
    const rows = await store.rows<{ version: number }>(`SELECT version FROM ${store.t('schema_migrations')} FINAL ORDER BY version`);
    expect(rows.map((r) => Number(r.version))).toEqual(all.map((m) => m.version));
    const tables = await store.rows<{ name: string }>('SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name', { db: store.database });
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['flows', 'conversations_hourly', 'conversations_hourly_mv', 'sources_hourly', 'sources_hourly_mv']));
  });

  it('refuses to run when an applied migration was edited', async () => {
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(store.client, store.database, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it('keeps IPv4 and IPv6 in one address column with millisecond times', async () => {
    await store.insertFlows([
      flow({ srcAddr: '192.0.2.10', dstAddr: '198.51.100.7', start: T0 + 123, end: T0 + 456, extras: { note: 'v4' } }),
      flow({ srcAddr: '2001:db8::10', dstAddr: '2001:db8::7', start: T0 + 789, end: T0 + 999 }),
    ]);
    const rows = await store.rows<{ src: string; dst: string; s: number; e: number; note: string }>(
      `SELECT IPv6NumToString(src_addr) AS src, IPv6NumToString(dst_addr) AS dst, toUnixTimestamp64Milli(start_time) AS s,
              toUnixTimestamp64Milli(end_time) AS e, extras['note'] AS note
       FROM ${store.t('flows')} WHERE exporter = 'test' AND start_time >= {t:DateTime64(3)} ORDER BY start_time`,
      { t: new Date(T0 + 100).toISOString().replace('T', ' ').replace('Z', '') },
    );
    expect(rows).toEqual([
      { src: '::ffff:192.0.2.10', dst: '::ffff:198.51.100.7', s: T0 + 123, e: T0 + 456, note: 'v4' },
      { src: '2001:db8::10', dst: '2001:db8::7', s: T0 + 789, e: T0 + 999, note: '' },
    ]);
  });

  it('rolls flows up into hourly conversations keyed on the server side, scaled by sampling', async () => {
    const exporter = 'rollup-test';
    const h = Date.UTC(2026, 0, 6, 3, 0, 0);
    await store.insertFlows([
      // client 10.9.0.1 -> server 10.9.0.2:443, seen as a request and as a response record
      flow({ exporter, start: h + 1000, end: h + 2000, srcAddr: '10.9.0.1', dstAddr: '10.9.0.2', srcPort: 40001, dstPort: 443, bytes: 100, packets: 2, serverSide: 'dst' }),
      flow({ exporter, start: h + 1500, end: h + 2500, srcAddr: '10.9.0.2', dstAddr: '10.9.0.1', srcPort: 443, dstPort: 40001, bytes: 5000, packets: 5, serverSide: 'src' }),
      // a biflow with reverse counters, sampled 1:10
      flow({ exporter, start: h + 3000, end: h + 4000, srcAddr: '10.9.0.1', dstAddr: '10.9.0.2', srcPort: 40002, dstPort: 443, bytes: 10, packets: 1, revBytes: 20, revPackets: 2, samplingRate: 10, serverSide: 'dst', orientation: 'biflow' }),
      // an unanswered SYN and a refused attempt to another port
      flow({ exporter, start: h + 5000, end: h + 5000, srcAddr: '10.9.0.1', dstAddr: '10.9.0.2', srcPort: 40003, dstPort: 22, bytes: 60, packets: 1, tcpFlags: 0x02, serverSide: 'dst' }),
      flow({ exporter, start: h + 6000, end: h + 6000, srcAddr: '10.9.0.1', dstAddr: '10.9.0.2', srcPort: 40004, dstPort: 22, bytes: 60, packets: 1, action: 'reject', serverSide: 'dst' }),
      // next hour
      flow({ exporter, start: h + 3_600_000 + 10, end: h + 3_600_000 + 20, srcAddr: '10.9.0.1', dstAddr: '10.9.0.2', srcPort: 40005, dstPort: 443, bytes: 1, packets: 1, serverSide: 'dst' }),
    ]);
    const rows = await store.rows<Record<string, string | number>>(
      `SELECT toUnixTimestamp(hour) AS hour, IPv6NumToString(client_addr) AS client, IPv6NumToString(server_addr) AS server, server_port, protocol,
              sum(flows) AS flows, sum(bytes_c2s) AS c2s, sum(bytes_s2c) AS s2c, sum(packets_c2s) AS p_c2s, sum(packets_s2c) AS p_s2c,
              sum(rejected_flows) AS rejected, sum(unanswered_flows) AS unanswered,
              toUnixTimestamp64Milli(min(first_seen)) AS first, toUnixTimestamp64Milli(max(last_seen)) AS last
       FROM ${store.t('conversations_hourly')}
       WHERE client_addr = toIPv6('10.9.0.1')
       GROUP BY hour, client, server, server_port, protocol ORDER BY hour, server_port`,
    );
    expect(rows).toEqual([
      { hour: h / 1000, client: '::ffff:10.9.0.1', server: '::ffff:10.9.0.2', server_port: 22, protocol: 6, flows: 2, c2s: 120, s2c: 0, p_c2s: 2, p_s2c: 0, rejected: 1, unanswered: 1, first: h + 5000, last: h + 6000 },
      { hour: h / 1000, client: '::ffff:10.9.0.1', server: '::ffff:10.9.0.2', server_port: 443, protocol: 6, flows: 3, c2s: 100 + 10 * 10, s2c: 5000 + 20 * 10, p_c2s: 2 + 10, p_s2c: 5 + 20, rejected: 0, unanswered: 0, first: h + 1000, last: h + 4000 },
      { hour: h / 1000 + 3600, client: '::ffff:10.9.0.1', server: '::ffff:10.9.0.2', server_port: 443, protocol: 6, flows: 1, c2s: 1, s2c: 0, p_c2s: 1, p_s2c: 0, rejected: 0, unanswered: 0, first: h + 3_600_010, last: h + 3_600_020 },
    ]);
    const sources = await store.rows<{ flows: number }>(`SELECT sum(flows) AS flows FROM ${store.t('sources_hourly')} WHERE exporter = {e:String}`, { e: exporter });
    expect(sources[0]!.flows).toBe(6);
  });

  it('applies retention from the configuration as table TTLs, and removes it', async () => {
    const { applyRetention } = await import('./retention');
    const engine = async (t: string) => (await store.rows<{ e: string }>('SELECT engine_full AS e FROM system.tables WHERE database = {db:String} AND name = {t:String}', { db: store.database, t }))[0]!.e;
    expect(ttlDays(await engine('flows'))).toBe(0);
    expect(await applyRetention(store.client, store.database, { flowsDays: 30, rollupDays: 365 })).toEqual(['flows: 30 days', 'conversations_hourly: 365 days', 'sources_hourly: 365 days', 'conversations_daily: 365 days']);
    expect(ttlDays(await engine('flows'))).toBe(30);
    expect(ttlDays(await engine('conversations_hourly'))).toBe(365);
    expect(await applyRetention(store.client, store.database, { flowsDays: 30, rollupDays: 365 })).toEqual([]);
    await applyRetention(store.client, store.database, { flowsDays: 0, rollupDays: 0 });
    expect(ttlDays(await engine('flows'))).toBe(0);
  });

  it('splits migration files into statements and names the database', () => {
    const s = statements('-- a comment\nCREATE TABLE {{db}}.a (x UInt8) ENGINE = Memory;\n\nCREATE TABLE {{db}}.b (y UInt8) ENGINE = Memory;\n', 'x1');
    expect(s).toEqual(['CREATE TABLE `x1`.a (x UInt8) ENGINE = Memory', 'CREATE TABLE `x1`.b (y UInt8) ENGINE = Memory']);
  });
});
