// What the account commands (users, tokens, owners) share: where people sign in, and dates.
import { readServerInfo } from '../../lib/server-info';
import type { CommandContext } from '../context';

/** The address people open to sign in. */
export function signInUrl(ctx: CommandContext): string {
  const base = ctx.config.auth.publicUrl ?? readServerInfo(ctx.config.home, { includeSelf: true })?.url ?? `http://localhost:${ctx.config.web.port}`;
  return `${base}/signin`;
}


export const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');
