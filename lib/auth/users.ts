// Accounts: create, change, disable, delete, check a password. The database keeps no password,
// only its scrypt hash (lib/auth/password.ts). One rule guards all changes: there is always at
// least one enabled admin, so nobody locks everyone out of user administration.
import { z } from 'zod';
import type { Db } from '../db';
import { AccountError } from './errors';
import { burnVerification, hashPassword, needsRehash, passwordProblem, verifyPassword } from './password';
import { isRole, type Role } from './permissions';

const emailSchema = z.string().trim().toLowerCase().email();

export function normalizeEmail(email: string): string {
  const r = emailSchema.safeParse(email);
  if (!r.success) throw new AccountError(`"${email}" is not an email address`);
  return r.data;
}

export type UserRow = Awaited<ReturnType<Db['user']['findFirstOrThrow']>>;

/** What may be shown about a user anywhere (never the hash). */
export function publicUser(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role as Role,
    disabled: u.disabled,
    hasPassword: u.passwordHash !== null,
    sso: u.oidcSubject !== null,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  };
}
export type PublicUser = ReturnType<typeof publicUser>;

function checkRole(role: string): Role {
  if (!isRole(role)) throw new AccountError(`"${role}" is not a role (admin, architect, owner, viewer)`);
  return role;
}

export async function createUser(
  db: Db,
  input: { email: string; name?: string | null; role: string; password?: string | null; oidcSubject?: string | null },
): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  const role = checkRole(input.role);
  let passwordHash: string | null = null;
  if (input.password != null) {
    const problem = passwordProblem(input.password, email);
    if (problem) throw new AccountError(problem);
    passwordHash = await hashPassword(input.password);
  }
  if (await db.user.findUnique({ where: { email } })) throw new AccountError(`a user ${email} exists already`, 'conflict');
  return db.user.create({ data: { email, name: input.name?.trim() || email.split('@')[0]!, role, passwordHash, oidcSubject: input.oidcSubject ?? null } });
}

/** By id or email; AccountError 404 when there is none. */
export async function getUser(db: Db, idOrEmail: string): Promise<UserRow> {
  const u = idOrEmail.includes('@')
    ? await db.user.findUnique({ where: { email: idOrEmail.trim().toLowerCase() } })
    : await db.user.findUnique({ where: { id: idOrEmail } });
  if (!u) throw new AccountError(`no user ${idOrEmail}`, 'not-found');
  return u;
}

export async function listUsers(db: Db) {
  const users = await db.user.findMany({
    orderBy: { email: 'asc' },
    include: { _count: { select: { sessions: true, tokens: { where: { revokedAt: null } } } }, ownedApps: { include: { application: { select: { id: true, name: true } } } } },
  });
  return users.map((u) => ({
    ...publicUser(u),
    sessions: u._count.sessions,
    tokens: u._count.tokens,
    applications: u.ownedApps.map((o) => o.application),
  }));
}

async function assertAnotherAdmin(db: Db, userId: string, what: string) {
  const others = await db.user.count({ where: { role: 'admin', disabled: false, id: { not: userId } } });
  if (others === 0) throw new AccountError(`${what} would leave no enabled admin; make someone else admin first`, 'conflict');
}

export async function updateUser(db: Db, idOrEmail: string, change: { role?: string; name?: string; disabled?: boolean }) {
  const before = await getUser(db, idOrEmail);
  const role = change.role !== undefined ? checkRole(change.role) : undefined;
  if (before.role === 'admin' && !before.disabled && ((role && role !== 'admin') || change.disabled === true)) {
    await assertAnotherAdmin(db, before.id, role && role !== 'admin' ? `changing ${before.email} to ${role}` : `disabling ${before.email}`);
  }
  const after = await db.user.update({
    where: { id: before.id },
    data: { ...(role ? { role } : {}), ...(change.name !== undefined ? { name: change.name.trim() || before.name } : {}), ...(change.disabled !== undefined ? { disabled: change.disabled } : {}) },
  });
  // A disabled account is signed out everywhere at once (its tokens are refused while disabled).
  if (change.disabled === true) await db.session.deleteMany({ where: { userId: before.id } });
  return { before: publicUser(before), after: publicUser(after) };
}

/** Set a password; every session of the user ends except `keepSessionId` (the one changing it). */
export async function setPassword(db: Db, idOrEmail: string, password: string, keepSessionId?: string) {
  const u = await getUser(db, idOrEmail);
  const problem = passwordProblem(password, u.email);
  if (problem) throw new AccountError(problem);
  await db.user.update({ where: { id: u.id }, data: { passwordHash: await hashPassword(password) } });
  const ended = await db.session.deleteMany({ where: { userId: u.id, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } });
  return { user: publicUser(u), sessionsEnded: ended.count };
}

export async function deleteUser(db: Db, idOrEmail: string) {
  const u = await getUser(db, idOrEmail);
  if (u.role === 'admin' && !u.disabled) await assertAnotherAdmin(db, u.id, `deleting ${u.email}`);
  await db.user.delete({ where: { id: u.id } });
  return publicUser(u);
}

export type CredentialCheck =
  | { ok: true; user: UserRow }
  | { ok: false; reason: 'unknown-user' | 'disabled' | 'no-password' | 'wrong-password'; user: UserRow | null };

/**
 * Check an email and password. Every failure costs the same time as a wrong password, so that
 * timing does not reveal which accounts exist. A hash with outdated parameters is upgraded.
 */
export async function checkCredentials(db: Db, email: string, password: string): Promise<CredentialCheck> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user || !user.passwordHash) {
    await burnVerification(password);
    return { ok: false, reason: user ? 'no-password' : 'unknown-user', user };
  }
  const good = await verifyPassword(password, user.passwordHash);
  if (!good) return { ok: false, reason: 'wrong-password', user };
  if (user.disabled) return { ok: false, reason: 'disabled', user };
  if (needsRehash(user.passwordHash)) await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  return { ok: true, user };
}
