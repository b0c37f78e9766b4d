// Sign-in state for pages and server actions. Pages call requirePage(permission); server
// actions call actionAuth(formData, permission), which also checks the form's CSRF token. The
// checks happen here on the server; a page hides a control only when this would refuse it.
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { audit, type AuditInput } from '../../lib/audit';
import { clientAddress, isHttps } from '../../lib/auth/address';
import { cookieName, CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE } from '../../lib/auth/cookies';
import { roleAllows, type Permission } from '../../lib/auth/permissions';
import type { Principal } from '../../lib/auth/principal';
import { csrfMatches, csrfToken, resolveSession, type NewSession } from '../../lib/auth/sessions';
import { isBulkheadError } from '../../lib/errors';
import { getRuntime, type Runtime } from '../../lib/runtime';

export interface RequestAuth {
  rt: Runtime;
  secure: boolean;
  ip: string | null;
  userAgent: string | null;
  principal: Principal | null;
  /** the session secret (never sent to the page) */
  token: string | null;
  /** the CSRF token forms carry in their hidden field */
  csrf: string;
  expiresAt: Date | null;
}

export interface SignedIn extends RequestAuth {
  principal: Principal;
  token: string;
}

/** The request's sign-in state, read once per request. */
export const requestAuth = cache(async (): Promise<RequestAuth> => {
  const rt = await getRuntime();
  const h = await headers();
  const secure = isHttps(h, rt.config);
  const base = { rt, secure, ip: clientAddress(h, rt.config), userAgent: h.get('user-agent') };
  const token = (await cookies()).get(cookieName(SESSION_COOKIE, secure))?.value ?? null;
  if (token) {
    const s = await resolveSession(rt.db.prisma, rt.config, token);
    if (s.ok) return { ...base, principal: s.principal, token, csrf: csrfToken(token), expiresAt: s.expiresAt };
  }
  return { ...base, principal: null, token: null, csrf: '', expiresAt: null };
});

/** A local path to return to after signing in; anything else (another site, //host) becomes "/". */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && next.length < 2000 ? next : '/';
}

/**
 * For pages: the signed-in principal, or a redirect to /signin (not signed in) or /forbidden
 * (signed in without the permission).
 */
export async function requirePage(permission: Permission, here = '/'): Promise<SignedIn> {
  const a = await requestAuth();
  if (!a.principal || !a.token) redirect(`/signin${here !== '/' ? `?next=${encodeURIComponent(here)}` : ''}`);
  if (!roleAllows(a.principal.role, permission)) {
    await auditAs(a, { action: 'auth.denied', target: { type: 'page', id: here }, summary: `page ${here} refused: needs ${permission}`, outcome: 'denied' });
    redirect(`/forbidden?need=${encodeURIComponent(permission)}`);
  }
  return a as SignedIn;
}

/** What server actions give back to their form (shown in a status region). */
export interface ActionState {
  ok: boolean;
  message: string;
  /** a secret shown once (a generated password, a new API token) */
  secret?: string;
  at?: number;
}

export class ActionRefused extends Error {}

/**
 * For server actions: the signed-in principal holding `permission`, after checking the form's
 * CSRF token. Throws ActionRefused (with a message for people) otherwise; refusals of signed-in
 * principals are audited.
 */
export async function actionAuth(form: FormData, permission: Permission): Promise<SignedIn> {
  const a = await requestAuth();
  if (!a.principal || !a.token) throw new ActionRefused('Your session ended: sign in again.');
  if (!csrfMatches(a.token, String(form.get(CSRF_FIELD) ?? ''))) throw new ActionRefused('The form is out of date (CSRF check failed): reload the page and try again.');
  if (!roleAllows(a.principal.role, permission)) {
    await auditAs(a as SignedIn, { action: 'auth.denied', summary: `server action refused: needs ${permission}`, outcome: 'denied' });
    throw new ActionRefused(`Your role (${a.principal.role}) does not allow this (needs ${permission}).`);
  }
  return a as SignedIn;
}

/** Run a server action body, turning refusals and account errors into a message for the form. */
export async function runAction(fn: () => Promise<ActionState>): Promise<ActionState> {
  try {
    return { ...(await fn()), at: Date.now() };
  } catch (e) {
    // a refusal, or anything lib/ refused for a reason a person can act on, is the form's message
    if (e instanceof ActionRefused || isBulkheadError(e)) return { ok: false, message: e.message, at: Date.now() };
    // redirect() and notFound() work by throwing; let them through.
    if (typeof (e as { digest?: unknown }).digest === 'string') throw e;
    console.error(e);
    return { ok: false, message: 'Something went wrong on the server; the server log has the details.', at: Date.now() };
  }
}

export async function auditAs(a: SignedIn | RequestAuth, event: Omit<AuditInput, 'actor' | 'ip' | 'userAgent' | 'via'> & Partial<Pick<AuditInput, 'actor'>>) {
  if (!a.principal && !event.actor) throw new Error('auditAs: no actor');
  await audit(a.rt.db.prisma, { actor: a.principal!, ip: a.ip, userAgent: a.userAgent, via: 'web', ...event });
}

type CookieEntry = [name: string, value: string, options: { httpOnly: boolean; secure: boolean; sameSite: 'lax' | 'strict'; path: string; expires: Date }];

/** The session and CSRF cookies of a new session. */
export function sessionCookies(session: NewSession, secure: boolean): CookieEntry[] {
  return [
    // Lax, not Strict: the single sign-on round trip comes back from the identity provider as a
    // top-level navigation, and people follow links to Bulkhead from mail and tickets.
    [cookieName(SESSION_COOKIE, secure), session.token, { httpOnly: true, secure, sameSite: 'lax', path: '/', expires: session.expiresAt }],
    // Readable by the page's scripts, which echo it in the x-csrf-token header.
    [cookieName(CSRF_COOKIE, secure), session.csrf, { httpOnly: false, secure, sameSite: 'strict', path: '/', expires: session.expiresAt }],
  ];
}

/** Set the session and CSRF cookies after signing in (server actions). */
export async function setSessionCookies(session: NewSession, secure: boolean) {
  const jar = await cookies();
  for (const [name, value, options] of sessionCookies(session, secure)) jar.set(name, value, options);
}

export async function clearSessionCookies(secure: boolean) {
  const jar = await cookies();
  for (const name of [SESSION_COOKIE, CSRF_COOKIE]) jar.set(cookieName(name, secure), '', { httpOnly: name === SESSION_COOKIE, secure, sameSite: 'lax', path: '/', maxAge: 0 });
}
