// The running server's card, $BULKHEAD_HOME/server.json: who holds the embedded store and how
// other processes reach it. Written by `bulkhead serve` when ready, removed on shutdown. The file
// is readable by its owner only: its secret lets local CLI commands run through the server.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './process';

export interface ServerInfo {
  pid: number;
  /** base URL for local clients (http://127.0.0.1:PORT) */
  url: string;
  /** bearer secret for local CLI forwarding */
  secret: string;
  startedAt: string;
  version: string;
  command: string;
}

export function serverInfoPath(home: string): string {
  return join(home, 'server.json');
}

/**
 * The card of a live server, or null (a card left by a crashed server is ignored). The server
 * itself reads its own card only when it asks to (includeSelf).
 */
export function readServerInfo(home: string, opts: { includeSelf?: boolean } = {}): ServerInfo | null {
  const path = serverInfoPath(home);
  if (!existsSync(path)) return null;
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as ServerInfo;
    if (typeof info.pid !== 'number' || !processAlive(info.pid) || (info.pid === process.pid && !opts.includeSelf)) return null;
    return info;
  } catch {
    return null;
  }
}

export function writeServerInfo(home: string, info: Omit<ServerInfo, 'secret' | 'pid' | 'startedAt'>): ServerInfo {
  mkdirSync(home, { recursive: true });
  const full: ServerInfo = { pid: process.pid, startedAt: new Date().toISOString(), secret: randomBytes(32).toString('base64url'), ...info };
  const path = serverInfoPath(home);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(full, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return full;
}

export function removeServerInfo(home: string) {
  const path = serverInfoPath(home);
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as ServerInfo;
    if (info.pid === process.pid) rmSync(path, { force: true });
  } catch {
    // already gone
  }
}

export function describeHolder(info: ServerInfo): string {
  return `\`${info.command}\` (pid ${info.pid}, serving ${info.url} since ${info.startedAt})`;
}
