// GET /api/v1/tokens: every user's API tokens (?all=1: revoked too). POST: create a token for a user.
import { ROLES } from '../../../../lib/auth/permissions';
import { createApiToken, listApiTokens } from '../../../../lib/auth/tokens';
import { getUser } from '../../../../lib/auth/users';
import { apiRoute, z } from '../../_lib/route';

export const GET = apiRoute({ permission: 'users:admin', query: z.object({ all: z.enum(['0', '1']).optional(), user: z.string().optional() }) }, async ({ rt, query }) => {
  const userId = query.user ? (await getUser(rt.db.prisma, query.user)).id : undefined;
  return { tokens: await listApiTokens(rt.db.prisma, { includeRevoked: query.all === '1', userId }) };
});

export const POST = apiRoute(
  {
    permission: 'users:admin',
    body: z.object({ user: z.string().min(1), name: z.string().min(1).max(100), role: z.enum(ROLES).optional(), expiresInDays: z.number().int().min(1).max(3650).nullable().optional() }).strict(),
  },
  async ({ rt, principal, body, audit }) => {
    const user = await getUser(rt.db.prisma, body.user);
    const { token, record } = await createApiToken(rt.db.prisma, { userId: user.id, name: body.name, role: body.role, expiresInDays: body.expiresInDays ?? null, maxRole: principal.role });
    await audit({ action: 'token.create', target: { type: 'token', id: record.id }, summary: `created API token "${record.name}" (${record.role}) for ${user.email}`, after: record });
    return { token, record, note: 'The token is shown once; only its hash is stored.' };
  },
);
