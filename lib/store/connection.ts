// One @clickhouse/client code path over two connections: the embedded chDB engine (a data
// directory under BULKHEAD_HOME) or a ClickHouse server/cluster over HTTP.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseConfig } from '../config';
import { describeHolder, readServerInfo } from '../server-info';
import { BulkheadError } from '../errors';
import { processAlive } from '../process';

/** The embedded data directory is held by another process (chDB allows one per directory). */
export class StoreBusyError extends BulkheadError {
  override name = 'StoreBusyError';
  constructor(
    readonly dataDir: string,
    readonly holder: string,
  ) {
    super(
      'busy',
      `The embedded ClickHouse store at ${dataDir} is in use by ${holder}. ` +
        'Only one process can open it. Run this command while that server is up (it goes through the server), ' +
        'stop that process, or use a ClickHouse server (CLICKHOUSE_URL) that any number of processes can share.',
    );
  }
}

interface Shared {
  path: string;
  client: ClickHouseClient;
  refs: number;
}
// The engine is a process singleton and the CLI and the Next.js server bundles each carry their
// own copy of this module, so the shared connection lives on globalThis, not in a module variable.
const KEY = Symbol.for('bulkhead.chdb.connection');
type G = typeof globalThis & { [KEY]?: Shared };

/** The live process other than this one that chDB's status file names as the directory's owner. */
function lockHolderPid(dataDir: string): number | null {
  const status = join(dataDir, 'status');
  if (!existsSync(status)) return null;
  const pid = Number(/PID:\s*(\d+)/.exec(readFileSync(status, 'utf8'))?.[1]);
  if (!pid || pid === process.pid) return null;
  return processAlive(pid) ? pid : null;
}

/** Who holds an embedded data directory: from server.json when a Bulkhead server wrote one, else chDB's status file. */
function holderOf(dataDir: string, home: string): string {
  const info = readServerInfo(home);
  if (info) return describeHolder(info);
  const pid = lockHolderPid(dataDir);
  if (pid === null) return 'another process';
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    // not Linux, or the process is gone
  }
  return `process ${pid}${cmd ? ` (${cmd.length > 120 ? `${cmd.slice(0, 117)}...` : cmd})` : ''}`;
}

async function openEmbedded(dataDir: string, home: string): Promise<ClickHouseClient> {
  const g = globalThis as G;
  const shared = g[KEY];
  if (shared) {
    if (shared.path !== dataDir) {
      throw new Error(`This process already opened the embedded store at ${shared.path}; chDB allows one data directory per process (asked for ${dataDir})`);
    }
    shared.refs++;
    return shared.client;
  }
  // Loaded on demand: the engine is a large native library that commands like --help never need.
  const { createChdbConnection } = await import('chdb/connection');
  let connection;
  try {
    connection = createChdbConnection({ path: dataDir });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // chDB reports the lock conflict only on the native stderr; its error says "Failed to create
    // connection". A live process named in the directory's status file is the telling sign.
    if (/Cannot lock file|already running/.test(msg) || lockHolderPid(dataDir) !== null) throw new StoreBusyError(dataDir, holderOf(dataDir, home));
    throw e;
  }
  // No client-wide clickhouse_settings here: the chDB connection turns them into a `SET ...;`
  // prefix on every statement, and a multi-statement text makes the engine scan inline insert
  // data (measured: inserts 30% slower). Per-query settings go with the queries that need them.
  const client = createClient({ connection } as unknown as Parameters<typeof createClient>[0]);
  g[KEY] = { path: dataDir, client, refs: 1 };
  return client;
}

async function closeEmbedded(client: ClickHouseClient) {
  const g = globalThis as G;
  const shared = g[KEY];
  if (!shared || shared.client !== client) return;
  if (--shared.refs > 0) return;
  delete g[KEY];
  await client.close();
}

export interface Connection {
  client: ClickHouseClient;
  close(): Promise<void>;
}

export async function connect(cfg: ClickHouseConfig, home: string): Promise<Connection> {
  if (cfg.mode === 'embedded') {
    const client = await openEmbedded(cfg.dataDir, home);
    return { client, close: () => closeEmbedded(client) };
  }
  const client = createClient({
    url: cfg.url,
    username: cfg.username,
    password: cfg.password,
    request_timeout: 300_000,
  });
  return { client, close: () => client.close() };
}
