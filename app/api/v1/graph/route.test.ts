// The discovery read routes as a viewer's API token uses them: the analysis JSON of a window
// (the same contract as `bulkhead analyze --json`) and the graph at each level.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisJsonSchema } from '../../../../lib/analysis/json';
import { createApiToken } from '../../../../lib/auth/tokens';
import { createUser } from '../../../../lib/auth/users';
import { loadDemo } from '../../../../lib/demo/load';
import { openRuntime, shareRuntime, type Runtime } from '../../../../lib/runtime';
import { testConfig } from '../../../../test/support';
import { GET as analysis } from '../analysis/route';
import { GET as graph } from './route';

let rt: Runtime;
let token: string;

type Handler = (req: NextRequest, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(h: Handler, path: string): Promise<{ status: number; body: any }> {
  // the analysis of a window is computed once and shared; until it is ready the route says 202
  for (let i = 0; i < 60; i++) {
    const req = new NextRequest(new URL(path, 'http://127.0.0.1:3000'), { headers: { authorization: `Bearer ${token}`, 'x-bulkhead-peer': '127.0.0.1' } });
    const res = await h(req, { params: Promise.resolve({}) });
    const body = await res.json();
    if (res.status !== 202) return { status: res.status, body };
    expect(body).toMatchObject({ status: 'running' });
  }
  throw new Error('the analysis never finished');
}

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  shareRuntime(rt);
  await loadDemo({ db: rt.db.prisma, store: rt.store }, { workloads: 60, days: 20, seed: 9 });
  const u = await createUser(rt.db.prisma, { email: 'viewer@graph.test', role: 'viewer' });
  ({ token } = await createApiToken(rt.db.prisma, { userId: u.id, name: 'graph test', role: 'viewer', maxRole: 'viewer' }));
});

afterAll(async () => {
  await rt?.close();
});

describe('discovery routes', () => {
  it('GET /api/v1/analysis answers the documented JSON', async () => {
    const r = await call(analysis, '/api/v1/analysis?window=7d');
    expect(r.status).toBe(200);
    const j = analysisJsonSchema.parse(r.body);
    expect(j.coverage.days).toBe(7);
    expect(j.edges.length).toBeGreaterThan(50);
    expect(j.applications.some((a) => a.kind === 'core-service' && a.name === 'dns')).toBe(true);
  });

  it('GET /api/v1/graph folds the graph to each level', async () => {
    const apps = await call(graph, '/api/v1/graph?window=7d&level=application');
    expect(apps.status).toBe(200);
    expect(apps.body.level).toBe('application');
    expect(apps.body.nodes.some((n: { kind: string }) => n.kind === 'application')).toBe(true);
    expect(apps.body.edges[0]).toMatchObject({ ports: expect.any(Array), firstSeen: expect.stringMatching(/Z$/) });
    const envs = await call(graph, '/api/v1/graph?window=7d&level=environment&hideCore=1');
    expect(envs.body.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining(['env:prod']));
    expect(envs.body.edges.every((e: { flags: { coreService: boolean } }) => !e.flags.coreService)).toBe(true);
    const one = apps.body.nodes.find((n: { kind: string; workloads: number }) => n.kind === 'application' && n.workloads > 2);
    const only = await call(graph, `/api/v1/graph?window=7d&level=workload&application=${encodeURIComponent(one.id)}`);
    expect(only.body.edges.length).toBeGreaterThan(0);
    expect(only.body.nodes.length).toBeLessThan(apps.body.nodes.length + 200);
    expect((await call(graph, '/api/v1/graph?level=galaxy')).status).toBe(400);
  });
});
