// Who owns which application. App owners review and approve rules only of the applications
// they own; admins and architects assign owners.
import type { Db } from '../db';
import { AccountError } from './errors';
import { scopeOf, type Permission } from './permissions';
import type { Principal } from './principal';

/** By id or by name. */
export async function getApplication(db: Db, idOrName: string) {
  const app = (await db.application.findUnique({ where: { id: idOrName } })) ?? (await db.application.findUnique({ where: { name: idOrName } }));
  if (!app) throw new AccountError(`no application ${idOrName}`, 'not-found');
  return app;
}

export async function applicationOwners(db: Db, applicationId: string) {
  const rows = await db.applicationOwner.findMany({ where: { applicationId }, include: { user: { select: { id: true, email: true, name: true, role: true } } } });
  return rows.map((r) => r.user).sort((a, b) => a.email.localeCompare(b.email));
}

/** Replace the owners of an application; returns the emails before and after. */
export async function setApplicationOwners(db: Db, applicationId: string, userIdsOrEmails: string[]) {
  const before = (await applicationOwners(db, applicationId)).map((u) => u.email);
  const users = [];
  for (const key of new Set(userIdsOrEmails)) {
    const u = key.includes('@') ? await db.user.findUnique({ where: { email: key.trim().toLowerCase() } }) : await db.user.findUnique({ where: { id: key } });
    if (!u) throw new AccountError(`no user ${key}`, 'not-found');
    users.push(u);
  }
  await db.$transaction([
    db.applicationOwner.deleteMany({ where: { applicationId } }),
    ...users.map((u) => db.applicationOwner.create({ data: { applicationId, userId: u.id } })),
  ]);
  return { before, after: users.map((u) => u.email).sort() };
}

export async function ownedApplicationIds(db: Db, userId: string): Promise<string[]> {
  return (await db.applicationOwner.findMany({ where: { userId }, select: { applicationId: true } })).map((r) => r.applicationId);
}

/** Whether the principal may use `permission` on this application (null: no application, e.g. a rule of none). */
export async function mayActOnApplication(db: Db, principal: Principal, permission: Permission, applicationId: string | null | undefined): Promise<boolean> {
  const scope = scopeOf(principal.role, permission);
  if (scope === 'all') return true;
  if (scope === null || !applicationId || !principal.userId) return false;
  return (await db.applicationOwner.count({ where: { applicationId, userId: principal.userId } })) > 0;
}

/** The applications the principal may use `permission` on: all, or the ids it owns. */
export async function applicationScope(db: Db, principal: Principal, permission: Permission): Promise<'all' | string[]> {
  const scope = scopeOf(principal.role, permission);
  if (scope === 'all') return 'all';
  if (scope === null || !principal.userId) return [];
  return ownedApplicationIds(db, principal.userId);
}
