'use server';
import { redirect } from 'next/navigation';
import { signInWithPassword } from '../../lib/auth/signin';
import { requestAuth, safeNext, setSessionCookies, type ActionState } from '../_lib/auth';

export async function signIn(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  const a = await requestAuth();
  const r = await signInWithPassword(a.rt.db.prisma, a.rt.config, {
    email: String(form.get('email') ?? ''),
    password: String(form.get('password') ?? ''),
    ip: a.ip,
    userAgent: a.userAgent,
  });
  if (!r.ok) return { ok: false, message: r.message, at: Date.now() };
  await setSessionCookies(r.session, a.secure);
  redirect(safeNext(form.get('next')));
}
