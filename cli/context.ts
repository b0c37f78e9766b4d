// What every command receives: where it writes, the configuration, and the stores.
import type { AuditInput } from '../lib/audit';
import type { Permission } from '../lib/auth/permissions';
import type { Principal } from '../lib/auth/principal';
import type { Config } from '../lib/config';
import type { Runtime } from '../lib/runtime';
import type { CommandIO } from './io';
import { BulkheadError } from '../lib/errors';

/** How a command is run: main.ts's runCli takes these, and commands get it as ctx.runCommand. */
export interface RunOptions {
  io?: CommandIO;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** set by the server when it runs a command for a CLI in another process */
  forwardedRuntime?: CommandContext['runtime'];
  signal?: AbortSignal;
  /** set by the server: who sent a forwarded command (default: the local operator) */
  actor?: Principal;
  /** set by the server: the forwarding client's address, for the audit log */
  clientIp?: string | null;
  /** set by the server: the standard input the client sent along */
  stdin?: string;
}

export interface CommandContext {
  io: CommandIO;
  /** the caller's working directory (relative paths in arguments resolve against it) */
  cwd: string;
  config: Config;
  /** true when running inside `bulkhead serve` on behalf of a CLI in another process */
  forwarded: boolean;
  /** the open stores: this process's own, or the server's when forwarded */
  runtime(): Promise<Runtime>;
  /** aborted on Ctrl-C (or when the forwarding client goes away) */
  signal: AbortSignal;
  /**
   * Who runs the command: the local operator (whoever can read BULKHEAD_HOME, directly or
   * through the server with its local secret), or the user behind an API token (a CLI on another
   * machine, BULKHEAD_URL + BULKHEAD_TOKEN).
   */
  actor: Principal;
  /** Refuse (UserError, audited) unless the actor holds the permission. */
  authorize(permission: Permission): Promise<void>;
  /** Record an audit event as the actor, through the CLI. */
  audit(event: Omit<AuditInput, 'actor' | 'via' | 'ip' | 'userAgent'>): Promise<void>;
  /** Standard input as text (sent along when the command runs through a server). */
  stdin(): Promise<string>;
  /**
   * Runs another bulkhead command in this process (argv without node and script); `bulkhead
   * serve` runs forwarded commands with it. Handed in rather than imported because main.ts loads
   * the command modules: a command importing main.ts would close an import cycle.
   */
  runCommand(argv: string[], opts: RunOptions): Promise<number>;
}

/** An error whose message is meant for the person at the terminal: printed without a stack. */
export class UserError extends BulkheadError {
  override name = 'UserError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super('invalid', message);
  }
}
