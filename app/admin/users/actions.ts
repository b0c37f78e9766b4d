'use server';
import { revalidatePath } from 'next/cache';
import { AccountError } from '../../../lib/auth/errors';
import { generatePassword } from '../../../lib/auth/password';
import { createUser, deleteUser, getUser, publicUser, setPassword, updateUser } from '../../../lib/auth/users';
import { actionAuth, auditAs, runAction, type ActionState } from '../../_lib/auth';

const field = (f: FormData, k: string) => String(f.get(k) ?? '').trim();

export async function addUser(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'users:admin');
    const typed = String(form.get('password') ?? '');
    const password = typed || generatePassword();
    const u = await createUser(a.rt.db.prisma, { email: field(form, 'email'), name: field(form, 'name') || null, role: field(form, 'role'), password });
    await auditAs(a, { action: 'user.create', target: { type: 'user', id: u.id }, summary: `created ${u.email} (${u.role})`, after: publicUser(u) });
    revalidatePath('/admin/users');
    return typed
      ? { ok: true, message: `Created ${u.email} (${u.role}) with the password you typed.` }
      : { ok: true, message: `Created ${u.email} (${u.role}). Give them this password; they can change it on their account page.`, secret: password };
  });
}

export async function changeUser(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'users:admin');
    const id = field(form, 'user');
    const change: { role?: string; disabled?: boolean } = {};
    if (form.has('role')) change.role = field(form, 'role');
    if (form.has('disabled')) change.disabled = field(form, 'disabled') === 'true';
    if (id === a.principal.userId && (change.disabled || (change.role && change.role !== 'admin'))) {
      throw new AccountError('You cannot demote or disable yourself here; ask another admin.', 'conflict');
    }
    const r = await updateUser(a.rt.db.prisma, id, change);
    const what = change.role !== undefined ? `role ${r.before.role} → ${r.after.role}` : r.after.disabled ? 'disabled (signed out everywhere)' : 'enabled';
    await auditAs(a, { action: 'user.update', target: { type: 'user', id: r.after.id }, summary: `${r.after.email}: ${what}`, before: r.before, after: r.after });
    revalidatePath('/admin/users');
    return { ok: true, message: `${r.after.email}: ${what}.` };
  });
}

export async function resetPassword(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'users:admin');
    const password = generatePassword();
    const r = await setPassword(a.rt.db.prisma, field(form, 'user'), password);
    await auditAs(a, { action: 'user.password', target: { type: 'user', id: r.user.id }, summary: `reset the password of ${r.user.email}; ${r.sessionsEnded} session(s) ended` });
    return { ok: true, message: `New password for ${r.user.email}; their sessions were signed out.`, secret: password };
  });
}

export async function removeUser(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'users:admin');
    const u = await getUser(a.rt.db.prisma, field(form, 'user'));
    if (field(form, 'confirm') !== u.email) throw new AccountError(`Type the email (${u.email}) to confirm.`);
    if (u.id === a.principal.userId) throw new AccountError('You cannot delete yourself.', 'conflict');
    const gone = await deleteUser(a.rt.db.prisma, u.id);
    await auditAs(a, { action: 'user.delete', target: { type: 'user', id: gone.id }, summary: `deleted ${gone.email}`, before: gone });
    revalidatePath('/admin/users');
    return { ok: true, message: `Deleted ${gone.email}, with their sessions, tokens and application ownerships.` };
  });
}
