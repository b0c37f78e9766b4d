// GET /api/v1/account/tokens: the caller's API tokens. POST: create one (role at most the caller's).
import { createApiToken, listApiTokens } from '../../../../../lib/auth/tokens';
import { ROLES } from '../../../../../lib/auth/permissions';
import { apiRoute, z } from '../../../_lib/route';

export const GET = apiRoute({ permission: 'account:manage' }, async ({ rt, principal }) => ({
  tokens: await listApiTokens(rt.db.prisma, { userId: principal.userId ?? '' }),
}));

export const POST = apiRoute(
  {
    permission: 'account:manage',
    body: z.object({ name: z.string().min(1).max(100), role: z.enum(ROLES).optional(), expiresInDays: z.number().int().min(1).max(3650).nullable().optional() }).strict(),
  },
  async ({ rt, principal, body, audit }) => {
    const { token, record } = await createApiToken(rt.db.prisma, { userId: principal.userId ?? '', name: body.name, role: body.role, expiresInDays: body.expiresInDays ?? null, maxRole: principal.role });
    await audit({ action: 'token.create', target: { type: 'token', id: record.id }, summary: `created API token "${record.name}" (${record.role})`, after: record });
    return { token, record, note: 'The token is shown once; only its hash is stored.' };
  },
);
