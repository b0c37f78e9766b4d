// What the account commands (users, tokens, owners) share: account errors as messages for the
// terminal, and where people sign in.
import { readServerInfo } from '../../lib/server-info';
import type { CommandContext } from '../context';
import { UserError } from '../context';

/** Run fn; an AccountError (not found, exists, last admin...) becomes a plain message. */
export async function accountErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = e as Error & { status?: number };
    if (err.name === 'AccountError') throw new UserError(err.message, err.status === 404 ? 4 : 1);
    throw e;
  }
}

/** The address people open to sign in. */
export function signInUrl(ctx: CommandContext): string {
  const base = ctx.config.auth.publicUrl ?? readServerInfo(ctx.config.home, { includeSelf: true })?.url ?? `http://localhost:${ctx.config.web.port}`;
  return `${base}/signin`;
}


export const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');
