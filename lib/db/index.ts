// Relational state through Prisma: a SQLite file under BULKHEAD_HOME by default, PostgreSQL
// when DATABASE_URL says so. One generated client per provider (Prisma fixes the provider at
// generation time); both come from prisma/schema.prisma and have the same API, so the rest of
// the code sees one type, Db.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseConfig } from '../config';
import type { PrismaClient as SqliteClient } from './generated/sqlite/client';
import { applySqlMigrations, type MigrationDriver } from './migrate';

export type Db = SqliteClient;
export type { Prisma } from './generated/sqlite/client';

export interface Database {
  provider: DatabaseConfig['provider'];
  prisma: Db;
  /** migrations applied by this open */
  applied: string[];
  health(): Promise<{ ok: boolean; provider: string; version?: string; latencyMs?: number; error?: string }>;
  close(): Promise<void>;
}

async function sqliteDriver(file: string) {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  // WAL lets the web app read while a collector or import writes; it persists in the file.
  db.pragma('journal_mode = WAL');
  const driver: MigrationDriver = {
    exec: async (sql) => void db.exec(sql),
    queryNames: async () => db.prepare('SELECT name, checksum FROM "_bulkhead_migrations"').all() as Array<{ name: string; checksum: string }>,
    transaction: async (fn) => {
      db.exec('BEGIN');
      try {
        await fn();
        db.exec('COMMIT');
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      }
    },
    record: async (name, checksum) => void db.prepare('INSERT INTO "_bulkhead_migrations" (name, checksum) VALUES (?, ?)').run(name, checksum),
  };
  return { driver, close: () => db.close() };
}

async function postgresDriver(url: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Serialize concurrent starts (two processes migrating one database) on an advisory lock.
  await client.query('SELECT pg_advisory_lock(72657451)');
  const driver: MigrationDriver = {
    exec: async (sql) => void (await client.query(sql)),
    queryNames: async () => (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM "_bulkhead_migrations"')).rows,
    transaction: async (fn) => {
      await client.query('BEGIN');
      try {
        await fn();
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    },
    record: async (name, checksum) => void (await client.query('INSERT INTO "_bulkhead_migrations" (name, checksum) VALUES ($1, $2)', [name, checksum])),
  };
  return { driver, close: () => client.end() };
}

export async function openDatabase(cfg: DatabaseConfig, opts: { migrate?: boolean } = {}): Promise<Database> {
  let applied: string[] = [];
  if (opts.migrate !== false) {
    const m = cfg.provider === 'sqlite' ? await sqliteDriver(cfg.file) : await postgresDriver(cfg.url);
    try {
      applied = (await applySqlMigrations(m.driver, cfg.provider)).applied;
    } finally {
      await m.close();
    }
  }

  let prisma: Db;
  if (cfg.provider === 'sqlite') {
    const [{ PrismaClient }, { PrismaBetterSQLite3 }] = await Promise.all([import('./generated/sqlite/client'), import('@prisma/adapter-better-sqlite3')]);
    prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${cfg.file}` }) });
  } else {
    const [{ PrismaClient }, { PrismaPg }] = await Promise.all([import('./generated/postgresql/client'), import('@prisma/adapter-pg')]);
    // Same models, same API: the PostgreSQL client differs from the SQLite one only in its provider.
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: cfg.url }) }) as unknown as Db;
  }

  return {
    provider: cfg.provider,
    prisma,
    applied,
    async health() {
      const t0 = performance.now();
      try {
        const sql = cfg.provider === 'sqlite' ? 'SELECT sqlite_version() AS v' : 'SHOW server_version';
        const rows = await prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(sql);
        const version = String(Object.values(rows[0] ?? {})[0] ?? '');
        return { ok: true, provider: cfg.provider, version, latencyMs: Math.round((performance.now() - t0) * 10) / 10 };
      } catch (e) {
        return { ok: false, provider: cfg.provider, error: (e as Error).message };
      }
    },
    close: () => prisma.$disconnect(),
  };
}
