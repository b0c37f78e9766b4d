'use server';
import { revalidatePath } from 'next/cache';
import { AccountError } from '../../lib/auth/errors';
import { isRole } from '../../lib/auth/permissions';
import { revokeSession } from '../../lib/auth/sessions';
import { signInThrottle } from '../../lib/auth/throttle';
import { createApiToken, getApiToken, revokeApiToken } from '../../lib/auth/tokens';
import { checkCredentials, setPassword } from '../../lib/auth/users';
import { actionAuth, auditAs, runAction, type ActionState } from '../_lib/auth';

export async function changePassword(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'account:manage');
    const db = a.rt.db.prisma;
    const current = String(form.get('current') ?? '');
    const next = String(form.get('password') ?? '');
    if (next !== String(form.get('confirm') ?? '')) throw new AccountError('The new password and its confirmation differ.');
    // The current password is asked for so that a borrowed session cannot take over the account;
    // guesses count against the same throttle as sign-in.
    const throttle = signInThrottle(db);
    const t = await throttle.check(a.principal.name, a.ip);
    if (!t.allowed) throw new AccountError(`Too many wrong passwords. Try again in ${Math.ceil(t.retryAfterSeconds / 60)} minutes.`, 'too-many');
    const check = await checkCredentials(db, a.principal.name, current);
    if (!check.ok) {
      await throttle.failed(a.principal.name, a.ip);
      await auditAs(a, { action: 'account.password', target: { type: 'user', id: a.principal.userId }, summary: 'password change refused: wrong current password', outcome: 'failed' });
      throw new AccountError('The current password is wrong.');
    }
    const r = await setPassword(db, a.principal.userId!, next, a.principal.sessionId);
    await auditAs(a, { action: 'account.password', target: { type: 'user', id: a.principal.userId }, summary: `changed their password; ${r.sessionsEnded} other session(s) ended` });
    return { ok: true, message: `Password changed. ${r.sessionsEnded} other session(s) signed out.` };
  });
}

export async function endMySession(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'account:manage');
    const id = String(form.get('session') ?? '');
    if (!(await revokeSession(a.rt.db.prisma, a.principal.userId!, id))) throw new AccountError('That session has ended already.', 'not-found');
    await auditAs(a, { action: 'session.revoke', target: { type: 'session', id }, summary: 'ended one of their sessions' });
    revalidatePath('/account');
    return { ok: true, message: 'Session ended.' };
  });
}

export async function createMyToken(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'account:manage');
    const role = String(form.get('role') ?? a.principal.role);
    const days = Number(form.get('days') ?? 0);
    const { token, record } = await createApiToken(a.rt.db.prisma, {
      userId: a.principal.userId!,
      name: String(form.get('name') ?? ''),
      role: isRole(role) ? role : a.principal.role,
      expiresInDays: days > 0 ? days : null,
      maxRole: a.principal.role,
    });
    await auditAs(a, { action: 'token.create', target: { type: 'token', id: record.id }, summary: `created API token "${record.name}" (${record.role})`, after: record });
    revalidatePath('/account');
    return { ok: true, message: `Token "${record.name}" created with role ${record.role}.`, secret: token };
  });
}

export async function revokeMyToken(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'account:manage');
    const t = await getApiToken(a.rt.db.prisma, String(form.get('token') ?? ''));
    if (t.userId !== a.principal.userId) throw new AccountError('That token is not yours.', 'forbidden');
    const r = await revokeApiToken(a.rt.db.prisma, t.id);
    await auditAs(a, { action: 'token.revoke', target: { type: 'token', id: t.id }, summary: `revoked API token "${t.name}"`, before: r.before, after: r.after });
    revalidatePath('/account');
    return { ok: true, message: `Token "${t.name}" revoked.` };
  });
}
