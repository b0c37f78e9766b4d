// What every command receives: where it writes, the configuration, and the stores.
import type { Config } from '../lib/config';
import type { Runtime } from '../lib/runtime';
import type { CommandIO } from './io';

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
}

/** An error whose message is meant for the person at the terminal: printed without a stack. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
