// The one way to write a JSON API route handler. A route names the permission it needs (read by
// the access-matrix test, app/api/access.test.ts), validates its input with zod, gets the
// process's runtime, and maps errors to HTTP statuses. Authentication (API token or session
// cookie), CSRF on state-changing requests, authorization and app-owner scoping happen here, on
// the server, before the handler runs.
import { timingSafeEqual } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { z, type ZodType } from 'zod';
import { audit, type AuditInput } from '../../../lib/audit';
import { clientAddress, isHttps, PEER_HEADER } from '../../../lib/auth/address';
import { authenticate } from '../../../lib/auth/authenticate';
import { cookieName, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../../../lib/auth/cookies';
import { applicationScope, mayActOnApplication } from '../../../lib/auth/ownership';
import { scopeOf, type Permission } from '../../../lib/auth/permissions';
import type { Principal } from '../../../lib/auth/principal';
import { csrfMatches } from '../../../lib/auth/sessions';
import { isBulkheadError, type ErrorKind } from '../../../lib/errors';
import { looksLikeToken } from '../../../lib/auth/tokens';
import { getRuntime, type Runtime } from '../../../lib/runtime';

export type { Principal };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** An audit event of this request: actor, address, user agent and channel are filled in. */
export type RequestAuditInput = Omit<AuditInput, 'actor' | 'ip' | 'userAgent' | 'via'> & Partial<Pick<AuditInput, 'actor'>>;

export interface ApiContext<Q, B> {
  rt: Runtime;
  req: NextRequest;
  principal: Principal;
  query: Q;
  body: B;
  params: Record<string, string>;
  ip: string | null;
  /** Record an audit event for this request; pass a transaction client to commit it with the change. */
  audit(event: RequestAuditInput, db?: Parameters<typeof audit>[0]): Promise<void>;
  /**
   * For routes declared `application: 'per-item'`: refuse (403) unless the principal may use the
   * route's permission on this application (app owners: only applications they own).
   */
  requireApplication(applicationId: string | null | undefined): Promise<void>;
  /** For `application: 'per-item'` routes: 'all', or the ids of the applications the principal may act on. */
  applicationScope(): Promise<'all' | string[]>;
}

export interface ScopeContext {
  rt: Runtime;
  req: NextRequest;
  params: Record<string, string>;
}

interface Options<Q, B> {
  /** The permission this route needs (lib/auth/permissions.ts). */
  permission: Permission;
  /**
   * For permissions app owners hold only for their own applications (OWNER_SCOPED, e.g.
   * rules:review): the application this request acts on, resolved before the handler runs
   * (return null when none: then only admins and architects may act). Or 'per-item' when the
   * handler acts on several and checks each with ctx.requireApplication / ctx.applicationScope.
   * Without it, app owners are refused such routes.
   */
  application?: ((ctx: ScopeContext) => Promise<string | null | undefined> | string | null | undefined) | 'per-item';
  query?: ZodType<Q>;
  body?: ZodType<B>;
}

/** What a route declares about its access, read by the access-matrix test. */
export interface RouteMeta {
  /** 'command': the CLI-forwarding endpoint, where each command checks its own (commandRoute) */
  permission: Permission | 'public' | 'command';
  application: 'resolver' | 'per-item' | null;
  /** the query parameters the route declares (read by the malformed-parameter test) */
  queryKeys: string[];
}

/** The keys of a declared query schema (a zod object, possibly refined). */
function schemaKeys(schema: ZodType<unknown> | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

type RouteParams = { params: Promise<Record<string, string>> };
export type RouteHandler = ((req: NextRequest, route: RouteParams) => Promise<Response>) & { meta: RouteMeta };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  // Nothing the API answers may be stored by a browser or a shared cache.
  return NextResponse.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** The one mapping of lib's error kinds (lib/errors.ts) to HTTP statuses. */
export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-many': 429,
  busy: 503,
  unavailable: 503,
};

function errorResponse(e: unknown, rt: Runtime | null): Response {
  if (e instanceof ApiError) return json({ error: e.message, details: e.details }, e.status);
  if (isBulkheadError(e)) return json({ error: e.message }, STATUS_OF_KIND[e.kind]);
  const err = e as Error;
  if (rt) rt.log.error({ err: err?.message, stack: err?.stack }, 'API route failed');
  else console.error(err);
  return json({ error: 'internal error' }, 500);
}

interface RequestInfo {
  rt: Runtime;
  ip: string | null;
  userAgent: string | null;
  secure: boolean;
}

async function requestInfo(req: NextRequest): Promise<RequestInfo> {
  const rt = await getRuntime();
  return { rt, ip: clientAddress(req.headers, rt.config), userAgent: req.headers.get('user-agent'), secure: isHttps(req.headers, rt.config) };
}

export function apiRoute<Q = undefined, B = undefined>(opts: Options<Q, B>, fn: (ctx: ApiContext<Q, B>) => Promise<unknown>): RouteHandler {
  const handler = async (req: NextRequest, route: RouteParams) => {
    let rt: Runtime | null = null;
    try {
      const info = await requestInfo(req);
      rt = info.rt;
      const db = rt.db.prisma;
      const auth = await authenticate(db, rt.config, {
        authorization: req.headers.get('authorization'),
        sessionToken: req.cookies.get(cookieName(SESSION_COOKIE, info.secure))?.value,
        ip: info.ip,
        userAgent: info.userAgent,
      });
      if (auth.kind === 'refused') {
        return json({ error: auth.message }, auth.status, auth.retryAfterSeconds ? { 'retry-after': String(auth.retryAfterSeconds) } : {});
      }
      if (auth.kind === 'anonymous') {
        return json({ error: `sign in first (${auth.reason}): a session cookie from /signin, or Authorization: Bearer <API token>`, signIn: '/signin' }, 401, { 'www-authenticate': 'Bearer realm="bulkhead"' });
      }
      const principal = auth.principal;
      const via = auth.by === 'token' ? ('api' as const) : ('web' as const);
      const record = async (event: RequestAuditInput, into: Parameters<typeof audit>[0] = db) => {
        await audit(into, { actor: principal, ip: info.ip, userAgent: info.userAgent, via, ...event });
      };
      const deny = async (message: string) => {
        await record({ action: 'auth.denied', target: { type: 'route', id: `${req.method} ${req.nextUrl.pathname}` }, summary: message, outcome: 'denied' });
        return json({ error: message }, 403);
      };

      // A cookie travels with every request the browser makes, including ones another site
      // triggers; a state-changing request must prove it comes from our own pages.
      if (auth.by === 'session' && !SAFE_METHODS.has(req.method) && !csrfMatches(auth.sessionToken!, req.headers.get(CSRF_HEADER))) {
        return json({ error: `CSRF check failed: send the ${CSRF_HEADER} header with the value of the ${cookieName(CSRF_COOKIE, info.secure)} cookie` }, 403);
      }

      const scope = scopeOf(principal.role, opts.permission);
      if (!scope) return await deny(`${principal.role} may not do this (needs ${opts.permission})`);
      const params = (await route?.params) ?? {};
      let checked = scope === 'all';
      if (scope === 'owned') {
        if (typeof opts.application === 'function') {
          const appId = await opts.application({ rt, req, params });
          if (!(await mayActOnApplication(db, principal, opts.permission, appId))) {
            return await deny(`${opts.permission} on this application is for its owners, admins and architects`);
          }
          checked = true;
        } else if (opts.application !== 'per-item') {
          return await deny(`${opts.permission} here is for admins and architects (app owners act on their applications' items)`);
        }
      }

      const query = opts.query ? parse(opts.query, Object.fromEntries(req.nextUrl.searchParams), 'query') : (undefined as Q);
      let body = undefined as B;
      if (opts.body) {
        let raw: unknown;
        try {
          raw = await req.json();
        } catch {
          throw new ApiError(400, 'the request body is not JSON');
        }
        body = parse(opts.body, raw, 'body');
      }
      const ctx: ApiContext<Q, B> = {
        rt,
        req,
        principal,
        query,
        body,
        params,
        ip: info.ip,
        audit: record,
        async requireApplication(applicationId) {
          checked = true;
          if (!(await mayActOnApplication(db, principal, opts.permission, applicationId))) {
            await record({ action: 'auth.denied', target: { type: 'application', id: applicationId ?? null }, summary: `${opts.permission}: not an owner of this application`, outcome: 'denied' });
            throw new ApiError(403, `${opts.permission} on this application is for its owners, admins and architects`);
          }
        },
        async applicationScope() {
          checked = true;
          return applicationScope(db, principal, opts.permission);
        },
      };
      const result = await fn(ctx);
      if (!checked) {
        // Fail loudly in development and tests: an owner-scoped route that never checked ownership is a bug.
        rt.log.error({ route: req.nextUrl.pathname }, "route declared application: 'per-item' but never checked the application");
        return json({ error: 'internal error: this route did not check application ownership' }, 500);
      }
      if (result instanceof Response) {
        if (!result.headers.has('cache-control')) result.headers.set('cache-control', 'no-store');
        return result;
      }
      return json(result ?? { ok: true });
    } catch (e) {
      return errorResponse(e, rt);
    }
  };
  return Object.assign(handler, { meta: { permission: opts.permission, application: typeof opts.application === 'function' ? 'resolver' : (opts.application ?? null), queryKeys: schemaKeys(opts.query) } as RouteMeta });
}

/**
 * A route anyone may call (the health check for load balancers). It must answer anonymous
 * callers with nothing an attacker could use; `principal` is set when the caller is signed in.
 */
export function publicApiRoute(fn: (ctx: { rt: Runtime; req: NextRequest; principal: Principal | null }) => Promise<unknown>): RouteHandler {
  const handler = async (req: NextRequest) => {
    let rt: Runtime | null = null;
    try {
      const info = await requestInfo(req);
      rt = info.rt;
      const auth = await authenticate(rt.db.prisma, rt.config, {
        authorization: req.headers.get('authorization'),
        sessionToken: req.cookies.get(cookieName(SESSION_COOKIE, info.secure))?.value,
        ip: info.ip,
        userAgent: info.userAgent,
      });
      const result = await fn({ rt, req, principal: auth.kind === 'principal' ? auth.principal : null });
      return result instanceof Response ? result : json(result ?? { ok: true });
    } catch (e) {
      return errorResponse(e, rt);
    }
  };
  return Object.assign(handler, { meta: { permission: 'public', application: null, queryKeys: [] } as RouteMeta });
}

const isLoopback = (addr: string | null) => !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));

function secretMatches(header: string | null, secret: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const want = Buffer.from(secret);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Who called the CLI-forwarding endpoint: a token's user, or null for the local operator. */
export interface CommandCaller {
  rt: Runtime;
  req: NextRequest;
  principal: Principal | null;
  ip: string | null;
}

/**
 * The endpoint the bulkhead CLI forwards commands to (app/api/v1/cli). Its callers are CLIs, not
 * browsers, so a session cookie counts for nothing here: no page can make a browser run a command,
 * and no CSRF token is needed. It takes
 * - the server's local secret (server.json, readable by the operator alone), from this machine
 *   only: the caller is the local operator, who could open the data directory anyway;
 * - an API token (a CLI on another machine), from anywhere: its user, throttled and audited like
 *   everywhere on the API.
 * The permission is the command's own, checked when it runs (cli/main.ts): the route declares
 * 'command'. Answers are plain text lines, which the CLI prints as they come.
 */
export function commandRoute(fn: (ctx: CommandCaller) => Promise<Response>): RouteHandler {
  const text = (status: number, message: string) => new Response(`${message}\n`, { status, headers: { 'cache-control': 'no-store' } });
  const handler = async (req: NextRequest) => {
    let rt: Runtime | null = null;
    try {
      const info = await requestInfo(req);
      rt = info.rt;
      const header = req.headers.get('authorization');
      // Only `bulkhead serve` registers a secret, and it writes the peer header from the socket on
      // every request (cli/web.ts), so the header is the real peer here. Not clientAddress():
      // X-Forwarded-For, which a client can write, must not make a remote caller look local.
      const secret = rt.commands?.secret ?? '';
      if (secret && secretMatches(header, secret)) {
        if (!isLoopback(req.headers.get(PEER_HEADER))) return text(403, 'forbidden: the local secret is accepted from this machine only');
        return await fn({ rt, req, principal: null, ip: info.ip });
      }
      const bearer = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
      if (!looksLikeToken(bearer)) return text(401, "unauthorized: send the server's local secret (a local CLI does) or an API token (BULKHEAD_TOKEN)");
      const auth = await authenticate(rt.db.prisma, rt.config, { authorization: header, ip: info.ip, userAgent: info.userAgent ?? 'bulkhead CLI' });
      if (auth.kind !== 'principal') return text(auth.kind === 'refused' ? auth.status : 401, auth.kind === 'refused' ? auth.message : 'unauthorized');
      return await fn({ rt, req, principal: auth.principal, ip: info.ip });
    } catch (e) {
      return errorResponse(e, rt);
    }
  };
  return Object.assign(handler, { meta: { permission: 'command', application: null, queryKeys: [] } as RouteMeta });
}

function parse<T>(schema: ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ApiError(400, `invalid ${where}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, r.error.issues);
  }
  return r.data;
}

export { z };
