// Test fixtures built on the real stores: a configuration per test with its own ClickHouse
// database (in the process's one chDB data directory) and its own SQLite file or PostgreSQL
// database.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, type Config, type ConfigFile } from '../lib/config';

const processHome = join(tmpdir(), `bulkhead-test-${process.pid}`);
mkdirSync(processHome, { recursive: true });

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

/**
 * A config whose stores are empty and belong to the calling test alone: its own home (SQLite
 * file), its own ClickHouse database in the process's one embedded data directory (chDB binds
 * one directory per process). Retention is off: tests write old timestamps.
 */
export function testConfig(overrides: ConfigFile = {}, env: Record<string, string | undefined> = {}): Config {
  const home = mkdtempSync(join(processHome, 'home-'));
  const cfg = loadConfig({
    env: { BULKHEAD_LOG_LEVEL: 'silent', ...env },
    cwd: home,
    overrides: {
      home,
      retention: { flowsDays: 0, rollupDays: 0 },
      clickhouse: { database: uniqueName('t') },
      ...overrides,
    },
  });
  if (cfg.clickhouse.mode === 'embedded') cfg.clickhouse = { ...cfg.clickhouse, dataDir: join(processHome, 'clickhouse') };
  return cfg;
}

export const pgUrl = () => inject('pgUrl');
export const pgSkipReason = () => inject('pgSkipReason');

/** A fresh PostgreSQL database on the test server; returns its URL. */
export async function createPgDatabase(): Promise<string> {
  const base = pgUrl();
  if (!base) throw new Error(`no PostgreSQL test server: ${pgSkipReason()}`);
  const name = uniqueName('bulkhead');
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  return base.replace(/\/[^/]*$/, `/${name}`);
}
