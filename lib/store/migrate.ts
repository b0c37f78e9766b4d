// Versioned ClickHouse schema: lib/store/migrations/NNNN_name.sql applied in order, once each,
// recorded in <db>.schema_migrations with a checksum. Statements use IF NOT EXISTS so that two
// processes starting together against one server both succeed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { projectRoot } from '../paths';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(): string {
  return join(projectRoot(), 'lib/store/migrations');
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(join(dir, f), 'utf8');
      return {
        version: Number(f.slice(0, 4)),
        name: f.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** Statements of a migration file: split on `;` at the end of a line, comments dropped. */
export function statements(sql: string, db: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) =>
      s
        .split('\n')
        .filter((l) => !l.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter(Boolean)
    .map((s) => s.replaceAll('{{db}}', `\`${db}\``));
}

export interface MigrateResult {
  applied: string[];
  current: number;
}

export async function migrate(client: ClickHouseClient, db: string, migrations = loadMigrations()): Promise<MigrateResult> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS \`${db}\`` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS \`${db}\`.schema_migrations (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree ORDER BY version`,
  });
  const rs = await client.query({ query: `SELECT version, name, checksum FROM \`${db}\`.schema_migrations FINAL ORDER BY version`, format: 'JSONEachRow' });
  const done = new Map((await rs.json<{ version: number; name: string; checksum: string }>()).map((r) => [Number(r.version), r]));
  const applied: string[] = [];
  for (const m of migrations) {
    const prior = done.get(m.version);
    if (prior) {
      if (prior.checksum !== m.checksum) {
        throw new Error(
          `ClickHouse migration ${String(m.version).padStart(4, '0')}_${m.name} was changed after it was applied to database ${db}. ` +
            'Applied migrations are immutable: restore the file and add a new migration instead.',
        );
      }
      continue;
    }
    for (const stmt of statements(m.sql, db)) {
      try {
        await client.command({ query: stmt });
      } catch (e) {
        throw new Error(`ClickHouse migration ${String(m.version).padStart(4, '0')}_${m.name} failed: ${(e as Error).message}\nStatement:\n${stmt}`);
      }
    }
    await client.insert({ table: `\`${db}\`.schema_migrations`, values: [{ version: m.version, name: m.name, checksum: m.checksum }], format: 'JSONEachRow' });
    applied.push(`${String(m.version).padStart(4, '0')}_${m.name}`);
  }
  return { applied, current: migrations.at(-1)?.version ?? 0 };
}
