'use server';
import { redirect } from 'next/navigation';
import { CSRF_FIELD } from '../../lib/auth/cookies';
import { csrfMatches, endSession } from '../../lib/auth/sessions';
import { auditAs, clearSessionCookies, requestAuth } from '../_lib/auth';

export async function signOut(form: FormData): Promise<void> {
  const a = await requestAuth();
  if (a.principal && a.token) {
    // A forged sign-out is a nuisance rather than a breach, but it is refused all the same.
    if (!csrfMatches(a.token, String(form.get(CSRF_FIELD) ?? ''))) redirect('/signout?stale=1');
    await endSession(a.rt.db.prisma, a.token);
    await auditAs(a, { action: 'auth.signout', target: { type: 'session', id: a.principal.sessionId ?? null }, summary: 'signed out' });
  }
  await clearSessionCookies(a.secure);
  redirect('/signin?signedOut=1');
}
