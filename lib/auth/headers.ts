// Security headers of every response (set by proxy.ts). Pages get a Content Security Policy
// with a per-request nonce, which Next.js puts on its own scripts; API responses are data and
// get a policy that allows nothing at all.
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function pagePolicy(nonce: string, opts: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts loaded by a trusted (nonce-bearing) script are trusted too, and
    // nothing else runs: no inline handlers, no injected <script> without the nonce.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    // Inline styles stay allowed: React and Cytoscape set style attributes, and styles cannot
    // run code; scripts are what the policy is for.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? ' ws: wss:' : ''}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function securityHeaders(opts: { https: boolean }): Record<string, string> {
  return {
    // Same-origin requests keep their full referrer (and their Origin header, which the CSRF
    // check reads); nothing leaks to other sites.
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    ...(opts.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/**
 * Whether a state-changing request comes from our own pages. Browsers send Sec-Fetch-Site and
 * Origin on such requests and a page cannot forge them; a request with neither comes from a
 * program, which cannot carry a browser's cookies unless it was given them.
 */
export function sameOriginRequest(h: { get(name: string): string | null }, expectedHosts: string[]): { ok: true } | { ok: false; why: string } {
  const site = h.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return { ok: false, why: `Sec-Fetch-Site is ${site}` };
  const origin = h.get('origin');
  if (origin) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return { ok: false, why: `Origin ${origin} is not a URL` };
    }
    if (!expectedHosts.includes(host)) return { ok: false, why: `Origin ${origin} is not this site (${expectedHosts.join(', ')})` };
    return { ok: true };
  }
  if (site === 'same-origin') return { ok: true };
  return { ok: false, why: 'neither Origin nor Sec-Fetch-Site says where the request comes from' };
}
