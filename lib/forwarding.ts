// CLI forwarding: what the `bulkhead` command (client, cli/forward.ts), the endpoint that
// receives it (app/api/v1/cli/route.ts) and the command runner that `bulkhead serve` registers
// (cli/forwarded.ts) agree on. The wire is newline-delimited JSON events; this module knows the
// events, not how they travel.
import type { Principal } from './auth/principal';

export const CLI_PATH = '/api/v1/cli';

/** What a forwarded command sends back, one JSON object a line, ending with `exit`. */
export type ForwardEvent =
  | { t: 'out'; s: string }
  | { t: 'err'; s: string }
  | { t: 'progress'; id: number; label: string; total: number; unit: string; done: number; stop?: boolean; message?: string }
  | { t: 'exit'; code: number };

/** The request body a client posts. */
export interface ForwardRequest {
  argv: string[];
  cwd: string;
  /** the local operator's name for the audit log (informational: the secret is what counts) */
  operator?: string;
  /** the standard input the client read, sent along */
  stdin?: string;
}

/** The largest request body accepted (arguments and standard input). */
export const MAX_FORWARD_BYTES = 1 << 20;

/** The body as sent, or null when it is not the shape above. */
export function parseForwardRequest(text: string): ForwardRequest | null {
  let parsed: { argv?: unknown; cwd?: unknown; operator?: unknown; stdin?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return null;
  }
  if (!parsed || !Array.isArray(parsed.argv) || !parsed.argv.every((a) => typeof a === 'string') || typeof parsed.cwd !== 'string') return null;
  return {
    argv: parsed.argv as string[],
    cwd: parsed.cwd,
    operator: typeof parsed.operator === 'string' ? parsed.operator.slice(0, 200) : undefined,
    stdin: typeof parsed.stdin === 'string' ? parsed.stdin : undefined,
  };
}

/** A command to run on behalf of a client that has been identified. */
export interface ForwardedCommand {
  argv: string[];
  cwd: string;
  stdin?: string;
  /** who sent it: a token's user, or the local operator */
  actor: Principal;
  /** the client's address, for the audit log */
  clientIp: string | null;
  /** aborted when the client goes away */
  signal: AbortSignal;
}

/** Runs a forwarded command against this process's stores, emitting its events; returns the exit code. */
export type CommandRunner = (command: ForwardedCommand, emit: (event: ForwardEvent) => void) => Promise<number>;

/**
 * What `bulkhead serve` puts on the shared runtime (Runtime.commands) so that the endpoint can
 * run commands without importing the CLI: the CLI bundle and the Next.js bundle are separate,
 * and the CLI's entry point loads the serve command, so an import the other way would be a cycle.
 */
export interface CommandServer {
  run: CommandRunner;
  /** the local secret in server.json; empty until the card is written (then only tokens are accepted) */
  secret: string;
}
