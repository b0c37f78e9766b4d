// The client half of CLI forwarding. Commands that need the stores while `bulkhead serve` holds
// the embedded store run inside that server: the CLI posts its arguments to /api/v1/cli and
// prints what comes back (output, messages, progress, exit code) as newline-delimited JSON events.
// The server half is the endpoint (app/api/v1/cli/route.ts) and the runner serve registers
// (cli/forwarded.ts).
//
// Authentication, two ways (checked by the endpoint):
// - the local secret in the server's card ($BULKHEAD_HOME/server.json, mode 0600), from loopback
//   only: whoever can read it can open the data directory anyway, so the caller is the local
//   operator (admin), and is audited as such;
// - an API token (BULKHEAD_URL + BULKHEAD_TOKEN, a CLI on another machine), from anywhere: the
//   command runs as the token's user and role, and only if it declares a permission the role
//   holds (cli/main.ts). Bad tokens are throttled and audited like on the JSON API.
import type { Config } from '../lib/config';
import { CLI_PATH, type ForwardEvent, type ForwardRequest } from '../lib/forwarding';
import { readServerInfo } from '../lib/server-info';
import { UserError } from './context';
import type { CommandIO, Progress } from './io';

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

async function forward(to: { url: string; bearer: string; what: string }, body: ForwardRequest, io: CommandIO, signal: AbortSignal): Promise<number> {
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
      const ev = JSON.parse(line) as ForwardEvent;
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
