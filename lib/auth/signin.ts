// Password sign-in: throttle, check, open a session, audit, in one place for the web form and
// the tests. Every refusal says the same thing ("wrong email or password") whatever the cause,
// so the form does not reveal which accounts exist; the audit log keeps the real reason.
import { audit } from '../audit';
import type { Config } from '../config';
import type { Db } from '../db';
import { createSession, type NewSession } from './sessions';
import { signInThrottle } from './throttle';
import { checkCredentials, publicUser, type PublicUser } from './users';

export type SignInResult =
  | { ok: true; session: NewSession; user: PublicUser }
  | { ok: false; status: 401 | 403 | 429; message: string; retryAfterSeconds?: number };

export async function signInWithPassword(
  db: Db,
  config: Config,
  input: { email: string; password: string; ip: string | null; userAgent: string | null },
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase().slice(0, 320);
  const meta = { ip: input.ip, userAgent: input.userAgent, via: 'web' as const };
  const actor = { type: 'anonymous' as const, name: email || '(no email)' };
  if (!config.auth.passwordSignIn) {
    return { ok: false, status: 403, message: 'Password sign-in is turned off here; use single sign-on.' };
  }
  const throttle = signInThrottle(db);
  const t = await throttle.check(email, input.ip);
  if (!t.allowed) {
    await audit(db, { actor, action: 'auth.signin', target: { type: 'user' }, summary: `sign-in refused: throttled (${t.limit}), retry in ${t.retryAfterSeconds} s`, outcome: 'denied', ...meta });
    const minutes = Math.ceil(t.retryAfterSeconds / 60);
    return { ok: false, status: 429, retryAfterSeconds: t.retryAfterSeconds, message: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` };
  }
  const r = await checkCredentials(db, email, input.password);
  if (!r.ok) {
    await throttle.failed(email, input.ip);
    await audit(db, { actor: { ...actor, id: r.user?.id ?? null }, action: 'auth.signin', target: r.user ? { type: 'user', id: r.user.id } : { type: 'user' }, summary: `sign-in failed: ${r.reason}`, outcome: 'failed', ...meta });
    return { ok: false, status: 401, message: 'Wrong email or password.' };
  }
  await throttle.succeeded(email, input.ip);
  const session = await createSession(db, config, r.user.id, { ip: input.ip, userAgent: input.userAgent, method: 'password' });
  const user = publicUser(r.user);
  await audit(db, {
    actor: { type: 'user', id: user.id, userId: user.id, name: user.email, role: user.role, sessionId: session.id },
    action: 'auth.signin',
    target: { type: 'session', id: session.id },
    summary: `signed in with a password (${user.role})`,
    ...meta,
  });
  return { ok: true, session, user };
}
