// Who is calling, from what a request carries: an API token (Authorization: Bearer bh_...) or a
// session cookie. Free of HTTP types: the app and the CLI server pass the strings in.
import { audit } from '../audit';
import type { Config } from '../config';
import type { Db } from '../db';
import type { Principal } from './principal';
import { resolveSession } from './sessions';
import { signInThrottle } from './throttle';
import { resolveApiToken } from './tokens';

export interface RequestCredentials {
  /** the Authorization header */
  authorization?: string | null;
  /** the session cookie's value */
  sessionToken?: string | null;
  ip: string | null;
  userAgent: string | null;
}

export type AuthResult =
  | { kind: 'principal'; principal: Principal; by: 'session' | 'token'; sessionToken?: string }
  | { kind: 'anonymous'; reason: string }
  | { kind: 'refused'; status: 401 | 429; message: string; retryAfterSeconds?: number };

export async function authenticate(db: Db, config: Config, c: RequestCredentials): Promise<AuthResult> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.authorization ?? '')?.[1];
  if (c.authorization && !bearer) return { kind: 'refused', status: 401, message: 'the Authorization header must be "Bearer <API token>"' };
  if (bearer) {
    // the token first: a valid one is never refused because others presented bad ones from the
    // same address (a shared NAT, or an attacker next to an admin); tokens are 256-bit random, so
    // the throttle only slows and records guessing
    const r = await resolveApiToken(db, bearer);
    if (r.ok) return { kind: 'principal', principal: r.principal, by: 'token' };
    const throttle = signInThrottle(db);
    const t = await throttle.checkToken(c.ip);
    if (!t.allowed) return { kind: 'refused', status: 429, message: `too many bad API tokens from this address; try again in ${t.retryAfterSeconds} s`, retryAfterSeconds: t.retryAfterSeconds };
    await throttle.tokenFailed(c.ip);
    await audit(db, {
      actor: { type: 'anonymous', name: `API token ${bearer.slice(0, 10)}…` },
      action: 'auth.token',
      target: r.tokenId ? { type: 'token', id: r.tokenId } : null,
      summary: `API token refused: ${r.reason}`,
      ip: c.ip,
      userAgent: c.userAgent,
      via: 'api',
      outcome: 'failed',
    });
    return { kind: 'refused', status: 401, message: `the API token is ${r.reason === 'malformed' || r.reason === 'unknown' ? 'not valid' : r.reason === 'disabled' ? "of a disabled user" : r.reason}` };
  }
  if (c.sessionToken) {
    const s = await resolveSession(db, config, c.sessionToken);
    if (s.ok) return { kind: 'principal', principal: s.principal, by: 'session', sessionToken: c.sessionToken };
    return { kind: 'anonymous', reason: s.reason === 'unknown' ? 'the session is not valid' : `the session ended (${s.reason})` };
  }
  return { kind: 'anonymous', reason: 'not signed in' };
}
