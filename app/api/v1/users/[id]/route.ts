// GET / PATCH / DELETE /api/v1/users/:id (id or email): one user; change role, name, disabled; delete.
import { AccountError } from '../../../../../lib/auth/errors';
import { ROLES } from '../../../../../lib/auth/permissions';
import { deleteUser, getUser, publicUser, updateUser } from '../../../../../lib/auth/users';
import { apiRoute, z } from '../../../_lib/route';

export const GET = apiRoute({ permission: 'users:admin' }, async ({ rt, params }) => publicUser(await getUser(rt.db.prisma, params.id ?? '')));

export const PATCH = apiRoute(
  { permission: 'users:admin', body: z.object({ role: z.enum(ROLES).optional(), name: z.string().max(200).optional(), disabled: z.boolean().optional() }).strict() },
  async ({ rt, params, body, principal, audit }) => {
    const target = await getUser(rt.db.prisma, params.id ?? '');
    if (target.id === principal.userId && (body.disabled || (body.role && body.role !== 'admin'))) throw new AccountError('you cannot demote or disable yourself; ask another admin', 'conflict');
    const r = await updateUser(rt.db.prisma, target.id, body);
    await audit({ action: 'user.update', target: { type: 'user', id: r.after.id }, summary: `changed ${r.after.email}: ${Object.keys(body).join(', ')}`, before: r.before, after: r.after });
    return r.after;
  },
);

export const DELETE = apiRoute({ permission: 'users:admin' }, async ({ rt, params, principal, audit }) => {
  const target = await getUser(rt.db.prisma, params.id ?? '');
  if (target.id === principal.userId) throw new AccountError('you cannot delete yourself', 'conflict');
  const gone = await deleteUser(rt.db.prisma, target.id);
  await audit({ action: 'user.delete', target: { type: 'user', id: gone.id }, summary: `deleted ${gone.email}`, before: gone });
  return { deleted: gone };
});
