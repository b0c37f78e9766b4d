// GET /auth/oidc/start?next=/path: send the browser to the identity provider (single sign-on).
// Public by nature (it is how people sign in); the state, nonce and PKCE verifier wait in a
// short-lived HttpOnly cookie for the callback.
import { NextResponse, type NextRequest } from 'next/server';
import { clientAddress, isHttps } from '../../../../lib/auth/address';
import { cookieName } from '../../../../lib/auth/cookies';
import { redirectUri, startSignIn } from '../../../../lib/auth/oidc';
import { getRuntime } from '../../../../lib/runtime';
import { safeNext } from '../../../_lib/auth';
import { OIDC_COOKIE, requestOrigin } from '../shared';

export const dynamic = 'force-dynamic';

export async function GET(req: NextRequest) {
  const rt = await getRuntime();
  const oidc = rt.config.oidc;
  const secure = isHttps(req.headers, rt.config);
  if (!oidc) return NextResponse.redirect(new URL('/signin', requestOrigin(req, secure)), 303);
  try {
    const next = safeNext(req.nextUrl.searchParams.get('next'));
    const { url, pending } = await startSignIn(oidc, redirectUri(rt.config, requestOrigin(req, secure)), next);
    const res = NextResponse.redirect(url, 303);
    res.cookies.set(cookieName(OIDC_COOKIE, secure), Buffer.from(JSON.stringify(pending)).toString('base64url'), { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: 600 });
    res.headers.set('cache-control', 'no-store');
    return res;
  } catch (e) {
    rt.log.error({ err: (e as Error).message, ip: clientAddress(req.headers, rt.config) }, 'single sign-on could not start');
    return NextResponse.redirect(new URL('/signin?error=oidc-failed', requestOrigin(req, secure)), 303);
  }
}
