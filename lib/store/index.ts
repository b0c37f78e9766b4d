// The flow store: ClickHouse through @clickhouse/client, embedded (chDB) or a server by URL.
// Everything that reads or writes flows goes through a Store; SQL names tables with t().
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseConfig, Config } from '../config';
import type { FlowRecord } from '../flow/record';
import { connect, type Connection } from './connection';
import { encodeFlowBatch } from './flow-rows';
import { migrate, type MigrateResult } from './migrate';
import type { QuarantinedRecord } from './sink';
import { applyRetention } from './retention';

export { StoreBusyError } from './connection';

export type QueryParams = Record<string, unknown>;

const ROW_SETTINGS = { output_format_json_quote_64bit_integers: 0 } as const;

export interface StoreHealth {
  ok: boolean;
  mode: 'embedded' | 'server';
  /** ClickHouse version of the engine or server */
  version?: string;
  /** round trip of a trivial query, ms */
  latencyMs?: number;
  error?: string;
}

export class Store {
  private constructor(
    readonly config: ClickHouseConfig,
    readonly client: ClickHouseClient,
    private readonly conn: Connection,
    readonly migration: MigrateResult,
  ) {}

  static async open(config: Config, opts: { migrate?: boolean } = {}): Promise<Store> {
    const conn = await connect(config.clickhouse, config.home);
    const db = config.clickhouse.database;
    try {
      let result: MigrateResult = { applied: [], current: 0 };
      if (opts.migrate !== false) {
        result = await migrate(conn.client, db);
        await applyRetention(conn.client, db, config.retention);
      }
      return new Store(config.clickhouse, conn.client, conn, result);
    } catch (e) {
      await conn.close();
      throw e;
    }
  }

  get mode() {
    return this.config.mode;
  }

  get database() {
    return this.config.database;
  }

  /** A table of this store's database, quoted for SQL. */
  t(table: string): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
    return `\`${this.config.database}\`.${table}`;
  }

  /**
   * Rows of a SELECT as objects. Values go in as ClickHouse query parameters ({name:Type}), never
   * spliced into SQL. 64-bit integers come back as numbers on both paths (a server quotes them
   * by default, chDB does not; counters stay far below 2^53).
   */
  async rows<T = Record<string, unknown>>(query: string, params?: QueryParams): Promise<T[]> {
    const rs = await this.client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: ROW_SETTINGS });
    return rs.json<T>();
  }

  async command(query: string, params?: QueryParams): Promise<void> {
    await this.client.command({ query, query_params: params });
  }

  /**
   * Insert already-validated records (the sink validates; see lib/store/sink.ts). The batch goes
   * as one INSERT ... FORMAT JSONCompactColumns statement with its data inline, which both the
   * embedded engine and a server over HTTP take as is; client.insert() has no columnar format.
   */
  async insertFlows(records: readonly FlowRecord[], token?: string): Promise<void> {
    if (records.length === 0) return;
    // Only the columns this batch uses: the others take their DEFAULT (see encodeFlowBatch).
    const { columns, body } = encodeFlowBatch(records);
    await this.client.command({
      query: `INSERT INTO ${this.t('flows')} (${columns.join(', ')}) FORMAT JSONCompactColumns\n${body}`,
      // the tables keep a deduplication window (migration 0050): an insert without a token of
      // its own would be dropped as a duplicate of an identical earlier block; an import's
      // chunk token makes a chunk stored before a crash a duplicate when the import runs again
      clickhouse_settings: { insert_deduplication_token: token ?? randomUUID(), deduplicate_blocks_in_dependent_materialized_views: 1 },
    });
  }

  /** Keep quarantined records aside (lib/store/admission.ts): the record as JSON, its exporter and why. */
  async insertQuarantine(items: readonly QuarantinedRecord[]): Promise<void> {
    if (items.length === 0) return;
    await this.client.insert({
      table: this.t('flows_quarantine'),
      format: 'JSONEachRow',
      values: items.map(({ record, reason }) => ({
        exporter: String(record.exporter).slice(0, 200),
        source_kind: String(record.sourceKind),
        reason,
        start_ms: Math.trunc(record.start),
        record: JSON.stringify(record),
      })),
    });
  }

  async health(): Promise<StoreHealth> {
    const t0 = performance.now();
    try {
      const [row] = await this.rows<{ v: string }>('SELECT version() AS v');
      return { ok: true, mode: this.mode, version: row?.v, latencyMs: Math.round((performance.now() - t0) * 10) / 10 };
    } catch (e) {
      return { ok: false, mode: this.mode, error: (e as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
