// The one way to write a JSON API route handler: it names the permission it needs, validates its
// input with zod, gets the process's runtime, and maps errors to HTTP statuses. Authentication
// and authorization happen here, on the server, for every route.
import { NextResponse, type NextRequest } from 'next/server';
import { z, type ZodType } from 'zod';
import type { Permission } from '../../../lib/auth/permissions';
import { getRuntime, type Runtime } from '../../../lib/runtime';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface Principal {
  /** user id, or a fixed id for the local operator before accounts exist */
  id: string;
  name: string;
  role: 'admin' | 'architect' | 'owner' | 'viewer';
}

export interface ApiContext<Q, B> {
  rt: Runtime;
  req: NextRequest;
  principal: Principal;
  query: Q;
  body: B;
  params: Record<string, string>;
}

interface Options<Q, B> {
  permission: Permission;
  query?: ZodType<Q>;
  body?: ZodType<B>;
}

/**
 * Who is calling. Accounts and sessions arrive with the accounts issue (lib/auth); until then
 * every caller acts as the local operator with the admin role. This function is the single
 * place that changes.
 */
async function authenticate(_req: NextRequest, _rt: Runtime): Promise<Principal> {
  return { id: 'local', name: 'local operator', role: 'admin' };
}

function authorize(principal: Principal, permission: Permission): void {
  void principal;
  void permission;
}

export function apiRoute<Q = undefined, B = undefined>(opts: Options<Q, B>, fn: (ctx: ApiContext<Q, B>) => Promise<unknown>) {
  return async (req: NextRequest, route: { params: Promise<Record<string, string>> }) => {
    try {
      const rt = await getRuntime();
      const principal = await authenticate(req, rt);
      authorize(principal, opts.permission);
      const params = (await route?.params) ?? {};
      const query = opts.query ? parse(opts.query, Object.fromEntries(req.nextUrl.searchParams), 'query') : (undefined as Q);
      let body = undefined as B;
      if (opts.body) {
        let json: unknown;
        try {
          json = await req.json();
        } catch {
          throw new ApiError(400, 'the request body is not JSON');
        }
        body = parse(opts.body, json, 'body');
      }
      const result = await fn({ rt, req, principal, query, body, params });
      return result instanceof Response ? result : NextResponse.json(result ?? { ok: true });
    } catch (e) {
      if (e instanceof ApiError) return NextResponse.json({ error: e.message, details: e.details }, { status: e.status });
      const err = e as Error;
      if (err.name === 'UserError' || err.name === 'ConfigError') return NextResponse.json({ error: err.message }, { status: 400 });
      console.error(err);
      return NextResponse.json({ error: 'internal error' }, { status: 500 });
    }
  };
}

function parse<T>(schema: ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ApiError(400, `invalid ${where}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, r.error.issues);
  }
  return r.data;
}

export { z };
