'use server';
import { revalidatePath } from 'next/cache';
import { isRole } from '../../../lib/auth/permissions';
import { createApiToken, getApiToken, revokeApiToken } from '../../../lib/auth/tokens';
import { getUser } from '../../../lib/auth/users';
import { actionAuth, auditAs, runAction, type ActionState } from '../../_lib/auth';

export async function createToken(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'users:admin');
    const user = await getUser(a.rt.db.prisma, String(form.get('user') ?? ''));
    const role = String(form.get('role') ?? '');
    const days = Number(form.get('days') ?? 0);
    const { token, record } = await createApiToken(a.rt.db.prisma, {
      userId: user.id,
      name: String(form.get('name') ?? ''),
      role: isRole(role) ? role : undefined,
      expiresInDays: days > 0 ? days : null,
      maxRole: a.principal.role,
    });
    await auditAs(a, { action: 'token.create', target: { type: 'token', id: record.id }, summary: `created API token "${record.name}" (${record.role}) for ${user.email}`, after: record });
    revalidatePath('/admin/tokens');
    return { ok: true, message: `Token "${record.name}" for ${user.email}, role ${record.role}.`, secret: token };
  });
}

export async function revokeToken(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'users:admin');
    const t = await getApiToken(a.rt.db.prisma, String(form.get('token') ?? ''));
    const r = await revokeApiToken(a.rt.db.prisma, t.id);
    await auditAs(a, { action: 'token.revoke', target: { type: 'token', id: t.id }, summary: `revoked API token "${t.name}" of ${t.user.email}`, before: r.before, after: r.after });
    revalidatePath('/admin/tokens');
    return { ok: true, message: `Revoked "${t.name}".` };
  });
}
