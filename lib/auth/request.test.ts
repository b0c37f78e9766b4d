// The request-level pieces of the web app's defenses, on plain header values: where a request
// comes from (peer, trusted proxies), whether it came over HTTPS, the same-origin check on
// state-changing requests, the security headers, and the sign-in settings they read.
import { describe, expect, it } from 'vitest';
import { loadConfig, redact } from '../config';
import { clientAddress, isHttps } from './address';
import { API_POLICY, pagePolicy, sameOriginRequest, securityHeaders } from './headers';

const h = (o: Record<string, string>) => ({ get: (k: string) => o[k.toLowerCase()] ?? null });
const cfg = (trustProxy: number, publicUrl: string | null = null) => ({ auth: { trustProxy, publicUrl, sessionHours: 12, idleMinutes: 120, passwordSignIn: true } });

describe('client address and scheme', () => {
  it('uses the socket peer and ignores X-Forwarded-For unless proxies are trusted', () => {
    const headers = h({ 'x-bulkhead-peer': '::ffff:10.0.0.9', 'x-forwarded-for': '198.51.100.1, 10.0.0.2', 'x-forwarded-proto': 'https' });
    expect(clientAddress(headers, cfg(0))).toBe('10.0.0.9');
    expect(isHttps(headers, cfg(0))).toBe(false);
    // One trusted proxy: the client is the last entry it added; a spoofed entry before it is ignored.
    expect(clientAddress(headers, cfg(1))).toBe('10.0.0.2');
    expect(clientAddress(headers, cfg(2))).toBe('198.51.100.1');
    expect(isHttps(headers, cfg(1))).toBe(true);
    expect(isHttps(h({}), cfg(0, 'https://bulkhead.example'))).toBe(true);
    expect(clientAddress(h({}), cfg(0))).toBeNull();
  });
});

describe('same-origin check', () => {
  const hosts = ['bulkhead.example:3000'];
  it('accepts our own pages and refuses other sites and requests that say nothing', () => {
    expect(sameOriginRequest(h({ origin: 'http://bulkhead.example:3000', 'sec-fetch-site': 'same-origin' }), hosts)).toEqual({ ok: true });
    expect(sameOriginRequest(h({ 'sec-fetch-site': 'same-origin' }), hosts)).toEqual({ ok: true });
    expect(sameOriginRequest(h({ origin: 'https://evil.example' }), hosts)).toMatchObject({ ok: false, why: expect.stringContaining('not this site') });
    expect(sameOriginRequest(h({ origin: 'http://bulkhead.example:3000', 'sec-fetch-site': 'cross-site' }), hosts)).toMatchObject({ ok: false });
    expect(sameOriginRequest(h({ 'sec-fetch-site': 'same-site' }), hosts)).toMatchObject({ ok: false, why: 'Sec-Fetch-Site is same-site' });
    expect(sameOriginRequest(h({ origin: 'null' }), hosts)).toMatchObject({ ok: false });
    expect(sameOriginRequest(h({}), hosts)).toMatchObject({ ok: false });
  });
});

describe('security headers', () => {
  it('give pages a nonce policy without inline scripts, and the API a policy that allows nothing', () => {
    const p = pagePolicy('abc123', { dev: false, https: true });
    expect(p).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(p).not.toContain('unsafe-eval');
    expect(p).toContain("frame-ancestors 'none'");
    expect(p).toContain('upgrade-insecure-requests');
    expect(pagePolicy('n', { dev: true, https: false })).toContain("'unsafe-eval'");
    expect(API_POLICY).toContain("default-src 'none'");
    expect(securityHeaders({ https: true })['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(securityHeaders({ https: false })['strict-transport-security']).toBeUndefined();
  });
});

describe('sign-in settings', () => {
  it('reads sessions, proxies and single sign-on from the environment, naming a bad variable, and masks secrets', () => {
    const c = loadConfig({
      env: {
        BULKHEAD_PUBLIC_URL: 'https://bulkhead.example/',
        BULKHEAD_TRUST_PROXY: '1',
        BULKHEAD_SESSION_HOURS: '8',
        BULKHEAD_PASSWORD_SIGNIN: 'off',
        BULKHEAD_OIDC_ISSUER: 'https://login.example/realms/corp',
        BULKHEAD_OIDC_CLIENT_ID: 'bulkhead',
        BULKHEAD_OIDC_CLIENT_SECRET: 's3cret',
        BULKHEAD_OIDC_DEFAULT_ROLE: 'none',
        BULKHEAD_OIDC_ROLE_CLAIM: 'groups',
        BULKHEAD_OIDC_ROLE_MAP: 'net sec=architect, owners=owner',
        BULKHEAD_TOKEN: 'bh_x',
      },
      cwd: '/tmp',
    });
    expect(c.auth).toEqual({ publicUrl: 'https://bulkhead.example', trustProxy: 1, sessionHours: 8, idleMinutes: 120, passwordSignIn: false });
    expect(c.oidc).toMatchObject({ defaultRole: null, roleClaim: 'groups', roleMap: { 'net sec': 'architect', owners: 'owner' }, scopes: ['openid', 'email', 'profile'] });
    expect(redact(c).oidc?.clientSecret).toBe('***');
    expect(redact(c).client.token).toBe('***');
    expect(() => loadConfig({ env: { BULKHEAD_OIDC_ROLE_MAP: 'netsec=root' }, cwd: '/tmp' })).toThrow('BULKHEAD_OIDC_ROLE_MAP="netsec=root"');
    expect(() => loadConfig({ env: { BULKHEAD_OIDC_ISSUER: 'https://login.example' }, cwd: '/tmp' })).toThrow('needs both BULKHEAD_OIDC_ISSUER and BULKHEAD_OIDC_CLIENT_ID');
    expect(() => loadConfig({ env: { BULKHEAD_SESSION_HOURS: 'forever' }, cwd: '/tmp' })).toThrow('BULKHEAD_SESSION_HOURS');
    expect(loadConfig({ env: {}, cwd: '/tmp' })).toMatchObject({ oidc: null, auth: { passwordSignIn: true, trustProxy: 0 }, client: { url: null, token: null } });
  });
});
