// The access matrix of the JSON API, for every route that exists: the route files are listed
// from app/api at test time, so a new route is covered the moment it is added. Each route
// declares its permission once (apiRoute({ permission })); this test reads that declaration and
// checks, over real HTTP request objects against a real runtime, that
//   - an anonymous request is refused (401), except the one public health check, which tells
//     anonymous callers nothing but ok / not ok;
//   - each role, with a browser session and with an API token, gets exactly what the matrix in
//     lib/auth/permissions.ts gives it: allowed roles pass authorization, the others get 403;
//   - app owners get owner-scoped permissions (rules:review) only on applications they own: an
//     owner who owns none of the target is refused;
//   - a browser request that changes state without the CSRF token is refused;
//   - the CLI-forwarding endpoint (permission 'command': each command checks its own) takes the
//     server's local secret from loopback only, or an API token, and never a session cookie.
// "Passes authorization" means the answer is neither 401 nor 403: with placeholder ids and an
// unparseable body a handler answers 400 or 404, which is the point (nothing is changed).
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { ROLES, scopeOf, type Role } from '../../lib/auth/permissions';
import { createSession, csrfToken } from '../../lib/auth/sessions';
import { createApiToken } from '../../lib/auth/tokens';
import { createUser } from '../../lib/auth/users';
import { openRuntime, shareRuntime, type Runtime } from '../../lib/runtime';
import type { RouteHandler } from './_lib/route';

const API_DIR = import.meta.dirname;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const SAFE = new Set(['GET', 'HEAD']);

interface Endpoint {
  file: string;
  method: (typeof METHODS)[number];
  path: string;
  params: Record<string, string | string[]>;
  handler: RouteHandler;
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === '_lib' ? [] : routeFiles(p);
    return name === 'route.ts' ? [p] : [];
  });
}

/** URL and params of a route file, with a placeholder for each dynamic segment. */
function placeholders(file: string) {
  const params: Record<string, string | string[]> = {};
  const segments = relative(join(API_DIR, '..'), file).split(sep).slice(0, -1);
  const path = segments
    .map((s) => {
      const catchAll = /^\[\[?\.\.\.(\w+)\]\]?$/.exec(s);
      if (catchAll) return ((params[catchAll[1]!] = ['placeholder']), 'placeholder');
      const one = /^\[(\w+)\]$/.exec(s);
      if (one) return ((params[one[1]!] = 'placeholder'), 'placeholder');
      return s.replace(/^\(.*\)$/, '');
    })
    .filter(Boolean)
    .join('/');
  return { path: `/${path}`, params };
}

const LOCAL_SECRET = 'local-secret-of-the-access-test-0123456789';
let rt: Runtime;
const endpoints: Endpoint[] = [];
const creds = {} as Record<Role, { cookie: string; csrf: string; token: string }>;

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  shareRuntime(rt);
  const db = rt.db.prisma;
  for (const role of ROLES) {
    const u = await createUser(db, { email: `${role}@access.test`, role });
    const s = await createSession(db, rt.config, u.id, { method: 'password' });
    const { token } = await createApiToken(db, { userId: u.id, name: 'access test', role, maxRole: 'admin' });
    creds[role] = { cookie: `bulkhead_session=${s.token}`, csrf: csrfToken(s.token), token };
  }
  // As `bulkhead serve` registers it; this runner is never reached (every body sent is unparseable).
  rt.commands = { secret: LOCAL_SECRET, run: async () => 0 };
  // The owner owns an application, just not the (placeholder) one the routes act on.
  const app = await db.application.create({ data: { name: 'owned-by-the-owner' } });
  await db.applicationOwner.create({ data: { applicationId: app.id, userId: (await db.user.findUniqueOrThrow({ where: { email: 'owner@access.test' } })).id } });

  for (const file of routeFiles(API_DIR).sort()) {
    const mod = (await import(file)) as Record<string, unknown>;
    const { path, params } = placeholders(file);
    for (const method of METHODS) {
      const handler = mod[method];
      if (handler !== undefined) endpoints.push({ file: relative(API_DIR, file), method, path, params, handler: handler as RouteHandler });
    }
  }
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

function call(e: Endpoint, who: { cookie?: string; csrf?: string; bearer?: string; peer?: string } = {}) {
  const headers: Record<string, string> = { 'user-agent': 'access-matrix-test', 'x-bulkhead-peer': who.peer ?? '127.0.0.1' };
  if (who.cookie) headers.cookie = who.cookie;
  if (who.csrf) headers['x-csrf-token'] = who.csrf;
  if (who.bearer) headers.authorization = `Bearer ${who.bearer}`;
  const init: { method: string; headers: Record<string, string>; body?: string } = { method: e.method, headers };
  if (!SAFE.has(e.method)) {
    headers['content-type'] = 'application/json';
    // Not JSON: a handler that validates its body stops at 400 without changing anything.
    init.body = '{"placeholder": ';
  }
  const req = new NextRequest(new URL(e.path, 'http://127.0.0.1:3000'), init);
  return e.handler(req, { params: Promise.resolve(e.params as Record<string, string>) });
}

/** What a role should get: pass (authorization succeeds), 403, or 401 (credentials the route does not take). */
function expected(e: Endpoint, role: Role, via: 'session' | 'token'): 'pass' | 403 | 401 {
  const { permission, application } = e.handler.meta;
  if (permission === 'public') return 'pass';
  // The command decides (cli/main.ts) once it runs; a browser session cannot send one.
  if (permission === 'command') return via === 'token' ? 'pass' : 401;
  const scope = scopeOf(role, permission);
  if (scope === 'all') return 'pass';
  // Owner-scoped: the placeholder application is not theirs. Per-item routes filter inside the
  // handler (they may answer 200 with nothing of someone else's); the others refuse up front.
  if (scope === 'owned') return application === 'per-item' ? 'pass' : 403;
  return 403;
}

describe('the JSON API access matrix', () => {
  it('finds the routes, and every route handler goes through apiRoute (declares its permission)', () => {
    expect(endpoints.length).toBeGreaterThan(10);
    const undeclared = endpoints.filter((e) => typeof e.handler !== 'function' || !e.handler.meta?.permission).map((e) => `${e.method} ${e.file}`);
    expect(undeclared, 'handlers not made by apiRoute/publicApiRoute').toEqual([]);
    const open = endpoints.filter((e) => e.handler.meta.permission === 'public').map((e) => `${e.method} ${e.path}`);
    expect(open, 'only the health check is public').toEqual(['GET /api/v1/health']);
  });

  it('refuses anonymous requests to every route (401); the health check tells them only ok', async () => {
    const failures: string[] = [];
    for (const e of endpoints) {
      const res = await call(e);
      if (e.handler.meta.permission === 'public') {
        const body = await res.json();
        if (JSON.stringify(Object.keys(body)) !== '["ok"]') failures.push(`${e.method} ${e.path}: anonymous got ${JSON.stringify(body)}`);
      } else if (res.status !== 401) failures.push(`${e.method} ${e.path}: anonymous got ${res.status}`);
      else if (e.handler.meta.permission === 'command') {
        if (!/local secret.*API token/.test(await res.text())) failures.push(`${e.method} ${e.path}: 401 without saying what to send`);
      } else if (!/sign in first/.test((await res.json()).error)) failures.push(`${e.method} ${e.path}: 401 without saying what to do`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses bogus credentials like none: an unknown token, a forged session cookie', async () => {
    const failures: string[] = [];
    for (const e of endpoints.filter((x) => x.handler.meta.permission !== 'public')) {
      const forged = await call(e, { cookie: `bulkhead_session=${'A'.repeat(43)}` });
      if (forged.status !== 401) failures.push(`${e.method} ${e.path}: forged cookie got ${forged.status}`);
    }
    const someRoute = endpoints.find((x) => x.handler.meta.permission !== 'public')!;
    expect((await call(someRoute, { bearer: `bh_${'B'.repeat(43)}` })).status).toBe(401);
    expect(failures).toEqual([]);
  });

  for (const via of ['session', 'token'] as const) {
    it(`gives each role exactly its matrix, signed in with a ${via}`, async () => {
      const failures: string[] = [];
      const table: string[] = [];
      for (const e of endpoints) {
        const row: string[] = [];
        for (const role of ROLES) {
          const c = creds[role];
          const res = await call(e, via === 'session' ? { cookie: c.cookie, csrf: c.csrf } : { bearer: c.token });
          const want = expected(e, role, via);
          const got = res.status === 401 || res.status === 403 ? res.status : 'pass';
          row.push(`${role}:${got === 'pass' ? res.status : got}`);
          if (got !== want) failures.push(`${e.method} ${e.path} as ${role} (${via}, needs ${e.handler.meta.permission}): expected ${want}, got ${res.status} ${await res.text()}`);
        }
        table.push(`${e.method.padEnd(6)} ${e.path.padEnd(44)} ${String(e.handler.meta.permission).padEnd(16)} ${row.join(' ')}`);
      }
      if (via === 'session') console.log(`access matrix (${endpoints.length} endpoints):\n${table.join('\n')}`);
      expect(failures).toEqual([]);
    }, 180_000);
  }

  it('answers malformed query parameters with 400 and a message, never 500', async () => {
    const BAD = ['not-a-date', '-1', '1e309', 'NaN', 'x'.repeat(5000), '\u0000', '[]', '2026-13-45T99:99:99Z', '%', '1,2,,3'];
    const failures: string[] = [];
    let tried = 0;
    for (const e of endpoints.filter((x) => SAFE.has(x.method) && x.handler.meta.permission !== 'public')) {
      for (const key of e.handler.meta.queryKeys) {
        for (const bad of BAD) {
          tried++;
          const url = `${e.path}?${new URLSearchParams({ [key]: bad })}`;
          const res = await call({ ...e, path: url }, { bearer: creds.admin.token });
          if (res.status >= 500) failures.push(`${e.method} ${url.slice(0, 120)}: ${res.status} ${(await res.text()).slice(0, 200)}`);
          else if (res.status === 400 && !(await res.json()).error) failures.push(`${e.method} ${url.slice(0, 120)}: 400 without a message`);
        }
      }
    }
    expect(tried).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  }, 300_000);

  it('gives the export archive (GET /api/v1/export?archive=tar.gz) to the roles that may export, and only them', async () => {
    const e = endpoints.find((x) => x.method === 'GET' && x.path === '/api/v1/export')!;
    expect(e.handler.meta.queryKeys).toContain('archive');
    const failures: string[] = [];
    for (const role of ROLES) {
      for (const via of ['session', 'token'] as const) {
        const c = creds[role];
        const res = await call({ ...e, path: '/api/v1/export?format=nftables&archive=tar.gz' }, via === 'session' ? { cookie: c.cookie, csrf: c.csrf } : { bearer: c.token });
        const want = expected(e, role, via);
        const got = res.status === 401 || res.status === 403 ? res.status : res.headers.get('content-type') === 'application/gzip' ? 'pass' : res.status;
        if (got !== want) failures.push(`archive as ${role} (${via}): expected ${want}, got ${res.status} ${res.headers.get('content-type')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses state-changing browser requests without the CSRF token, and audits denials', async () => {
    const failures: string[] = [];
    // The command endpoint takes no cookie at all (below), so it needs no CSRF token.
    for (const e of endpoints.filter((x) => !SAFE.has(x.method) && x.handler.meta.permission !== 'public' && x.handler.meta.permission !== 'command')) {
      const res = await call(e, { cookie: creds.admin.cookie });
      if (res.status !== 403 || !/CSRF/.test((await res.json()).error)) failures.push(`${e.method} ${e.path}: without CSRF token got ${res.status}`);
      const wrong = await call(e, { cookie: creds.admin.cookie, csrf: creds.viewer.csrf });
      if (wrong.status !== 403) failures.push(`${e.method} ${e.path}: with another session's CSRF token got ${wrong.status}`);
    }
    expect(failures).toEqual([]);
    const denied = await rt.db.prisma.auditEvent.findMany({ where: { action: 'auth.denied', actorName: 'viewer@access.test' } });
    expect(denied.length).toBeGreaterThan(0);
    expect(denied[0]).toMatchObject({ outcome: 'denied', actorRole: 'viewer', ip: '127.0.0.1', userAgent: 'access-matrix-test' });
  });

  it('takes the local secret on the command endpoint from loopback only, and a session cookie never', async () => {
    const commands = endpoints.filter((x) => x.handler.meta.permission === 'command');
    expect(commands.map((e) => `${e.method} ${e.path}`)).toEqual(['POST /api/v1/cli']);
    const failures: string[] = [];
    for (const e of commands) {
      const check = async (what: string, who: Parameters<typeof call>[1], status: number | 'pass') => {
        const res = await call(e, who);
        const got = res.status === 401 || res.status === 403 ? res.status : 'pass';
        if (got !== status) failures.push(`${e.method} ${e.path} ${what}: expected ${status}, got ${res.status} ${await res.text()}`);
      };
      for (const peer of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) await check(`with the secret from ${peer}`, { bearer: LOCAL_SECRET, peer }, 'pass');
      for (const peer of ['10.0.0.9', '', '::ffff:10.0.0.9']) await check(`with the secret from '${peer}'`, { bearer: LOCAL_SECRET, peer }, 403);
      await check('with a wrong secret', { bearer: `${LOCAL_SECRET.slice(0, -1)}x` }, 401);
      await check('with an admin session and its CSRF token', { cookie: creds.admin.cookie, csrf: creds.admin.csrf }, 401);
    }
    expect(failures).toEqual([]);
  });
});
