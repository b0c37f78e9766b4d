// App-owner scoping in apiRoute, on real rules in a real database: an owner approves rules of
// the applications they own and nothing else; admins and architects approve everywhere; viewers
// nowhere. The two ways a route names its application (a resolver, or per-item checks in the
// handler) are both exercised, with a handler that approves like the policy routes do.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support';
import { ROLES, type Role } from '../../../lib/auth/permissions';
import { createSession, csrfToken } from '../../../lib/auth/sessions';
import { createUser } from '../../../lib/auth/users';
import { openRuntime, shareRuntime, type Runtime } from '../../../lib/runtime';
import { BulkheadError, ERROR_KINDS } from '../../../lib/errors';
import { apiRoute, ApiError, STATUS_OF_KIND, z } from './route';

let rt: Runtime;
const who = {} as Record<Role, { cookie: string; csrf: string }>;
const rules = {} as Record<'mine' | 'theirs' | 'none', string>;

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  shareRuntime(rt);
  const db = rt.db.prisma;
  for (const role of ROLES) {
    const u = await createUser(db, { email: `${role}@scope.test`, role });
    const s = await createSession(db, rt.config, u.id, { method: 'password' });
    who[role] = { cookie: `bulkhead_session=${s.token}`, csrf: csrfToken(s.token) };
  }
  const owner = await db.user.findUniqueOrThrow({ where: { email: 'owner@scope.test' } });
  const pay = await db.application.create({ data: { name: 'payments', owners: { create: [{ userId: owner.id }] } } });
  const hr = await db.application.create({ data: { name: 'hr' } });
  const rule = (applicationId: string | null) =>
    db.rule.create({ data: { applicationId, fromSelector: { labels: { app: 'web' } }, toSelector: { labels: { app: 'db' } }, ports: [{ protocol: 'tcp', port: 5432 }], intent: 'web reads db', status: 'proposed', origin: 'proposal' } });
  rules.mine = (await rule(pay.id)).id;
  rules.theirs = (await rule(hr.id)).id;
  rules.none = (await rule(null)).id;
}, 120_000);
afterAll(() => rt?.close());

const ruleApplication = async ({ rt, params }: { rt: Runtime; params: Record<string, string> }) =>
  (await rt.db.prisma.rule.findUnique({ where: { id: params.id ?? '' } }))?.applicationId ?? null;

// POST /rules/:id/approve, as the policy routes declare it.
const approve = apiRoute({ permission: 'rules:review', application: ruleApplication, body: z.object({ comment: z.string() }) }, async ({ rt, params, body, audit }) => {
  const r = await rt.db.prisma.rule.update({ where: { id: params.id }, data: { status: 'approved' } });
  await audit({ action: 'rule.approve', target: { type: 'rule', id: r.id }, summary: body.comment, before: { status: 'proposed' }, after: { status: r.status } });
  return { status: r.status };
});

// POST /rules/approve { ids }: several rules, checked one by one before anything changes.
const approveMany = apiRoute({ permission: 'rules:review', application: 'per-item', body: z.object({ ids: z.array(z.string()) }) }, async ({ rt, body, requireApplication }) => {
  const found = await rt.db.prisma.rule.findMany({ where: { id: { in: body.ids } } });
  for (const r of found) await requireApplication(r.applicationId);
  await rt.db.prisma.rule.updateMany({ where: { id: { in: body.ids } }, data: { status: 'approved' } });
  return { approved: found.length };
});

// GET /rules?mine: what a reviewer may act on.
const reviewable = apiRoute({ permission: 'rules:review', application: 'per-item' }, async ({ rt, applicationScope }) => {
  const scope = await applicationScope();
  const rows = await rt.db.prisma.rule.findMany({ where: scope === 'all' ? {} : { applicationId: { in: scope } }, orderBy: { id: 'asc' } });
  return { ids: rows.map((r) => r.id) };
});

const forgetful = apiRoute({ permission: 'rules:review', application: 'per-item' }, async () => ({ ok: true }));

function post(handler: typeof approve, role: Role, id: string, body: unknown) {
  const req = new NextRequest(`http://127.0.0.1/api/v1/rules/${id}/approve`, {
    method: 'POST',
    headers: { cookie: who[role].cookie, 'x-csrf-token': who[role].csrf, 'content-type': 'application/json', 'x-bulkhead-peer': '127.0.0.1' },
    body: JSON.stringify(body),
  });
  return handler(req, { params: Promise.resolve({ id }) });
}
const status = async (id: string) => (await rt.db.prisma.rule.findUniqueOrThrow({ where: { id } })).status;
const reset = () => rt.db.prisma.rule.updateMany({ data: { status: 'proposed' } });

describe('app-owner scope', () => {
  it('an owner approves a rule of an application they own, and cannot approve another application\'s rule', async () => {
    await reset();
    const ok = await post(approve, 'owner', rules.mine, { comment: 'needed by checkout' });
    expect(ok.status).toBe(200);
    expect(await status(rules.mine)).toBe('approved');

    const refused = await post(approve, 'owner', rules.theirs, { comment: 'not mine' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatch(/for its owners, admins and architects/);
    expect(await status(rules.theirs)).toBe('proposed');
    // A rule of no application is for admins and architects.
    expect((await post(approve, 'owner', rules.none, { comment: 'x' })).status).toBe(403);
    // An unknown rule: refused before anyone learns whether it exists.
    expect((await post(approve, 'owner', 'no-such-rule', { comment: 'x' })).status).toBe(403);

    const denied = await rt.db.prisma.auditEvent.findMany({ where: { action: 'auth.denied', actorName: 'owner@scope.test' } });
    expect(denied.length).toBe(3);
    const approved = await rt.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'rule.approve', targetId: rules.mine } });
    expect(approved).toMatchObject({ actorName: 'owner@scope.test', actorRole: 'owner', summary: 'needed by checkout', via: 'web', outcome: 'ok' });
  });

  it('architects and admins approve any rule; viewers none', async () => {
    await reset();
    expect((await post(approve, 'architect', rules.theirs, { comment: 'ok' })).status).toBe(200);
    expect((await post(approve, 'admin', rules.none, { comment: 'ok' })).status).toBe(200);
    expect((await post(approve, 'viewer', rules.mine, { comment: 'ok' })).status).toBe(403);
    expect(await status(rules.mine)).toBe('proposed');
  });

  it('per-item routes: an owner approving a mix is refused as a whole; the scope lists only owned applications', async () => {
    await reset();
    const mixed = await post(approveMany, 'owner', 'batch', { ids: [rules.mine, rules.theirs] });
    expect(mixed.status).toBe(403);
    expect(await status(rules.mine)).toBe('proposed');
    expect((await post(approveMany, 'owner', 'batch', { ids: [rules.mine] })).status).toBe(200);
    expect(await status(rules.mine)).toBe('approved');

    const list = (role: Role) =>
      reviewable(new NextRequest('http://127.0.0.1/api/v1/rules', { headers: { cookie: who[role].cookie } }), { params: Promise.resolve({}) }).then((r) => r.json());
    expect((await list('owner')).ids).toEqual([rules.mine]);
    expect((await list('architect')).ids).toHaveLength(3);
  });

  it('a per-item route that never checks the application fails closed for owners', async () => {
    const res = await post(forgetful, 'owner', 'x', {});
    expect(res.status).toBe(500);
    expect((await res.json()).error).toMatch(/did not check application ownership/);
    expect((await post(forgetful, 'architect', 'x', {})).status).toBe(200);
  });

  it('answers with no-store and maps errors to statuses', async () => {
    const boom = apiRoute({ permission: 'map:read' }, async () => {
      throw new ApiError(409, 'conflict here');
    });
    const res = await boom(new NextRequest('http://127.0.0.1/x', { headers: { cookie: who.viewer.cookie } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(409);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ error: 'conflict here' });
  });

  it("answers each kind of lib's errors with its status and message, and a fault without its message", async () => {
    const seen: Record<string, [number, string]> = {};
    for (const kind of ERROR_KINDS) {
      const route = apiRoute({ permission: 'map:read' }, async () => {
        throw new BulkheadError(kind, `refused as ${kind}`);
      });
      const res = await route(new NextRequest('http://127.0.0.1/x', { headers: { cookie: who.viewer.cookie } }), { params: Promise.resolve({}) });
      seen[kind] = [res.status, (await res.json()).error];
    }
    expect(seen).toEqual(Object.fromEntries(ERROR_KINDS.map((k) => [k, [STATUS_OF_KIND[k], `refused as ${k}`]])));
    const fault = apiRoute({ permission: 'map:read' }, async () => {
      throw Object.assign(new Error('secret detail'), { name: 'UserError' });
    });
    const res = await fault(new NextRequest('http://127.0.0.1/x', { headers: { cookie: who.viewer.cookie } }), { params: Promise.resolve({}) });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 500, body: { error: 'internal error' } });
  });
});
