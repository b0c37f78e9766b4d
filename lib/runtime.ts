// A process's open stores and flow sink, opened once. `bulkhead serve` opens it and the Next.js
// route handlers in the same process reach it through getRuntime(): the chDB engine allows one
// owner per data directory, so the web app, the collectors and the CLI-through-server share it.
import type { Config } from './config';
import { loadConfig } from './config';
import { timeWindowOf } from './store/admission';
import { openDatabase, type Database } from './db';
import type { CollectorStatusSource } from './flow/collector-status';
import type { CommandServer } from './forwarding';
import { syncNamedNetworks } from './identity/networks';
import { createLogger, type Logger } from './log';
import { Store } from './store';
import { FlowSink, type SinkOptions } from './store/sink';

export interface Runtime {
  config: Config;
  log: Logger;
  store: Store;
  db: Database;
  sink: FlowSink;
  /** the flow collectors running in this process (set by serve/collect), for the exporters view */
  collectors?: CollectorStatusSource;
  /** set by serve: runs commands forwarded by CLIs in other processes (POST /api/v1/cli) */
  commands?: CommandServer;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, opts: { log?: Logger; sink?: SinkOptions } = {}): Promise<Runtime> {
  const log = opts.log ?? createLogger(config.log.level);
  const store = await Store.open(config);
  if (store.migration.applied.length) log.info({ applied: store.migration.applied }, 'ClickHouse schema migrated');
  let db: Database;
  try {
    db = await openDatabase(config.database);
  } catch (e) {
    await store.close();
    throw e;
  }
  if (db.applied.length) log.info({ applied: db.applied }, 'database schema migrated');
  try {
    // ClickHouse's copy of the named networks holds the built-in classes (private, internet, ...)
    // that endpoint naming relies on; a fresh store has none until something syncs it.
    const [n] = await store.rows<{ n: number }>(`SELECT count() AS n FROM ${store.t('named_networks')}`);
    if (!n?.n) await syncNamedNetworks(db.prisma, store);
  } catch (e) {
    await db.close();
    await store.close();
    throw e;
  }
  const sink = new FlowSink(store, {
    timeWindow: timeWindowOf(config.admission),
    onError: (err, n) => log.warn({ err: err.message.split('\n')[0], records: n }, 'flow insert failed; retrying'),
    ...opts.sink,
  });
  let closing: Promise<void> | null = null;
  const runtime: Runtime = {
    config,
    log,
    store,
    db,
    sink,
    close() {
      closing ??= (async () => {
        await sink.close();
        await db.close();
        await store.close();
      })();
      return closing;
    },
  };
  return runtime;
}

const KEY = Symbol.for('bulkhead.runtime');
type G = typeof globalThis & { [KEY]?: Promise<Runtime> };

/** Make this process's runtime reachable by getRuntime() (from any bundle in the process). */
export function shareRuntime(runtime: Runtime) {
  (globalThis as G)[KEY] = Promise.resolve(runtime);
}

/**
 * The process's runtime: the one `bulkhead serve` shared, or (under `next dev`, where no CLI
 * started the process) one opened on first use from the environment.
 */
export function getRuntime(): Promise<Runtime> {
  const g = globalThis as G;
  g[KEY] ??= openRuntime(loadConfig()).catch((e) => {
    delete g[KEY];
    throw e;
  });
  return g[KEY];
}
