// In front of every request (Next.js Proxy, Node.js runtime): security headers with a fresh
// CSP nonce, the same-origin check on state-changing browser requests (CSRF), and sign-in for
// pages: without a valid session a page request goes to /signin. The JSON API answers 401 itself
// (app/api/_lib/route.ts), so API requests only get headers and the CSRF check here.
import { NextResponse, type NextRequest } from 'next/server';
import { clientAddress, isHttps } from './lib/auth/address';
import { cookieName, SESSION_COOKIE } from './lib/auth/cookies';
import { API_POLICY, newNonce, pagePolicy, sameOriginRequest, securityHeaders } from './lib/auth/headers';
import { resolveSession } from './lib/auth/sessions';
import type { Runtime } from './lib/runtime';

/**
 * What anyone may open: signing in, the single sign-on round trip, and static files from public/
 * (robots.txt, icons: the same for everyone, no data).
 */
const PUBLIC_PAGES = [/^\/signin\/?$/, /^\/auth\/oidc\//, /^\/[\w.-]+\.(txt|ico|png|svg|webmanifest)$/];
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const DEFAULT_AUTH = { auth: { trustProxy: 0, publicUrl: null } } as unknown as Runtime['config'];

/**
 * The runtime `bulkhead serve` shared on globalThis (lib/runtime.ts). Read directly rather than
 * through getRuntime() so that the proxy bundle does not pull in the stores.
 */
async function sharedRuntime(): Promise<Runtime | null> {
  const p = (globalThis as Record<symbol, Promise<Runtime> | undefined>)[Symbol.for('bulkhead.runtime')];
  try {
    return p ? await p : null;
  } catch {
    return null;
  }
}

export async function proxy(req: NextRequest) {
  const rt = await sharedRuntime();
  const config = rt?.config ?? DEFAULT_AUTH;
  const https = isHttps(req.headers, config);
  const path = req.nextUrl.pathname;
  const isApi = path.startsWith('/api/');
  const headers = securityHeaders({ https });
  const finish = (res: NextResponse, csp: string) => {
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    res.headers.set('content-security-policy', csp);
    return res;
  };

  const sessionCookie = req.cookies.get(cookieName(SESSION_COOKIE, https))?.value;
  const bearer = /^Bearer\s/i.test(req.headers.get('authorization') ?? '');
  if (!SAFE.has(req.method) && !bearer) {
    const hosts = [req.headers.get('host'), config.auth.trustProxy > 0 ? req.headers.get('x-forwarded-host') : null, config.auth.publicUrl ? new URL(config.auth.publicUrl).host : null].filter(
      (h): h is string => !!h,
    );
    const same = sameOriginRequest(req.headers, hosts);
    if (!same.ok) {
      rt?.log.warn({ path, method: req.method, ip: clientAddress(req.headers, config), why: same.why }, 'cross-site request refused');
      return finish(NextResponse.json({ error: `cross-site request refused: ${same.why}` }, { status: 403 }), API_POLICY);
    }
  }

  if (isApi) return finish(NextResponse.next(), API_POLICY);

  if (!PUBLIC_PAGES.some((p) => p.test(path))) {
    const valid = sessionCookie ? (rt ? (await resolveSession(rt.db.prisma, rt.config, sessionCookie)).ok : true) : false;
    if (!valid) {
      const to = new URL('/signin', req.url);
      const next = `${path}${req.nextUrl.search}`;
      if (next !== '/') to.searchParams.set('next', next);
      if (sessionCookie) to.searchParams.set('ended', '1');
      return finish(NextResponse.redirect(to, 303), API_POLICY);
    }
  }

  const nonce = newNonce();
  const csp = pagePolicy(nonce, { dev: process.env.NODE_ENV === 'development', https });
  const forward = new Headers(req.headers);
  forward.set('x-nonce', nonce);
  forward.set('content-security-policy', csp);
  return finish(NextResponse.next({ request: { headers: forward } }), csp);
}

export const config = {
  // Everything but the build's static files: those carry no data and are the same for everyone.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
