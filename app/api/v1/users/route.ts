// GET /api/v1/users: every user with role, state, sessions, tokens and owned applications.
// POST: create a user; without a password one is generated and returned once.
import { generatePassword } from '../../../../lib/auth/password';
import { ROLES } from '../../../../lib/auth/permissions';
import { createUser, listUsers, publicUser } from '../../../../lib/auth/users';
import { apiRoute, z } from '../../_lib/route';

export const GET = apiRoute({ permission: 'users:admin' }, async ({ rt }) => ({ users: await listUsers(rt.db.prisma) }));

export const POST = apiRoute(
  {
    permission: 'users:admin',
    body: z
      .object({
        email: z.string().email(),
        name: z.string().max(200).optional(),
        role: z.enum(ROLES),
        password: z.string().max(256).optional(),
        /** true: an account that signs in only with single sign-on (no password) */
        ssoOnly: z.boolean().optional(),
      })
      .strict(),
  },
  async ({ rt, body, audit }) => {
    const password = body.ssoOnly ? null : (body.password ?? generatePassword());
    const u = await createUser(rt.db.prisma, { email: body.email, name: body.name ?? null, role: body.role, password });
    await audit({ action: 'user.create', target: { type: 'user', id: u.id }, summary: `created ${u.email} (${u.role})`, after: publicUser(u) });
    return { user: publicUser(u), ...(password && !body.password ? { password, note: 'Generated password, shown once.' } : {}) };
  },
);
