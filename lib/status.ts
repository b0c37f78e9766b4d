// The state of a process's stores, for `bulkhead doctor`, the health endpoint and the home page.
import type { Database } from './db';
import type { Store } from './store';

export interface ClickHouseStatus {
  ok: boolean;
  mode: 'embedded' | 'server';
  version?: string;
  latencyMs?: number;
  error?: string;
  schemaVersion?: number;
  flows?: number;
}

export interface DatabaseStatus {
  ok: boolean;
  provider: string;
  version?: string;
  latencyMs?: number;
  error?: string;
  workloads?: number;
  rules?: number;
}

export async function clickhouseStatus(store: Store): Promise<ClickHouseStatus> {
  const h = await store.health();
  if (!h.ok) return h;
  try {
    const [c] = await store.rows<{ flows: string; version: number }>(
      `SELECT (SELECT count() FROM ${store.t('flows')}) AS flows, (SELECT max(version) FROM ${store.t('schema_migrations')}) AS version`,
    );
    return { ...h, flows: Number(c?.flows ?? 0), schemaVersion: Number(c?.version ?? 0) };
  } catch (e) {
    return { ...h, ok: false, error: (e as Error).message };
  }
}

export async function databaseStatus(db: Database): Promise<DatabaseStatus> {
  const h = await db.health();
  if (!h.ok) return h;
  try {
    const [workloads, rules] = await Promise.all([db.prisma.workload.count(), db.prisma.rule.count()]);
    return { ...h, workloads, rules };
  } catch (e) {
    return { ...h, ok: false, error: (e as Error).message };
  }
}
