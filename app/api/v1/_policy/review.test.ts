// The review-by-application routes as API clients use them: the units, one unit's rules in both
// directions, "Approve all" for a unit by its owner (their rules approved, their outbound rules of
// another application agreed to, the rule over an unconfirmed inferred application refused with
// why), the other side seeing that agreement, and one rule's approval refused (409) by the gate.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../../test/support';
import type { Role } from '../../../../lib/auth/permissions';
import { createApiToken } from '../../../../lib/auth/tokens';
import { createUser } from '../../../../lib/auth/users';
import { parsePortsText, type Selector } from '../../../../lib/policy/model';
import { createRules } from '../../../../lib/policy/workflow';
import type { ReviewUnitJson, UnitReviewJson } from '../../../../lib/read/review';
import { openRuntime, shareRuntime, type Runtime } from '../../../../lib/runtime';
import type { RouteHandler } from '../../_lib/route';
import * as approveOne from '../rules/[id]/approve/route';
import * as approveMany from '../rules/approve/route';
import * as review from '../rules/review/route';

let rt: Runtime;
const token = {} as Record<string, string>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  shareRuntime(rt);
  const db = rt.db.prisma;
  const users: Array<[string, Role]> = [['admin', 'admin'], ['olga', 'owner'], ['pat', 'owner'], ['other', 'owner']];
  for (const [name, role] of users) {
    const u = await createUser(db, { email: `${name}@review.test`, role });
    token[name] = (await createApiToken(db, { userId: u.id, name: 'test', role, maxRole: 'admin' })).token;
  }
  const T0 = new Date('2026-03-01T00:00:00Z');
  const wl = (name: string, ip: string, app: string, inferred = false) =>
    db.workload.create({
      data: {
        name,
        source: 'json',
        addresses: { create: [{ ip, validFrom: T0, source: 'json' }] },
        labels: { create: [{ key: 'app', value: app, source: inferred ? 'inferred' : 'inventory', confirmed: !inferred }, { key: 'env', value: 'prod', source: 'inventory' }] },
      },
    });
  await wl('orders-1', '10.0.0.1', 'orders');
  await wl('payments-1', '10.0.0.2', 'payments');
  await wl('vm-7', '10.0.0.7', 'app-vm-7', true);
  await wl('crm-1', '10.0.0.8', 'crm');
  const system = { actor: { type: 'system' as const, name: 'test setup' }, via: 'system' as const };
  const app = (a: string): Selector => ({ labels: { app: a, env: 'prod' } });
  for (const [key, from, to, owner] of [
    ['in', app('payments'), app('orders'), 'orders'],
    ['out', app('orders'), app('payments'), 'payments'],
    ['inferred', app('app-vm-7'), app('orders'), 'orders'],
    ['crm', app('crm'), app('payments'), 'payments'],
  ] as const) {
    ids[key] = (await createRules(db, [{ from, to, ports: parsePortsText('tcp/443'), intent: key, owner, application: owner }], system, { origin: 'manual' })).created[0]!.id;
  }
  for (const [user, appName] of [['olga', 'orders'], ['pat', 'payments'], ['other', 'crm']]) {
    const u = await db.user.findUniqueOrThrow({ where: { email: `${user}@review.test` } });
    const a = await db.application.upsert({ where: { name: appName! }, create: { name: appName! }, update: {} });
    await db.applicationOwner.create({ data: { applicationId: a.id, userId: u.id } });
  }
}, 120_000);
afterAll(() => rt?.close());

async function call(handler: RouteHandler, who: string, path: string, opts: { body?: unknown; params?: Record<string, string> } = {}) {
  const req = new NextRequest(new URL(path, 'http://127.0.0.1:3000'), {
    method: opts.body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json', 'x-bulkhead-peer': '127.0.0.1', 'user-agent': 'review-routes-test' },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  return { status: res.status, body: await res.json() };
}

describe('review by application routes', () => {
  it('lists the units with counts by direction and opens one in both directions', async () => {
    const units = (await call(review.GET, 'olga', '/api/v1/rules/review')).body.units as ReviewUnitJson[];
    expect(units.find((u) => u.unit === 'orders@prod')).toMatchObject({ state: 'visibility', workloads: 1, toReview: 3, counts: { inbound: { proposed: 2 }, outbound: { proposed: 1 } } });
    expect(units.find((u) => u.unit === 'app-vm-7@prod')?.unconfirmed).toBe(true);
    const one = (await call(review.GET, 'olga', '/api/v1/rules/review?unit=orders%40prod&status=proposed')).body as UnitReviewJson;
    expect(Object.fromEntries(one.rules.map((r) => [r.id, [r.direction, r.mayApprove, r.mayAgree, !!r.blocked]]))).toEqual({
      [ids.in!]: ['inbound', true, false, false],
      [ids.out!]: ['outbound', false, true, false],
      [ids.inferred!]: ['inbound', true, false, true],
    });
    expect(one.unconfirmed).toEqual([{ application: 'app-vm-7', units: ['app-vm-7@prod'] }]);
    expect((await call(review.GET, 'olga', '/api/v1/rules/review?unit=orders%40dev')).status).toBe(404);
  });

  it('refuses one rule over an unconfirmed application with 409 and what to do, whoever asks', async () => {
    const r = await call(approveOne.POST, 'admin', `/api/v1/rules/${ids.inferred}/approve`, { body: {}, params: { id: ids.inferred! } });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/discovery inferred and nobody confirmed \(app-vm-7@prod\).*confirm it.*rewrite the rule/);
  });

  it("approves a unit's rules for its owner, records their agreement as the sending side, and refuses the gated rule", async () => {
    expect((await call(approveMany.POST, 'other', '/api/v1/rules/approve', { body: { application: 'orders', environment: 'prod' } })).status).toBe(403);
    const r = await call(approveMany.POST, 'olga', '/api/v1/rules/approve', { body: { application: 'orders', environment: 'prod', comment: 'orders@prod' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ approved: 1, endorsed: 1, refused: 1 });
    expect(Object.fromEntries((r.body.rules as Array<{ id: string; outcome: string; reason?: string }>).map((x) => [x.id, [x.outcome, x.reason ?? null]]))).toEqual({
      [ids.in!]: ['approved', null],
      [ids.out!]: ['endorsed', null],
      [ids.inferred!]: ['refused', 'unconfirmed'],
    });
    // payments' owner sees orders' agreement, and approves
    const pay = (await call(review.GET, 'pat', '/api/v1/rules/review?unit=payments%40prod&status=proposed')).body as UnitReviewJson;
    expect(pay.rules.find((x) => x.id === ids.out)).toMatchObject({ direction: 'inbound', mayApprove: true, agreedBy: ['olga@review.test'], others: [{ application: 'orders', agreed: [expect.any(String)] }] });
    expect(pay.rules.find((x) => x.id === ids.crm)).toMatchObject({ others: [{ application: 'crm', agreed: [] }] });
    const done = await call(approveMany.POST, 'pat', '/api/v1/rules/approve', { body: { application: 'payments', environment: 'prod' } });
    expect(done.body).toMatchObject({ approved: 2, endorsed: 0, refused: 0 });
  });
});
