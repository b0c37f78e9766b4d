// DELETE /api/v1/tokens/:id (id or shown prefix): revoke any user's token.
import { getApiToken, revokeApiToken } from '../../../../../lib/auth/tokens';
import { apiRoute } from '../../../_lib/route';

export const DELETE = apiRoute({ permission: 'users:admin' }, async ({ rt, params, audit }) => {
  const t = await getApiToken(rt.db.prisma, params.id ?? '');
  const r = await revokeApiToken(rt.db.prisma, t.id);
  await audit({ action: 'token.revoke', target: { type: 'token', id: t.id }, summary: `revoked API token "${t.name}" of ${t.user.email}`, before: r.before, after: r.after });
  return r.after;
});
