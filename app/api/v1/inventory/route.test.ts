// The inventory, identity, networks and imports routes, as an architect with an API token uses
// them: push inventory, see who held an address when, name a partner range, list imports.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../../lib/auth/tokens';
import { createUser } from '../../../../lib/auth/users';
import { openRuntime, shareRuntime, type Runtime } from '../../../../lib/runtime';
import { testConfig } from '../../../../test/support';
import { GET as identity } from '../identity/route';
import { GET as imports } from '../imports/route';
import { DELETE as deleteNetwork } from '../networks/[name]/route';
import { GET as listNetworks, POST as saveNetwork } from '../networks/route';
import { GET, POST } from './route';

let rt: Runtime;
let token: string;

type Handler = (req: NextRequest, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
const call = async (h: Handler, path: string, init: { method?: string; body?: unknown; params?: Record<string, string> } = {}) => {
  const req = new NextRequest(new URL(path, 'http://127.0.0.1:3000'), {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'x-bulkhead-peer': '127.0.0.1', 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const res = await h(req, { params: Promise.resolve(init.params ?? {}) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  shareRuntime(rt);
  const u = await createUser(rt.db.prisma, { email: 'architect@inventory.test', role: 'architect' });
  ({ token } = await createApiToken(rt.db.prisma, { userId: u.id, name: 'inventory test', role: 'architect', maxRole: 'admin' }));
});

afterAll(async () => {
  await rt.close();
});

describe('inventory, identity, networks and imports over the API', () => {
  it('applies pushed inventory, with history, and answers who held an address when', async () => {
    const empty = await call(GET, '/api/v1/inventory');
    expect(empty.body).toMatchObject({ workloads: 0 });
    expect(empty.body.hint).toMatch(/bulkhead import inventory/);

    const first = await call(POST, '/api/v1/inventory', {
      method: 'POST',
      body: { source: 'cmdb', at: '2026-03-01T00:00:00Z', workloads: [{ name: 'db-old', addresses: ['10.7.0.7'], labels: { app: 'shop' } }, { name: 'broken', addresses: [{ ip: '10.7.0.8', from: 'soon' }] }] },
    });
    expect(first.status).toBe(200);
    expect(first.body.workloads).toMatchObject({ created: 1 });
    expect(first.body.errors).toEqual([{ where: '[1].addresses[0].from', reason: '"soon" is not an ISO-8601 time' }]);
    const moved = await call(POST, '/api/v1/inventory', { method: 'POST', body: { source: 'cmdb', at: '2026-03-10T12:00:00Z', workloads: [{ name: 'db-new', addresses: ['10.7.0.7'] }] } });
    expect(moved.body.bindings).toMatchObject({ opened: 1, moved: 1 });

    const before = await call(identity, '/api/v1/identity?addr=10.7.0.7&at=2026-03-05T00:00:00Z');
    expect(before.body).toMatchObject({ type: 'workload', workloadName: 'db-old' });
    expect(before.body.history.map((h: { workloadName: string }) => h.workloadName)).toEqual(['db-old', 'db-new']);
    expect((await call(identity, '/api/v1/identity?addr=10.7.0.7&at=2026-03-11T00:00:00Z')).body).toMatchObject({ workloadName: 'db-new' });
    expect((await call(identity, '/api/v1/identity?addr=not-an-ip')).status).toBe(400);

    const summary = await call(GET, '/api/v1/inventory');
    expect(summary.body).toMatchObject({ workloads: 2, bySource: [{ source: 'cmdb', workloads: 2 }], bindings: { open: 1, total: 2 } });
    expect(summary.body.imports).toHaveLength(2);
    expect((await call(POST, '/api/v1/inventory', { method: 'POST', body: { source: 'Bad Name!', workloads: [] } })).status).toBe(400);
  });

  it('names a partner range, classifies by it, and removes it', async () => {
    const saved = await call(saveNetwork, '/api/v1/networks', { method: 'POST', body: { name: 'payments partner', kind: 'partner', cidrs: ['198.51.100.0/24'] } });
    expect(saved.body).toMatchObject({ created: true, network: { name: 'payments partner', kind: 'partner', cidrs: '198.51.100.0/24' } });
    expect((await call(saveNetwork, '/api/v1/networks', { method: 'POST', body: { name: 'x', cidrs: ['10.0.0.0/33'] } })).status).toBe(400);
    expect((await call(listNetworks, '/api/v1/networks')).body.networks).toEqual([{ name: 'payments partner', kind: 'partner', cidrs: ['198.51.100.0/24'] }]);
    expect((await call(identity, '/api/v1/identity?addr=198.51.100.9')).body).toMatchObject({ type: 'network', network: 'payments partner' });
    const gone = await call(deleteNetwork, '/api/v1/networks/payments%20partner', { method: 'DELETE', params: { name: 'payments%20partner' } });
    expect(gone.status).toBe(200);
    expect((await call(identity, '/api/v1/identity?addr=198.51.100.9')).body).toMatchObject({ network: 'internet' });
    expect((await call(deleteNetwork, '/api/v1/networks/nope', { method: 'DELETE', params: { name: 'nope' } })).status).toBe(404);
  });

  it('lists imports with totals', async () => {
    const r = await call(imports, '/api/v1/imports?kind=inventory-api');
    expect(r.body.totals).toEqual([{ kind: 'inventory-api', status: 'done', runs: 2, records: 2, rejected: 1, duplicates: 0 }]);
    expect(r.body.runs[0]).toMatchObject({ kind: 'inventory-api', path: 'api:cmdb', status: 'done' });
  });
});
