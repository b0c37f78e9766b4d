// DELETE /api/v1/account/tokens/:id: revoke one of the caller's tokens.
import { getApiToken, revokeApiToken } from '../../../../../../lib/auth/tokens';
import { apiRoute, ApiError } from '../../../../_lib/route';

export const DELETE = apiRoute({ permission: 'account:manage' }, async ({ rt, principal, params, audit }) => {
  const t = await getApiToken(rt.db.prisma, params.id ?? '');
  if (t.userId !== principal.userId) throw new ApiError(404, `no API token ${params.id} of yours`);
  const r = await revokeApiToken(rt.db.prisma, t.id);
  await audit({ action: 'token.revoke', target: { type: 'token', id: t.id }, summary: `revoked API token "${t.name}"`, before: r.before, after: r.after });
  return r.after;
});
