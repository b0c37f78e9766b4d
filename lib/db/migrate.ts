// Applies prisma/migrations/<provider>/NNNN_name/migration.sql in order, each once, in a
// transaction, recorded in `_bulkhead_migrations` with a checksum. The SQL is what
// `prisma migrate diff` wrote (scripts/prisma.mjs); applying it ourselves keeps a fresh clone
// offline on both SQLite and PostgreSQL (docs/data-model.md says why).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths';

export type Provider = 'sqlite' | 'postgresql';

export interface SqlMigration {
  name: string;
  sql: string;
  checksum: string;
}

export function loadSqlMigrations(provider: Provider, root = projectRoot()): SqlMigration[] {
  const dir = join(root, 'prisma/migrations', provider);
  if (!existsSync(dir)) throw new Error(`No migrations for ${provider} in ${dir}`);
  return readdirSync(dir)
    .filter((d) => /^\d{4}_[a-z0-9_]+$/.test(d))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** The few operations the migrator needs from a driver. */
export interface MigrationDriver {
  /** run several statements separated by `;` */
  exec(sql: string): Promise<void>;
  queryNames(): Promise<Array<{ name: string; checksum: string }>>;
  /** run fn in one transaction */
  transaction(fn: () => Promise<void>): Promise<void>;
  record(name: string, checksum: string): Promise<void>;
}

export async function applySqlMigrations(driver: MigrationDriver, provider: Provider, migrations = loadSqlMigrations(provider)) {
  const ts = provider === 'postgresql' ? 'TIMESTAMPTZ NOT NULL DEFAULT now()' : "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))";
  await driver.exec(`CREATE TABLE IF NOT EXISTS "_bulkhead_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" ${ts})`);
  const done = new Map((await driver.queryNames()).map((r) => [r.name, r.checksum]));
  const applied: string[] = [];
  for (const m of migrations) {
    const prior = done.get(m.name);
    if (prior !== undefined) {
      if (prior !== m.checksum) {
        throw new Error(`Database migration ${provider}/${m.name} was changed after it was applied. Applied migrations are immutable: restore it and add a new one (node scripts/prisma.mjs migration NAME).`);
      }
      continue;
    }
    try {
      await driver.transaction(async () => {
        await driver.exec(m.sql);
        await driver.record(m.name, m.checksum);
      });
    } catch (e) {
      throw new Error(`Database migration ${provider}/${m.name} failed: ${(e as Error).message}`);
    }
    applied.push(m.name);
  }
  return { applied, current: migrations.at(-1)?.name ?? null };
}
