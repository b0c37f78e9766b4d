// POST /api/v1/users/:id/password: reset a user's password to a generated one (returned once);
// their sessions end.
import { generatePassword } from '../../../../../../lib/auth/password';
import { setPassword } from '../../../../../../lib/auth/users';
import { apiRoute } from '../../../../_lib/route';

export const POST = apiRoute({ permission: 'users:admin' }, async ({ rt, params, audit }) => {
  const password = generatePassword();
  const r = await setPassword(rt.db.prisma, params.id ?? '', password);
  await audit({ action: 'user.password', target: { type: 'user', id: r.user.id }, summary: `reset the password of ${r.user.email}; ${r.sessionsEnded} session(s) ended` });
  return { user: r.user, password, sessionsEnded: r.sessionsEnded, note: 'Generated password, shown once.' };
});
