// `bulkhead doctor`: which stores are in use, whether they answer, versions, where data lives,
// free disk. Exit code 1 when a store does not answer, so scripts can gate on it.
import { existsSync, statfsSync } from 'node:fs';
import { ENVIRONMENT, redact } from '../../lib/config';
import { openDatabase, type Database } from '../../lib/db';
import { Store } from '../../lib/store';
import { readServerInfo } from '../../lib/server-info';
import { clickhouseStatus, databaseStatus } from '../../lib/status';
import { VERSION } from '../../lib/version';
import type { CommandContext } from '../context';

interface StoreReport {
  ok: boolean;
  kind: string;
  location: string;
  version?: string;
  latencyMs?: number;
  detail?: string;
  error?: string;
}

export interface DoctorReport {
  bulkhead: string;
  node: string;
  home: string;
  configFile: string | null;
  freeDiskBytes: number | null;
  server: { pid: number; url: string; startedAt: string } | null;
  answeredBy: string;
  clickhouse: StoreReport;
  database: StoreReport;
  ok: boolean;
}

function freeDisk(dir: string): number | null {
  let d = dir;
  while (!existsSync(d) && d !== '/') d = d.replace(/\/[^/]*$/, '') || '/';
  try {
    const s = statfsSync(d);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

const gib = (n: number) => `${(n / 2 ** 30).toFixed(1)} GiB`;

export async function report(ctx: CommandContext): Promise<DoctorReport> {
  const cfg = redact(ctx.config);
  const ch = cfg.clickhouse;
  const clickhouse: StoreReport = {
    ok: false,
    kind: ch.mode === 'embedded' ? 'embedded chDB' : 'ClickHouse server',
    location: ch.mode === 'embedded' ? `${ch.dataDir} (database ${ch.database})` : `${ch.url} (database ${ch.database}, user ${ch.username})`,
  };
  const dbc = cfg.database;
  const database: StoreReport = {
    ok: false,
    kind: dbc.provider === 'sqlite' ? 'SQLite' : 'PostgreSQL',
    location: dbc.provider === 'sqlite' ? dbc.file : dbc.url,
  };
  // Each store is checked on its own so that one failing does not hide the other's state.
  const shared = ctx.forwarded ? await ctx.runtime() : null;
  let store: Store | null = shared?.store ?? null;
  let db: Database | null = shared?.db ?? null;
  try {
    try {
      store ??= await Store.open(ctx.config);
      const h = await clickhouseStatus(store);
      Object.assign(clickhouse, { ok: h.ok, version: h.version, latencyMs: h.latencyMs, error: h.error });
      if (h.ok) clickhouse.detail = `schema version ${h.schemaVersion}, ${(h.flows ?? 0).toLocaleString('en-US')} raw flow records`;
    } catch (e) {
      clickhouse.error = (e as Error).message;
    }
    try {
      db ??= await openDatabase(ctx.config.database);
      const d = await databaseStatus(db);
      Object.assign(database, { ok: d.ok, version: d.version, latencyMs: d.latencyMs, error: d.error });
      if (d.ok) database.detail = `${d.workloads} workloads, ${d.rules} rules`;
    } catch (e) {
      database.error = (e as Error).message;
    }
  } finally {
    if (!shared) {
      await store?.close();
      await db?.close();
    }
  }
  const server = readServerInfo(ctx.config.home, { includeSelf: ctx.forwarded });
  return {
    bulkhead: VERSION,
    node: process.version,
    home: ctx.config.home,
    configFile: ctx.config.configFile,
    freeDiskBytes: freeDisk(ctx.config.home),
    server: server ? { pid: server.pid, url: server.url, startedAt: server.startedAt } : null,
    answeredBy: ctx.forwarded ? `the running server (pid ${process.pid})` : `this process (pid ${process.pid})`,
    clickhouse,
    database,
    ok: clickhouse.ok && database.ok,
  };
}

function line(name: string, s: StoreReport): string {
  const state = s.ok ? 'ok' : 'FAILED';
  const extra = s.ok ? [s.version && `version ${s.version}`, s.latencyMs !== undefined && `${s.latencyMs} ms`, s.detail].filter(Boolean).join(', ') : s.error;
  return `${name.padEnd(11)} ${state.padEnd(7)} ${s.kind} at ${s.location}\n${' '.repeat(19)}${extra ?? ''}`;
}

export async function run(ctx: CommandContext, opts: { json?: boolean; env?: boolean }) {
  if (opts.env) {
    for (const [name, what] of Object.entries(ENVIRONMENT)) {
      const v = process.env[name];
      const shown = v === undefined ? '(unset)' : /PASSWORD|SECRET|TOKEN/.test(name) ? '***' : /URL/.test(name) ? v.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@') : v;
      ctx.io.out(`${name.padEnd(32)} ${shown}\n${' '.repeat(33)}${what}`);
    }
    return 0;
  }
  const r = await report(ctx);
  if (opts.json) {
    ctx.io.out(JSON.stringify(r, null, 2));
    return r.ok ? 0 : 1;
  }
  const out: string[] = [];
  out.push(`Bulkhead ${r.bulkhead} on Node ${r.node}`);
  out.push(`home        ${r.home}${r.freeDiskBytes !== null ? ` (${gib(r.freeDiskBytes)} free)` : ''}`);
  out.push(`config      ${r.configFile ?? '(no config file; defaults and environment)'}`);
  out.push(`server      ${r.server ? `running, pid ${r.server.pid}, ${r.server.url}, since ${r.server.startedAt}` : 'not running'}`);
  out.push(`answered by ${r.answeredBy}`);
  out.push(line('clickhouse', r.clickhouse));
  out.push(line('database', r.database));
  if (r.ok) {
    out.push('', r.server ? `All good. Open ${r.server.url} in a browser.` : 'All good. Next: `npm start` (bulkhead serve), then open http://localhost:3000.');
  } else {
    out.push('', 'Something does not answer: see above. `bulkhead doctor --env` lists the settings that choose the stores.');
  }
  ctx.io.out(out.join('\n'));
  return r.ok ? 0 : 1;
}
