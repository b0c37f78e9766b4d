// GET /auth/oidc/callback: the identity provider sends the browser back here with a code. Checked
// (state, nonce, PKCE, ID token signature and audience by openid-client), the person is found or
// provisioned, and gets a Bulkhead session like a password sign-in. Every outcome is audited.
import { NextResponse, type NextRequest } from 'next/server';
import { audit } from '../../../../lib/audit';
import { clientAddress, isHttps } from '../../../../lib/auth/address';
import { cookieName } from '../../../../lib/auth/cookies';
import { finishSignIn, provisionUser, redirectUri, type OidcPending } from '../../../../lib/auth/oidc';
import { createSession } from '../../../../lib/auth/sessions';
import { publicUser } from '../../../../lib/auth/users';
import { getRuntime } from '../../../../lib/runtime';
import { safeNext, sessionCookies } from '../../../_lib/auth';
import { OIDC_COOKIE, requestOrigin } from '../shared';

export const dynamic = 'force-dynamic';

function readPending(value: string | undefined): OidcPending | null {
  if (!value) return null;
  try {
    const p = JSON.parse(Buffer.from(value, 'base64url').toString()) as OidcPending;
    return typeof p.state === 'string' && typeof p.nonce === 'string' && typeof p.verifier === 'string' ? p : null;
  } catch {
    return null;
  }
}

export async function GET(req: NextRequest) {
  const rt = await getRuntime();
  const db = rt.db.prisma;
  const secure = isHttps(req.headers, rt.config);
  const origin = requestOrigin(req, secure);
  const meta = { ip: clientAddress(req.headers, rt.config), userAgent: req.headers.get('user-agent'), via: 'web' as const };
  const fail = async (error: string, why: string, who = '(single sign-on)') => {
    await audit(db, { actor: { type: 'anonymous', name: who }, action: 'auth.signin', target: { type: 'user' }, summary: `single sign-on failed: ${why}`, outcome: 'failed', ...meta });
    const res = NextResponse.redirect(new URL(`/signin?error=${error}`, origin), 303);
    res.cookies.delete(cookieName(OIDC_COOKIE, secure));
    return res;
  };
  const oidc = rt.config.oidc;
  if (!oidc) return NextResponse.redirect(new URL('/signin', origin), 303);
  const pending = readPending(req.cookies.get(cookieName(OIDC_COOKIE, secure))?.value);
  if (!pending) return fail('oidc-failed', 'no sign-in in progress in this browser (expired, or started elsewhere)');

  let identity;
  try {
    const callback = new URL(redirectUri(rt.config, origin));
    callback.search = req.nextUrl.search;
    identity = await finishSignIn(oidc, callback, pending);
  } catch (e) {
    // openid-client's messages are generic ("invalid response encountered"); the cause says which check failed.
    const err = e as Error & { cause?: unknown };
    const cause = err.cause instanceof Error ? err.cause.message : typeof err.cause === 'string' ? err.cause : '';
    return fail('oidc-failed', `${err.message}${cause ? ` (${cause})` : ''}`.slice(0, 300));
  }
  const who = identity.email ?? `subject ${identity.subject}`;
  const p = await provisionUser(db, oidc, identity);
  if (!p.ok) return fail(p.reason === 'disabled' ? 'oidc-disabled' : 'oidc-no-account', p.reason, who);

  const system = { type: 'system' as const, name: `single sign-on (${oidc.issuer})` };
  if (p.created) await audit(db, { actor: system, action: 'user.create', target: { type: 'user', id: p.user.id }, summary: `created ${p.user.email} (${p.user.role}) at first single sign-on`, after: publicUser(p.user), ...meta });
  if (p.roleChanged) await audit(db, { actor: system, action: 'user.update', target: { type: 'user', id: p.user.id }, summary: `${p.user.email}: role ${p.roleChanged.from} -> ${p.roleChanged.to} from the identity provider's groups`, before: { role: p.roleChanged.from }, after: { role: p.roleChanged.to }, ...meta });

  const session = await createSession(db, rt.config, p.user.id, { ip: meta.ip, userAgent: meta.userAgent, method: 'oidc' });
  await audit(db, {
    actor: { type: 'user', id: p.user.id, userId: p.user.id, name: p.user.email, role: p.user.role as 'viewer', sessionId: session.id },
    action: 'auth.signin',
    target: { type: 'session', id: session.id },
    summary: `signed in with single sign-on (${p.user.role})${p.linked ? '; linked to the existing account by verified email' : ''}`,
    ...meta,
  });
  const res = NextResponse.redirect(new URL(safeNext(pending.next), origin), 303);
  for (const [name, value, options] of sessionCookies(session, secure)) res.cookies.set(name, value, options);
  res.cookies.delete(cookieName(OIDC_COOKIE, secure));
  res.headers.set('cache-control', 'no-store');
  return res;
}
