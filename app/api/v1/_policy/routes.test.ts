// The policy routes as API clients use them, with real tokens on a real runtime: owners review
// only their applications' rules (one by one and in bulk), approved rules only narrow, baselines
// and exports are recorded in the audit log, simulation and blast radius answer on any store.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../../test/support';
import { queryAudit } from '../../../../lib/audit';
import type { Role } from '../../../../lib/auth/permissions';
import { createApiToken } from '../../../../lib/auth/tokens';
import { createUser } from '../../../../lib/auth/users';
import { serializeBaseline } from '../../../../lib/export/baseline';
import { unpackArchive } from '../../../../test/archive';
import { parsePortsText } from '../../../../lib/policy/model';
import { findRule } from '../../../../lib/policy/rules';
import { createRules } from '../../../../lib/policy/workflow';
import { openRuntime, shareRuntime, type Runtime } from '../../../../lib/runtime';
import type { RouteHandler } from '../../_lib/route';
import * as approveOne from '../rules/[id]/approve/route';
import * as rejectOne from '../rules/[id]/reject/route';
import * as ruleOne from '../rules/[id]/route';
import * as approveMany from '../rules/approve/route';
import * as rulesRoute from '../rules/route';
import * as baselines from '../baselines/route';
import * as baselineOne from '../baselines/[ref]/route';
import * as baselineDiff from '../baselines/diff/route';
import * as baselineImport from '../baselines/import/route';
import * as exportRoute from '../export/route';
import * as simulation from '../simulation/route';
import * as blast from '../blast-radius/route';
import * as enforcementList from '../enforcement/route';
import * as enforcementOne from '../enforcement/[id]/route';
import * as readinessRoute from '../enforcement/[id]/readiness/route';
import * as decisionsRoute from '../enforcement/[id]/readiness/decisions/route';

let rt: Runtime;
const token = {} as Record<Role, string>;
const ids = {} as Record<'shop' | 'shop2' | 'crm', string>;

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  shareRuntime(rt);
  const db = rt.db.prisma;
  for (const role of ['admin', 'architect', 'owner', 'viewer'] as const) {
    const u = await createUser(db, { email: `${role}@policy.test`, role });
    token[role] = (await createApiToken(db, { userId: u.id, name: 'test', role, maxRole: 'admin' })).token;
  }
  const system = { actor: { type: 'system' as const, name: 'test setup' }, via: 'system' as const };
  const r = await createRules(
    db,
    [
      { from: { labels: { app: 'shop', role: 'web' } }, to: { labels: { app: 'shop', role: 'api' } }, ports: parsePortsText('tcp/8080 tcp/8443'), intent: 'web to api', owner: 'shop', application: 'shop' },
      { from: { labels: { app: 'shop', role: 'api' } }, to: { labels: { app: 'shop', role: 'db' } }, ports: parsePortsText('tcp/5432'), intent: 'api to db', owner: 'shop', application: 'shop' },
      { from: { labels: { app: 'crm', role: 'api' } }, to: { labels: { app: 'crm', role: 'db' } }, ports: parsePortsText('tcp/5432'), intent: 'crm api to db', owner: 'crm', application: 'crm' },
    ],
    system,
    { origin: 'manual' },
  );
  [ids.shop, ids.shop2, ids.crm] = r.created.map((x) => x.id) as [string, string, string];
  const owner = await db.user.findUniqueOrThrow({ where: { email: 'owner@policy.test' } });
  const shop = await db.application.findUniqueOrThrow({ where: { name: 'shop' } });
  await db.applicationOwner.create({ data: { applicationId: shop.id, userId: owner.id } });
}, 120_000);
afterAll(() => rt?.close());

async function call(handler: RouteHandler, role: Role, path: string, opts: { method?: string; body?: unknown; params?: Record<string, string> } = {}) {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const req = new NextRequest(new URL(path, 'http://127.0.0.1:3000'), {
    method,
    headers: { authorization: `Bearer ${token[role]}`, 'content-type': 'application/json', 'x-bulkhead-peer': '127.0.0.1', 'user-agent': 'policy-routes-test' },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
}

describe('policy routes', () => {
  it('lets owners review their applications and nothing else', async () => {
    expect((await call(approveOne.POST, 'owner', `/api/v1/rules/${ids.crm}/approve`, { body: {}, params: { id: ids.crm } })).status).toBe(403);
    const ok = await call(approveOne.POST, 'owner', `/api/v1/rules/${ids.shop}/approve`, { body: { comment: 'looks right' }, params: { id: ids.shop } });
    expect(ok).toMatchObject({ status: 200, body: { outcome: 'approved' } });
    expect((await call(approveMany.POST, 'owner', '/api/v1/rules/approve', { body: { application: 'crm' } })).status).toBe(403);
    expect((await call(approveMany.POST, 'owner', '/api/v1/rules/approve', { body: { ids: [ids.shop2, ids.crm] } })).status).toBe(403);
    expect((await findRule(rt.db.prisma, ids.shop2)).status).toBe('proposed');
    const bulk = await call(approveMany.POST, 'owner', '/api/v1/rules/approve', { body: { application: 'shop', comment: 'the rest of shop' } });
    expect(bulk).toMatchObject({ status: 200, body: { approved: 1 } });
    expect((await call(rejectOne.POST, 'viewer', `/api/v1/rules/${ids.crm}/reject`, { body: { comment: 'no' }, params: { id: ids.crm } })).status).toBe(403);
    expect((await call(rejectOne.POST, 'architect', `/api/v1/rules/${ids.crm}/reject`, { body: { comment: '' }, params: { id: ids.crm } })).status).toBe(400);
    expect((await call(rejectOne.POST, 'architect', `/api/v1/rules/${ids.crm}/reject`, { body: { comment: 'crm reads through its cache' }, params: { id: ids.crm } })).body).toMatchObject({ outcome: 'rejected' });

    const ev = (await queryAudit(rt.db.prisma, { action: 'rule.approve', targetId: ids.shop })).events[0]!;
    expect(ev).toMatchObject({ actor: { name: 'owner@policy.test (token "test")', role: 'owner' }, via: 'api', ip: '127.0.0.1', userAgent: 'policy-routes-test' });
  });

  it('narrows an approved rule but never widens it', async () => {
    const wider = await call(ruleOne.PATCH, 'owner', `/api/v1/rules/${ids.shop}`, { method: 'PATCH', body: { ports: [{ protocol: 'tcp' }], comment: 'simpler' }, params: { id: ids.shop } });
    expect(wider.status).toBe(400);
    expect(wider.body.error).toMatch(/would let more through/);
    const narrow = await call(ruleOne.PATCH, 'owner', `/api/v1/rules/${ids.shop}`, { method: 'PATCH', body: { ports: [{ protocol: 'tcp', port: 8080 }], comment: '8443 retired' }, params: { id: ids.shop } });
    expect(narrow).toMatchObject({ status: 200, body: { outcome: 'narrowed', rule: { status: 'approved', ports: [{ protocol: 'tcp', port: 8080 }] } } });
    const one = await call(ruleOne.GET, 'viewer', `/api/v1/rules/${ids.shop.slice(-8)}`, { params: { id: ids.shop.slice(-8) } });
    expect(one.body.history.map((h: { action: string }) => h.action)).toEqual(['create', 'approve', 'narrow']);
    expect((await call(ruleOne.GET, 'viewer', '/api/v1/rules/nosuchrule', { params: { id: 'nosuchrule' } })).status).toBe(404);
  });

  it('lists and creates rules', async () => {
    const list = await call(rulesRoute.GET, 'viewer', '/api/v1/rules?status=all');
    expect(list.body.rules.map((r: { status: string }) => r.status).sort()).toEqual(['approved', 'approved', 'rejected']);
    expect((await call(rulesRoute.GET, 'viewer', '/api/v1/rules?status=bogus')).status).toBe(400);
    const made = await call(rulesRoute.POST, 'architect', '/api/v1/rules', { body: { from: { cidr: '10.100.0.0/16' }, to: { labels: { app: 'shop', role: 'web' } }, ports: [{ protocol: 'tcp', port: 443 }], intent: 'users shop', application: 'shop' } });
    expect(made).toMatchObject({ status: 200, body: { created: true, rule: { status: 'proposed', application: { name: 'shop' } } } });
    const bad = await call(rulesRoute.POST, 'architect', '/api/v1/rules', { body: { from: { cidr: '10.100.0.1' }, to: { any: true }, ports: [{ protocol: 'tcp', port: 443 }], intent: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/from/);
  });

  it('snapshots, shows, diffs, exports and imports baselines, recording them', async () => {
    const v1 = await call(baselines.POST, 'architect', '/api/v1/baselines', { body: { name: 'shop', note: 'v1' } });
    expect(v1).toMatchObject({ status: 200, body: { baseline: { name: 'shop', version: 1, ruleCount: 2 } } });
    await call(approveOne.POST, 'architect', `/api/v1/rules/x/approve`, { body: {}, params: { id: (await call(rulesRoute.GET, 'viewer', '/api/v1/rules?status=proposed')).body.rules[0].id } });
    expect((await call(baselines.POST, 'architect', '/api/v1/baselines', { body: { name: 'shop' } })).body.baseline.version).toBe(2);
    const doc = (await call(baselineOne.GET, 'viewer', '/api/v1/baselines/shop@1', { params: { ref: 'shop@1' } })).body.document;
    expect(doc).toMatchObject({ kind: 'Baseline', metadata: { name: 'shop', version: 1 } });
    const diff = await call(baselineDiff.GET, 'viewer', '/api/v1/baselines/diff?from=shop@1&to=shop@2');
    expect(diff.body).toMatchObject({ added: [expect.objectContaining({ intent: 'users shop' })], removed: [], changed: [] });

    const k8s = await call(exportRoute.GET, 'architect', '/api/v1/export?format=kubernetes&baseline=shop@2');
    expect(k8s.status).toBe(200);
    expect(k8s.body.files[0].name).toBe('networkpolicies.yaml');
    const file = await call(exportRoute.GET, 'architect', '/api/v1/export?format=baseline&download=1');
    expect(file.body).toMatch(/^# Bulkhead baseline/);
    expect((await call(exportRoute.GET, 'owner', '/api/v1/export?format=nsx')).status).toBe(403);
    expect((await queryAudit(rt.db.prisma, { action: 'policy.export' })).events.map((e) => e.via)).toEqual(['api', 'api']);

    const imported = await call(baselineImport.POST, 'architect', '/api/v1/baselines/import', { body: { document: serializeBaseline({ ...doc, rules: [...doc.rules, { ...doc.rules[0], id: 'extra', ports: [{ protocol: 'tcp', port: 9090 }] }] }, 'yaml') } });
    expect(imported).toMatchObject({ status: 200, body: { created: [expect.any(String)], existing: [expect.any(String), expect.any(String)] } });
    const broken = await call(baselineImport.POST, 'architect', '/api/v1/baselines/import', { body: { document: 'apiVersion: bulkhead/v2\n' } });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatch(/document:1: apiVersion/);
  });

  it('downloads a directory export (nftables) as one .tar.gz holding the files the JSON answer lists', async () => {
    const json = await call(exportRoute.GET, 'architect', '/api/v1/export?format=nftables');
    expect(json.status).toBe(200);
    const files = json.body.files as Array<{ name: string; content: string }>;
    const req = new NextRequest(new URL('/api/v1/export?format=nftables&archive=tar.gz', 'http://127.0.0.1:3000'), {
      headers: { authorization: `Bearer ${token.architect}`, 'x-bulkhead-peer': '127.0.0.1', 'user-agent': 'policy-routes-test' },
    });
    const res = await exportRoute.GET(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="nftables.tar.gz"');
    const entries = await unpackArchive(new Uint8Array(await res.arrayBuffer()));
    expect(entries.map(({ name, content }) => ({ name, content }))).toEqual(files);
    expect((await call(exportRoute.GET, 'architect', '/api/v1/export?format=nftables&archive=zip')).status).toBe(400);
    expect((await call(exportRoute.GET, 'owner', '/api/v1/export?format=nftables&archive=tar.gz')).status).toBe(403);
    const last = (await queryAudit(rt.db.prisma, { action: 'policy.export' })).events[0]!;
    expect(last.summary).toMatch(/as nftables \(one archive\) through the API/);
  });

  it('simulates and measures blast radius on whatever the stores hold', async () => {
    const s = await call(simulation.GET, 'viewer', '/api/v1/simulation?policy=proposed&days=2');
    expect(s).toMatchObject({ status: 200, body: { policy: { name: 'proposed' }, totals: { flows: 0 }, enforcement: { mode: 'as-set' } } });
    expect((await call(simulation.GET, 'viewer', '/api/v1/simulation?policy=proposed&days=2&enforcement=all')).body.enforcement).toEqual({ mode: 'all', enforced: [], test: [] });
    expect((await call(simulation.GET, 'viewer', '/api/v1/simulation?enforcement=some')).status).toBe(400);
    expect((await call(simulation.GET, 'viewer', '/api/v1/simulation?policy=whatever')).status).toBe(400);
    const doc = (await call(baselineOne.GET, 'viewer', '/api/v1/baselines/shop', { params: { ref: 'shop' } })).body.document;
    expect((await call(simulation.POST, 'viewer', '/api/v1/simulation', { body: { document: doc, days: 1 } })).body.policy.rules).toBe(3);
    expect((await call(blast.GET, 'viewer', '/api/v1/blast-radius')).body).toMatchObject({ workloads: 0, approved: { rules: 4 } });
  });

  it('lets owners set the enforcement state of their applications only, and audits each change', async () => {
    const put = (role: Role, app: string, body: unknown) => call(enforcementOne.PUT, role, `/api/v1/enforcement/${app}`, { method: 'PUT', body, params: { id: app } });
    expect((await put('owner', 'crm', { state: 'enforced' })).status).toBe(403);
    expect((await put('viewer', 'shop', { state: 'enforced' })).status).toBe(403);
    expect((await put('owner', 'shop', { state: 'blocking' })).status).toBe(400);
    expect(await put('owner', 'shop', { state: 'enforced', environment: 'prod' })).toMatchObject({ status: 200, body: { application: 'shop', environment: 'prod', from: 'visibility', to: 'enforced', changed: true } });
    expect(await put('architect', 'crm', { state: 'test' })).toMatchObject({ status: 200, body: { application: 'crm', environment: '', to: 'test' } });
    const list = await call(enforcementList.GET, 'viewer', '/api/v1/enforcement');
    expect(list.status).toBe(200);
    expect(list.body.enforcement.map((r: { application: string; environment: string; state: string }) => [r.application, r.environment, r.state])).toEqual([
      ['crm', '', 'test'],
      ['shop', 'prod', 'enforced'],
    ]);
    expect((await call(enforcementOne.GET, 'viewer', '/api/v1/enforcement/shop', { params: { id: 'shop' } })).body.enforcement).toHaveLength(1);
    const events = (await queryAudit(rt.db.prisma, { action: 'policy.enforce' })).events;
    expect(events.map((e) => [e.actor.name, e.via, e.summary])).toEqual([
      ['architect@policy.test (token "test")', 'api', 'crm: enforcement visibility -> test'],
      ['owner@policy.test (token "test")', 'api', 'shop@prod: enforcement visibility -> enforced'],
    ]);
  });

  it('shows readiness and takes decisions for owners of the application only', async () => {
    // no traffic here: the approved rules would block nothing, so shop@prod is ready (cli/commands/enforce.test.ts has an estate)
    const r = await call(readinessRoute.GET, 'owner', '/api/v1/enforcement/shop/readiness?environment=prod', { params: { id: 'shop' } });
    expect(r).toMatchObject({ status: 200, body: { application: 'shop', environment: 'prod', state: 'enforced', dependencies: [], undecided: 0, ready: true } });
    expect((await call(readinessRoute.GET, 'owner', '/api/v1/enforcement/crm/readiness', { params: { id: 'crm' } })).status).toBe(403);
    const post = (role: Role, body: unknown) => call(decisionsRoute.POST, role, '/api/v1/enforcement/shop/readiness/decisions', { method: 'POST', body, params: { id: 'shop' } });
    expect((await post('viewer', { dependency: 'abc', decision: 'allow' })).status).toBe(403);
    expect((await post('owner', { dependency: 'abc', decision: 'maybe', environment: 'prod' })).status).toBe(400);
    const none = await post('owner', { dependency: 'abc', decision: 'accept-block', environment: 'prod' });
    expect(none.status).toBe(404);
    expect(none.body.error).toMatch(/no would-block dependency abc of shop@prod/);
  });
});
