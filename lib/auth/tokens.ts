// API tokens for automation and for a CLI on another machine (BULKHEAD_URL + BULKHEAD_TOKEN).
// A token is "bh_" and 43 random characters; the database keeps its SHA-256 and its first
// characters (to tell tokens apart in listings). A token acts with its own role, never above its
// user's current role, and stops working when revoked, expired, or its user is disabled.
import type { Db } from '../db';
import { AccountError } from './errors';
import { isRole, lesserRole, roleRank, type Role } from './permissions';
import type { Principal } from './principal';
import { randomSecret, sha256 } from './secrets';

export const TOKEN_PREFIX = 'bh_';
const TOKEN_SHAPE = /^bh_[A-Za-z0-9_-]{43}$/;
const TOUCH_EVERY_MS = 60_000;

export const looksLikeToken = (s: string) => TOKEN_SHAPE.test(s);

type TokenRow = Awaited<ReturnType<Db['apiToken']['findFirstOrThrow']>>;

export function publicToken(t: TokenRow & { user?: { email: string } }) {
  const now = Date.now();
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: t.role as Role,
    userId: t.userId,
    user: t.user?.email,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    state: t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt.getTime() <= now ? 'expired' : 'active',
  };
}
export type PublicToken = ReturnType<typeof publicToken>;

/**
 * Create a token for a user. `maxRole` is the creator's own role: nobody hands out a token
 * stronger than themselves. Returns the secret once; it cannot be shown again.
 */
export async function createApiToken(
  db: Db,
  input: { userId: string; name: string; role?: string; expiresInDays?: number | null; maxRole: Role },
): Promise<{ token: string; record: PublicToken }> {
  const user = await db.user.findUnique({ where: { id: input.userId } });
  if (!user) throw new AccountError(`no user ${input.userId}`, 'not-found');
  if (user.disabled) throw new AccountError(`${user.email} is disabled`, 'conflict');
  const role = input.role ?? lesserRole(user.role as Role, input.maxRole);
  if (!isRole(role)) throw new AccountError(`"${role}" is not a role (admin, architect, owner, viewer)`);
  if (roleRank(role) > roleRank(user.role as Role)) throw new AccountError(`a token of ${user.email} cannot have role ${role}: the user is ${user.role}`, 'forbidden');
  if (roleRank(role) > roleRank(input.maxRole)) throw new AccountError(`you cannot create a token with role ${role}: yours is ${input.maxRole}`, 'forbidden');
  const name = input.name.trim();
  if (!name || name.length > 100) throw new AccountError('a token needs a name of 1 to 100 characters (what it is for)');
  if (input.expiresInDays != null && !(input.expiresInDays > 0 && input.expiresInDays <= 3650)) throw new AccountError('expiry: 1 to 3650 days');
  const token = `${TOKEN_PREFIX}${randomSecret()}`;
  const row = await db.apiToken.create({
    data: {
      userId: user.id,
      name,
      role,
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
    },
    include: { user: { select: { email: true } } },
  });
  return { token, record: publicToken(row) };
}

export async function listApiTokens(db: Db, filter: { userId?: string; includeRevoked?: boolean } = {}) {
  const rows = await db.apiToken.findMany({
    where: { ...(filter.userId ? { userId: filter.userId } : {}), ...(filter.includeRevoked ? {} : { revokedAt: null }) },
    orderBy: { createdAt: 'desc' },
    include: { user: { select: { email: true } } },
  });
  return rows.map(publicToken);
}

/** Find a token by id or by its shown prefix ("bh_AbCdEfG"). */
export async function getApiToken(db: Db, idOrPrefix: string) {
  const rows = await db.apiToken.findMany({ where: idOrPrefix.startsWith(TOKEN_PREFIX) ? { prefix: idOrPrefix } : { id: idOrPrefix }, include: { user: { select: { email: true } } } });
  if (rows.length === 0) throw new AccountError(`no API token ${idOrPrefix}`, 'not-found');
  if (rows.length > 1) throw new AccountError(`${rows.length} tokens start with ${idOrPrefix}; give the id (bulkhead tokens list shows it)`, 'conflict');
  return rows[0]!;
}

export async function revokeApiToken(db: Db, id: string) {
  const t = await db.apiToken.findUnique({ where: { id }, include: { user: { select: { email: true } } } });
  if (!t) throw new AccountError(`no API token ${id}`, 'not-found');
  if (t.revokedAt) return { before: publicToken(t), after: publicToken(t) };
  const after = await db.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, include: { user: { select: { email: true } } } });
  return { before: publicToken(t), after: publicToken(after) };
}

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired' | 'disabled'; tokenId?: string };

export async function resolveApiToken(db: Db, token: string, now = new Date()): Promise<TokenCheck> {
  if (!looksLikeToken(token)) return { ok: false, reason: 'malformed' };
  const t = await db.apiToken.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } });
  if (!t) return { ok: false, reason: 'unknown' };
  if (t.revokedAt) return { ok: false, reason: 'revoked', tokenId: t.id };
  if (t.expiresAt && t.expiresAt <= now) return { ok: false, reason: 'expired', tokenId: t.id };
  if (t.user.disabled) return { ok: false, reason: 'disabled', tokenId: t.id };
  if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.apiToken.updateMany({ where: { id: t.id }, data: { lastUsedAt: now } });
  }
  return {
    ok: true,
    principal: {
      type: 'token',
      id: t.user.id,
      userId: t.user.id,
      name: t.user.email,
      role: lesserRole(t.role as Role, t.user.role as Role),
      tokenId: t.id,
      tokenName: t.name,
    },
  };
}
