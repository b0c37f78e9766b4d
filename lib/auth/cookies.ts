// Names of the cookies and headers that carry a browser session. Over HTTPS the names take the
// __Host- prefix, which browsers accept only from a secure origin, for path "/", without a
// Domain: a sibling subdomain or a network attacker on plain HTTP cannot plant them.
export const SESSION_COOKIE = 'bulkhead_session';
/** readable by the page's scripts: they echo it in CSRF_HEADER (signed double submit) */
export const CSRF_COOKIE = 'bulkhead_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** the hidden field that carries the CSRF token in HTML forms */
export const CSRF_FIELD = 'csrf';

export const cookieName = (base: string, secure: boolean) => (secure ? `__Host-${base}` : base);
