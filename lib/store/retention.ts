// Retention from the configuration, applied as table TTLs after migrations. Kept out of the
// migration files because it is a setting people change, not a schema version.
// 0 days = keep forever (and what tests use, since a TTL deletes old test rows on merge).
import type { ClickHouseClient } from '@clickhouse/client';

const TABLES = [
  { table: 'flows', column: 'toDateTime(start_time)', setting: 'flowsDays' },
  { table: 'conversations_hourly', column: 'hour', setting: 'rollupDays' },
  { table: 'sources_hourly', column: 'hour', setting: 'rollupDays' },
  { table: 'conversations_daily', column: 'day', setting: 'rollupDays' },
] as const;

/** Days of the TTL in a table's engine_full text, or 0 when it has none. */
export function ttlDays(engineFull: string): number {
  const m = /TTL\s+.*?\+\s*(?:toIntervalDay\((\d+)\)|INTERVAL\s+(\d+)\s+DAY)/i.exec(engineFull);
  return m ? Number(m[1] ?? m[2]) : 0;
}

export async function applyRetention(
  client: ClickHouseClient,
  db: string,
  retention: { flowsDays: number; rollupDays: number },
): Promise<string[]> {
  const rs = await client.query({
    query: 'SELECT name, engine_full FROM system.tables WHERE database = {db:String}',
    query_params: { db },
    format: 'JSONEachRow',
  });
  const engines = new Map((await rs.json<{ name: string; engine_full: string }>()).map((r) => [r.name, r.engine_full]));
  const changed: string[] = [];
  for (const t of TABLES) {
    const want = retention[t.setting];
    const engine = engines.get(t.table);
    if (engine === undefined || ttlDays(engine) === want) continue;
    const query =
      want > 0
        ? `ALTER TABLE \`${db}\`.${t.table} MODIFY TTL ${t.column} + INTERVAL ${want} DAY`
        : `ALTER TABLE \`${db}\`.${t.table} REMOVE TTL`;
    // Do not rewrite every part now; expired rows go at the next merge.
    await client.command({ query, clickhouse_settings: { materialize_ttl_after_modify: 0 } });
    changed.push(`${t.table}: ${want > 0 ? `${want} days` : 'forever'}`);
  }
  return changed;
}
