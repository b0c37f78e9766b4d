// Browser sessions: a random secret in an HttpOnly cookie, its SHA-256 in the database. A
// session ends at its absolute expiry (BULKHEAD_SESSION_HOURS), after BULKHEAD_SESSION_IDLE_MINUTES
// without a request, at sign-out, when its user is disabled or deleted, or when the password
// changes. Every request reads the user's current role, so role changes apply at once.
import type { Config } from '../config';
import type { Db } from '../db';
import type { Role } from './permissions';
import type { Principal } from './principal';
import { hmac, randomSecret, safeEqual, sha256 } from './secrets';

/** lastSeenAt is written at most this often (a write per request would be wasted work). */
const TOUCH_EVERY_MS = 60_000;

export interface NewSession {
  token: string;
  csrf: string;
  id: string;
  expiresAt: Date;
}

export async function createSession(
  db: Db,
  config: Config,
  userId: string,
  meta: { ip?: string | null; userAgent?: string | null; method: 'password' | 'oidc' },
): Promise<NewSession> {
  const now = new Date();
  // Sweep ended sessions of everyone now and then: sign-in is a natural, rare moment for it.
  await db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { lastSeenAt: { lt: new Date(now.getTime() - config.auth.idleMinutes * 60_000) } }] } });
  const token = randomSecret();
  const expiresAt = new Date(now.getTime() + config.auth.sessionHours * 3_600_000);
  const s = await db.session.create({
    data: { userId, tokenHash: sha256(token), expiresAt, lastSeenAt: now, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 400) ?? null, authMethod: meta.method },
  });
  await db.user.update({ where: { id: userId }, data: { lastLoginAt: now } });
  return { token, csrf: csrfToken(token), id: s.id, expiresAt };
}

/** The CSRF token of a session: bound to its secret, so another site can neither read nor forge it. */
export const csrfToken = (sessionToken: string) => hmac(sessionToken, 'bulkhead csrf v1');
export const csrfMatches = (sessionToken: string, given: string | null | undefined) => !!given && safeEqual(csrfToken(sessionToken), given);

export type SessionCheck =
  | { ok: true; principal: Principal; sessionId: string; expiresAt: Date }
  | { ok: false; reason: 'unknown' | 'expired' | 'idle' | 'disabled' };

export async function resolveSession(db: Db, config: Config, token: string, now = new Date()): Promise<SessionCheck> {
  if (!token || token.length > 200) return { ok: false, reason: 'unknown' };
  const s = await db.session.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } });
  if (!s) return { ok: false, reason: 'unknown' };
  const idle = now.getTime() - s.lastSeenAt.getTime() > config.auth.idleMinutes * 60_000;
  if (s.expiresAt <= now || idle || s.user.disabled) {
    await db.session.deleteMany({ where: { id: s.id } });
    return { ok: false, reason: s.user.disabled ? 'disabled' : idle ? 'idle' : 'expired' };
  }
  if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.session.updateMany({ where: { id: s.id }, data: { lastSeenAt: now } });
  }
  return {
    ok: true,
    sessionId: s.id,
    expiresAt: s.expiresAt,
    principal: { type: 'user', id: s.user.id, userId: s.user.id, name: s.user.email, role: s.user.role as Role, sessionId: s.id },
  };
}

/** End the session holding this secret (sign-out). Returns its user id, if there was one. */
export async function endSession(db: Db, token: string): Promise<{ userId: string; id: string } | null> {
  const s = await db.session.findUnique({ where: { tokenHash: sha256(token) } });
  if (!s) return null;
  await db.session.deleteMany({ where: { id: s.id } });
  return { userId: s.userId, id: s.id };
}

export async function listSessions(db: Db, userId: string) {
  const rows = await db.session.findMany({ where: { userId }, orderBy: { lastSeenAt: 'desc' } });
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
    method: s.authMethod,
  }));
}

/** End one session of a user (from the account page: "sign out that browser"). */
export async function revokeSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  return (await db.session.deleteMany({ where: { id: sessionId, userId } })).count > 0;
}
