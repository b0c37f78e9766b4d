// Commands that need the stores while `bulkhead serve` holds the embedded store run inside that
// server: the CLI posts its arguments to /api/v1/cli and prints what comes back (output,
// messages, progress, exit code) as newline-delimited JSON events.
//
// Authentication, two ways:
// - the local secret in the server's card ($BULKHEAD_HOME/server.json, mode 0600), from loopback
//   only: whoever can read it can open the data directory anyway, so the caller is the local
//   operator (admin), and is audited as such;
// - an API token (BULKHEAD_URL + BULKHEAD_TOKEN, a CLI on another machine), from anywhere: the
//   command runs as the token's user and role, and only if it declares a permission the role
//   holds (cli/main.ts). Bad tokens are throttled and audited like on the JSON API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { clientAddress } from '../lib/auth/address';
import { authenticate } from '../lib/auth/authenticate';
import { localOperator, type Principal } from '../lib/auth/principal';
import { looksLikeToken } from '../lib/auth/tokens';
import type { Config } from '../lib/config';
import type { Runtime } from '../lib/runtime';
import { readServerInfo } from '../lib/server-info';
import { UserError } from './context';
import type { CommandIO, Progress } from './io';

type Event =
  | { t: 'out'; s: string }
  | { t: 'err'; s: string }
  | { t: 'progress'; id: number; label: string; total: number; unit: string; done: number; stop?: boolean; message?: string }
  | { t: 'exit'; code: number };

export const CLI_PATH = '/api/v1/cli';

/** Runs the command through a live server when one holds the embedded store; null when there is none. */
export async function forwardIfServerRunning(
  config: Config,
  argv: string[],
  cwd: string,
  io: CommandIO,
  signal: AbortSignal,
  extra: { operator?: string; stdin?: string } = {},
): Promise<number | null> {
  if (config.clickhouse.mode !== 'embedded') return null;
  const info = readServerInfo(config.home);
  if (!info) return null;
  if (io.interactive) io.err(`(running through the Bulkhead server at ${info.url}, pid ${info.pid})`);
  return forward({ url: info.url, bearer: info.secret, what: `The Bulkhead server (pid ${info.pid}) holds the store but` }, { argv, cwd, operator: extra.operator, stdin: extra.stdin }, io, signal);
}

/** Runs the command on the server at BULKHEAD_URL with the API token in BULKHEAD_TOKEN. */
export async function forwardRemote(config: Config, argv: string[], cwd: string, io: CommandIO, signal: AbortSignal, stdin?: string): Promise<number> {
  const url = config.client.url!;
  if (!config.client.token) throw new UserError(`BULKHEAD_URL is set (${url}) but BULKHEAD_TOKEN is not: create a token on the server (bulkhead tokens create, or the account page) and set it.`);
  if (io.interactive) io.err(`(running on the Bulkhead server at ${url})`);
  return forward({ url, bearer: config.client.token, what: `The Bulkhead server at ${url}` }, { argv, cwd, stdin }, io, signal);
}

async function forward(to: { url: string; bearer: string; what: string }, body: { argv: string[]; cwd: string; operator?: string; stdin?: string }, io: CommandIO, signal: AbortSignal): Promise<number> {
  let res: Response;
  try {
    res = await fetch(`${to.url}${CLI_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${to.bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (e) {
    throw new UserError(`${to.what} did not answer at ${to.url}: ${(e as Error).cause ?? (e as Error).message}. Wait for it to finish starting, or stop it.`);
  }
  if (!res.ok || !res.body) {
    throw new UserError(`The Bulkhead server at ${to.url} refused the command: ${res.status} ${(await res.text()).trim()}`);
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
  throw new UserError(`The Bulkhead server at ${to.url} closed the connection before the command finished (see the server's log).`);
}

function isLoopback(addr: string | undefined): boolean {
  return !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));
}

function secretMatches(header: string | undefined, secret: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const want = Buffer.from(secret);
  return given.length === want.length && timingSafeEqual(given, want);
}

type Caller = { ok: true; actor: Principal | null; ip: string | null } | { ok: false; status: number; message: string };

/** The local operator (secret, loopback), a token's user, or a refusal. */
async function identify(req: IncomingMessage, runtime: Runtime, secret: string): Promise<Caller> {
  const header = req.headers.authorization;
  const h = { get: (name: string) => (req.headers[name] as string | undefined) ?? null };
  const ip = clientAddress(h, runtime.config);
  if (secret && secretMatches(header, secret)) {
    if (!isLoopback(req.socket.remoteAddress)) return { ok: false, status: 403, message: 'forbidden: the local secret is accepted from this machine only' };
    return { ok: true, actor: null, ip };
  }
  const bearer = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  if (!looksLikeToken(bearer)) return { ok: false, status: 401, message: 'unauthorized: send the server\'s local secret (a local CLI does) or an API token (BULKHEAD_TOKEN)' };
  const auth = await authenticate(runtime.db.prisma, runtime.config, { authorization: header, ip, userAgent: (req.headers['user-agent'] as string | undefined) ?? 'bulkhead CLI' });
  if (auth.kind === 'principal') return { ok: true, actor: auth.principal, ip };
  return { ok: false, status: auth.kind === 'refused' ? auth.status : 401, message: auth.kind === 'refused' ? auth.message : 'unauthorized' };
}

/** The server side: run a forwarded command against this process's runtime, streaming events. */
export async function serveCliRequest(req: IncomingMessage, res: ServerResponse, runtime: Runtime, secret: string): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end('POST only\n');
    return;
  }
  const caller = await identify(req, runtime, secret);
  if (!caller.ok) {
    res.writeHead(caller.status).end(`${caller.message}\n`);
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
  let operator: string | undefined;
  let stdin: string | undefined;
  try {
    const parsed = JSON.parse(body) as { argv?: unknown; cwd?: unknown; operator?: unknown; stdin?: unknown };
    if (!Array.isArray(parsed.argv) || !parsed.argv.every((a) => typeof a === 'string') || typeof parsed.cwd !== 'string') throw new Error('shape');
    argv = parsed.argv as string[];
    cwd = parsed.cwd;
    operator = typeof parsed.operator === 'string' ? parsed.operator.slice(0, 200) : undefined;
    stdin = typeof parsed.stdin === 'string' ? parsed.stdin : undefined;
  } catch {
    res.writeHead(400).end('expected {"argv": [string], "cwd": string}\n');
    return;
  }
  // The local operator names itself (informational: the secret, not the name, is what counts).
  const actor = caller.actor ?? (operator?.startsWith('local operator') ? { ...localOperator(), name: operator } : localOperator('through the server'));
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
  const code = await runCli(argv, { io, cwd, forwardedRuntime: async () => runtime, signal: abort.signal, actor, clientIp: caller.ip, stdin });
  send({ t: 'exit', code });
  res.end();
}
