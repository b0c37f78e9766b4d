// What every command receives: where it writes, the configuration, and the stores.
import type { AuditInput } from '../lib/audit';
import type { Permission } from '../lib/auth/permissions';
import type { Principal } from '../lib/auth/principal';
import type { Config } from '../lib/config';
import type { Runtime } from '../lib/runtime';
import type { CommandIO } from './io';
import { BulkheadError } from '../lib/errors';

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
