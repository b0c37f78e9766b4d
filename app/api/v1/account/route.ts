// GET /api/v1/account: who the caller is (user, role, owned applications, how they are signed in).
import { listSessions } from '../../../../lib/auth/sessions';
import { ROLE_DESCRIPTIONS, PERMISSION_NAMES, scopeOf } from '../../../../lib/auth/permissions';
import { publicUser } from '../../../../lib/auth/users';
import { apiRoute, ApiError } from '../../_lib/route';

export const GET = apiRoute({ permission: 'account:manage' }, async ({ rt, principal }) => {
  const db = rt.db.prisma;
  const user = await db.user.findUnique({ where: { id: principal.userId ?? '' }, include: { ownedApps: { include: { application: { select: { id: true, name: true } } } } } });
  if (!user) throw new ApiError(404, 'no account behind this caller');
  return {
    user: publicUser(user),
    actingAs: { type: principal.type, role: principal.role, roleDescription: ROLE_DESCRIPTIONS[principal.role], token: principal.tokenName ?? null },
    permissions: Object.fromEntries(PERMISSION_NAMES.map((p) => [p, scopeOf(principal.role, p)]).filter(([, s]) => s)),
    applications: user.ownedApps.map((o) => o.application),
    sessions: await listSessions(db, user.id),
  };
});
