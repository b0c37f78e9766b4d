// Commands that need the stores while `bulkhead serve` holds the embedded store run inside that
// server: the CLI posts its arguments to /api/v1/cli and prints what comes back (output,
// messages, progress, exit code) as newline-delimited JSON events.
//
// Authentication: the server's card ($BULKHEAD_HOME/server.json, mode 0600) holds a secret;
// whoever can read it can open the data directory anyway. Only loopback clients are served.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../lib/config';
import type { Runtime } from '../lib/runtime';
import { readServerInfo, type ServerInfo } from '../lib/server-info';
import { UserError } from './context';
import type { CommandIO, Progress } from './io';

type Event =
  | { t: 'out'; s: string }
  | { t: 'err'; s: string }
  | { t: 'progress'; id: number; label: string; total: number; unit: string; done: number; stop?: boolean; message?: string }
  | { t: 'exit'; code: number };

export const CLI_PATH = '/api/v1/cli';

/** Runs the command through a live server when one holds the embedded store; null when there is none. */
export async function forwardIfServerRunning(config: Config, argv: string[], cwd: string, io: CommandIO, signal: AbortSignal): Promise<number | null> {
  if (config.clickhouse.mode !== 'embedded') return null;
  const info = readServerInfo(config.home);
  if (!info) return null;
  if (io.interactive) io.err(`(running through the Bulkhead server at ${info.url}, pid ${info.pid})`);
  return forward(info, argv, cwd, io, signal);
}

async function forward(info: ServerInfo, argv: string[], cwd: string, io: CommandIO, signal: AbortSignal): Promise<number> {
  let res: Response;
  try {
    res = await fetch(`${info.url}${CLI_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv, cwd }),
      signal,
    });
  } catch (e) {
    throw new UserError(`The Bulkhead server (pid ${info.pid}) holds the store but did not answer at ${info.url}: ${(e as Error).cause ?? (e as Error).message}. Wait for it to finish starting, or stop it.`);
  }
  if (!res.ok || !res.body) {
    throw new UserError(`The Bulkhead server at ${info.url} refused the command: ${res.status} ${await res.text()}`);
  }
  const bars = new Map<number, Progress>();
  let pending = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line) continue;
      const ev = JSON.parse(line) as Event;
      if (ev.t === 'out') io.out(ev.s);
      else if (ev.t === 'err') io.err(ev.s);
      else if (ev.t === 'progress') {
        let bar = bars.get(ev.id);
        if (!bar) bars.set(ev.id, (bar = io.progress(ev.label, ev.total, ev.unit)));
        if (ev.stop) {
          bar.stop(ev.message);
          bars.delete(ev.id);
        } else bar.update(ev.done, ev.total);
      } else if (ev.t === 'exit') return ev.code;
    }
  }
  throw new UserError(`The Bulkhead server at ${info.url} closed the connection before the command finished (see the server's log).`);
}

function isLoopback(addr: string | undefined): boolean {
  return !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));
}

function secretMatches(header: string | undefined, secret: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const want = Buffer.from(secret);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** The server side: run a forwarded command against this process's runtime, streaming events. */
export async function serveCliRequest(req: IncomingMessage, res: ServerResponse, runtime: Runtime, secret: string): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end('POST only\n');
    return;
  }
  if (!isLoopback(req.socket.remoteAddress) || !secretMatches(req.headers.authorization, secret)) {
    res.writeHead(403).end('forbidden: local CLI with the server secret only\n');
    return;
  }
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 1 << 20) {
      res.writeHead(413).end('request too large\n');
      return;
    }
  }
  let argv: string[];
  let cwd: string;
  try {
    const parsed = JSON.parse(body) as { argv?: unknown; cwd?: unknown };
    if (!Array.isArray(parsed.argv) || !parsed.argv.every((a) => typeof a === 'string') || typeof parsed.cwd !== 'string') throw new Error('shape');
    argv = parsed.argv as string[];
    cwd = parsed.cwd;
  } catch {
    res.writeHead(400).end('expected {"argv": [string], "cwd": string}\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const send = (ev: Event) => {
    if (!res.writableEnded) res.write(`${JSON.stringify(ev)}\n`);
  };
  let nextId = 1;
  const io: CommandIO = {
    interactive: false,
    out: (s) => send({ t: 'out', s }),
    err: (s) => send({ t: 'err', s }),
    progress(label, total = 0, unit = '') {
      const id = nextId++;
      let done = 0;
      let last = 0;
      const emit = (force = false) => {
        const now = Date.now();
        if (!force && now - last < 200) return;
        last = now;
        send({ t: 'progress', id, label, total, unit, done });
      };
      emit(true);
      return {
        update(n, t) {
          done = n;
          if (t !== undefined) total = t;
          emit();
        },
        increment(by = 1) {
          done += by;
          emit();
        },
        stop(message) {
          emit(true);
          send({ t: 'progress', id, label, total, unit, done, stop: true, message });
        },
      };
    },
  };
  const { runCli } = await import('./main');
  const code = await runCli(argv, { io, cwd, forwardedRuntime: async () => runtime, signal: abort.signal });
  send({ t: 'exit', code });
  res.end();
}
