import type { NextRequest } from 'next/server';

/** The cookie holding state, nonce and PKCE verifier between /auth/oidc/start and the callback. */
export const OIDC_COOKIE = 'bulkhead_oidc';

/** The origin the browser used (for the redirect URI when BULKHEAD_PUBLIC_URL is not set). */
export function requestOrigin(req: NextRequest, https: boolean): string {
  return `${https ? 'https' : 'http'}://${req.headers.get('host') ?? req.nextUrl.host}`;
}
