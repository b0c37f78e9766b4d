// Generating an estate's flow records inside ClickHouse: the conversation specs go up as one small
// table, and INSERT ... SELECT expands them hour by hour (./schedule.ts decides which hours are
// active) into raw flow records, which the materialized views roll up like any collected flow.
// Tens of millions of records never cross the JavaScript boundary, which is what makes a
// 50-million-record benchmark estate load in minutes; the demo uses the same path so that the
// demo, the tests and the benchmark share one definition of what was generated.
//
// The records look like what collectors write: biflows with TCP flags for answered
// conversations, one-way SYN-only records for scans (so the rollup counts them as unanswered),
// "guess"-oriented records on ephemeral ports for orientation noise, one exporter per
// environment with the gaps the estate asks for.
import { randomBytes } from 'node:crypto';
import type { Store } from '../store';
import type { Estate } from './estate';
import { ACTIVE_SQL, scheduleColumns } from './schedule';

const HOUR = 3_600_000;

const SPEC_COLUMNS = ['id', 'client_addr', 'server_addr', 'protocol', 'port', 'ports', 'open', 'stype', 'p1', 'p2', 'p3', 'hfrom', 'hto', 'fph', 'mean_bytes', 'failed', 'noise', 'exporter', 'gfrom', 'gto'] as const;

export interface ExpandProgress {
  (doneHours: number, totalHours: number): void;
}

/**
 * Write the estate's flow records into `flows` (and through the views into the rollups).
 * Returns the number of records written. Work goes in slices of `sliceHours` so that progress
 * can be shown and memory stays bounded.
 */
export async function writeEstateFlows(store: Store, estate: Estate, opts: { sliceHours?: number; onProgress?: ExpandProgress } = {}): Promise<number> {
  const specs = store.t(`demo_specs_${randomBytes(4).toString('hex')}`);
  await store.command(`CREATE TABLE ${specs} (
      id UInt32, client_addr IPv6, server_addr IPv6, protocol UInt8, port UInt16, ports Array(UInt16), open Array(UInt16),
      stype UInt8, p1 UInt32, p2 UInt32, p3 UInt32, hfrom UInt32, hto UInt32, fph UInt16, mean_bytes UInt32, failed UInt8, noise UInt8,
      exporter String, gfrom UInt32, gto UInt32
    ) ENGINE = MergeTree ORDER BY id`);
  try {
    const gaps = new Map(estate.exporters.map((e) => [e.name, e.gaps[0]]));
    const rows = estate.conversations.map((c) => {
      const g = gaps.get(c.exporter);
      return [
        c.id, c.clientAddr, c.serverAddr, c.protocol, c.port, c.ports ?? [], c.open ?? [], ...scheduleColumns(c.schedule),
        Math.floor(c.from / HOUR), Math.ceil(c.to / HOUR), c.fph, c.bytes, c.failed ? 1 : 0, c.kind === 'noise' ? 1 : 0, c.exporter,
        g ? Math.floor(g.from / HOUR) : 0, g ? Math.ceil(g.to / HOUR) : 0,
      ];
    });
    for (let i = 0; i < rows.length; i += 50_000) {
      await store.client.insert({ table: specs, format: 'JSONCompactEachRow', columns: [...SPEC_COLUMNS], values: rows.slice(i, i + 50_000) });
    }
    const h0 = Math.floor(estate.start / HOUR);
    const h1 = Math.ceil(estate.end / HOUR);
    const slice = Math.max(1, opts.sliceHours ?? 24);
    for (let a = h0; a < h1; a += slice) {
      const b = Math.min(h1, a + slice);
      await store.command(expandSql(store, specs), { a, b });
      opts.onProgress?.(b - h0, h1 - h0);
    }
    const [n] = await store.rows<{ n: number }>(
      `SELECT sum(flows) AS n FROM ${store.t('sources_hourly')} WHERE hour >= toDateTime({a:UInt32} * 3600) AND hour < toDateTime({b:UInt32} * 3600) AND source_kind = 'synthetic'`,
      { a: h0, b: h1 },
    );
    const written = n?.n ?? 0;
    return written;
  } finally {
    await store.command(`DROP TABLE IF EXISTS ${specs}`);
  }
}

function expandSql(store: Store, specs: string): string {
  // hsh: one deterministic 64-bit hash per record, sliced for the start offset, duration,
  // client port and byte count.
  return `
INSERT INTO ${store.t('flows')} (start_time, end_time, src_addr, dst_addr, src_port, dst_port, protocol, bytes, packets,
  rev_bytes, rev_packets, tcp_flags, server_side, orientation, source_kind, exporter, sampling_rate)
SELECT
  toDateTime64(hn * 3600, 3, 'UTC') + toIntervalMillisecond(hsh % 3540000) AS start_time,
  start_time + toIntervalMillisecond(if(bad, 0, 100 + intDiv(hsh, 4096) % 55000)) AS end_time,
  client_addr AS src_addr,
  server_addr AS dst_addr,
  toUInt16(if(noise, 443, 32768 + intDiv(hsh, 65536) % 28000)) AS src_port,
  toUInt16(if(protocol = 1, 2048, dport)) AS dst_port,
  protocol,
  toUInt64(if(bad, 60, greatest(64, mean_bytes * (50 + intDiv(hsh, 16777216) % 100) / 100))) AS bytes,
  toUInt64(if(bad, 1, greatest(1, intDiv(mean_bytes * (50 + intDiv(hsh, 16777216) % 100) / 100, 900)))) AS packets,
  toUInt64(if(bad, 0, mean_bytes * (1 + intDiv(hsh, 1048576) % 4))) AS rev_bytes,
  toUInt64(if(bad, 0, greatest(1, intDiv(rev_bytes, 1200)))) AS rev_packets,
  toUInt8(if(protocol = 6, if(bad, 2, 27), 0)) AS tcp_flags,
  'dst' AS server_side,
  if(noise, 'guess', if(bad, 'tcp-flags', 'biflow')) AS orientation,
  'synthetic' AS source_kind,
  exporter,
  1 AS sampling_rate
FROM (
  SELECT *, k, dport, cityHash64(id, hn, k, dport) AS hsh, if(empty(ports), failed = 1, NOT has(open, dport)) AS bad
  FROM (
    SELECT id, client_addr, server_addr, protocol, port, ports, open, fph, mean_bytes, failed, noise, exporter, hn, toDateTime(hn * 3600, 'UTC') AS t
    FROM ${specs}
    ARRAY JOIN range(greatest(hfrom, {a:UInt32}), greatest(least(hto, {b:UInt32}), greatest(hfrom, {a:UInt32}))) AS hn
    WHERE (${ACTIVE_SQL}) AND NOT (hn >= gfrom AND hn < gto)
  )
  ARRAY JOIN range(fph) AS k
  ARRAY JOIN if(empty(ports), [port], ports) AS dport
)`;
}
