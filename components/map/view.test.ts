import { describe, expect, it } from 'vitest';
import { decodeMap, encodeMap, type MapData, type MapEdge, type MapWorkload } from '../data/map';
import { computeLayout, SIZES } from './layout';
import { buildView, DEFAULT_FILTERS, indexMap, parsePortFilter, searchMap, type ViewOptions } from './view';

const flags = (f: Partial<MapEdge['flags']> = {}) => ({ coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false, ...f });

function wl(id: string, app: string, role: string, env = 'prod', extra: Partial<MapWorkload> = {}): MapWorkload {
  return {
    id,
    name: `${id}-host`,
    kind: 'vm',
    addresses: [`10.0.0.${id.length}`],
    labels: {},
    app,
    appSource: 'inferred',
    confidence: 0.9,
    role,
    roleSource: 'inferred',
    roleConfidence: 0.8,
    env,
    coreService: null,
    management: false,
    scanner: false,
    serves: [],
    degree: 1,
    ...extra,
  };
}

function edge(from: string, to: string, port: number, f: Partial<MapEdge['flags']> = {}, protocol = 6): MapEdge {
  return { from, to, protocol, port, flows: 10, bytes: 1000, firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-02T00:00:00.000Z', activeDays: 2, periodicity: 'daily', flags: flags(f), service: null, failedFlows: 0 };
}

/** shop (web, api, db) in prod, pay (api, db) in prod, shop in dev, DNS as a shared service, the internet. */
function fixture(): MapData {
  const workloads = [
    wl('web1', 'shop@prod', 'web'),
    wl('web2', 'shop@prod', 'web'),
    wl('api1', 'shop@prod', 'api', 'prod', { labels: { team: 'red' } }),
    wl('db1', 'shop@prod', 'db'),
    wl('papi', 'pay@prod', 'api'),
    wl('pdb', 'pay@prod', 'db'),
    wl('dweb', 'shop@dev', 'web', 'dev'),
    wl('dns1', 'dns', 'core', 'prod', { coreService: 'dns' }),
    wl('jump', 'management', 'management', 'prod', { management: true }),
  ];
  return {
    status: 'ready',
    window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-31T00:00:00.000Z' },
    computedAt: '2026-01-31T00:00:00.000Z',
    analysisMs: 1,
    coverage: { days: 30, daysWithData: 30, firstData: null, lastData: null, shorterThanCycle: false, converged: true, notes: [], scanners: 0 },
    workloads,
    applications: [
      { id: 'shop@prod', name: 'shop', env: 'prod', kind: 'application', source: 'inferred', confidence: 0.9, members: 4, roles: { web: 2, api: 1, db: 1 }, enforcement: 'enforced' },
      { id: 'pay@prod', name: 'pay', env: 'prod', kind: 'application', source: 'label', confidence: 1, members: 2, roles: { api: 1, db: 1 }, enforcement: 'test' },
      { id: 'shop@dev', name: 'shop', env: 'dev', kind: 'application', source: 'inferred', confidence: 0.9, members: 1, roles: { web: 1 }, enforcement: 'visibility' },
      { id: 'dns', name: 'dns', env: null, kind: 'core-service', source: 'inferred', confidence: 0.8, members: 1, roles: { core: 1 }, enforcement: 'visibility' },
      { id: 'management', name: 'management', env: null, kind: 'management', source: 'inferred', confidence: 0.8, members: 1, roles: { management: 1 }, enforcement: 'visibility' },
    ],
    endpoints: [{ id: '0.0.0.0/0', kind: 'internet', name: 'internet', networkKind: 'internet', addresses: 5 }],
    edges: [
      edge('0.0.0.0/0', 'web1', 443, { external: true }),
      edge('0.0.0.0/0', 'web2', 443, { external: true }),
      edge('web1', 'api1', 8080),
      edge('web2', 'api1', 8080),
      edge('api1', 'db1', 5432),
      edge('api1', 'papi', 8443, { crossApplication: true }),
      edge('papi', 'pdb', 5432),
      edge('api1', 'dns1', 53, { coreService: true }, 17),
      edge('jump', 'db1', 22, { management: true }),
    ],
  };
}

const opts = (o: Omit<Partial<ViewOptions>, 'filters'> & { filters?: Partial<ViewOptions['filters']> } = {}): ViewOptions => ({
  level: o.level ?? 'workload',
  open: o.open ?? [],
  closed: o.closed ?? [],
  filters: { ...DEFAULT_FILTERS, ...o.filters },
});

describe('buildView', () => {
  const ix = indexMap(fixture());

  it('nests workloads in roles, applications and environments at workload level', () => {
    const v = buildView(ix, opts());
    const byId = new Map(v.nodes.map((n) => [n.id, n]));
    expect(byId.get('w:web1')?.parent).toBe('role:shop@prod/web');
    expect(byId.get('role:shop@prod/web')?.parent).toBe('app:shop@prod');
    expect(byId.get('app:shop@prod')?.parent).toBe('env:prod');
    expect(byId.get('env:prod')?.parent).toBeNull();
    expect(byId.get('ep:0.0.0.0/0')?.parent).toBe('zone:external');
    // parents come before their children (Cytoscape needs them first)
    const order = v.nodes.map((n) => n.id);
    for (const n of v.nodes) if (n.parent) expect(order.indexOf(n.parent)).toBeLessThan(order.indexOf(n.id));
    expect(v.edges.map((e) => e.id).sort()).toEqual(
      ['e:ep:0.0.0.0/0->w:web1', 'e:ep:0.0.0.0/0->w:web2', 'e:w:web1->w:api1', 'e:w:web2->w:api1', 'e:w:api1->w:db1', 'e:w:api1->w:papi', 'e:w:papi->w:pdb'].sort(),
    );
  });

  it('hides shared services and management paths by default and counts what it hid', () => {
    const v = buildView(ix, opts());
    expect(v.nodes.some((n) => n.id === 'zone:core' || n.id === 'w:dns1')).toBe(false);
    expect(v.nodes.some((n) => n.id === 'zone:management')).toBe(false);
    expect(v.hidden).toMatchObject({ core: 1, management: 1 });
    const all = buildView(ix, opts({ filters: { core: true, management: true } }));
    expect(all.nodes.find((n) => n.id === 'w:dns1')?.parent).toBe('app:dns');
    expect(all.nodes.find((n) => n.id === 'app:dns')?.parent).toBe('zone:core');
    expect(all.edges.some((e) => e.id === 'e:w:api1->w:dns1')).toBe(true);
    expect(all.edges.some((e) => e.id === 'e:w:jump->w:db1')).toBe(true);
  });

  it('folds edges between collapsed applications, merging ports and counters', () => {
    const v = buildView(ix, opts({ level: 'application' }));
    const e = v.edges.find((x) => x.id === 'e:app:shop@prod->app:pay@prod');
    expect(e).toBeDefined();
    expect(e!.ports).toEqual(['tcp/8443']);
    const internet = v.edges.find((x) => x.id === 'e:ep:0.0.0.0/0->app:shop@prod')!;
    expect(internet.flows).toBe(20);
    expect(internet.members).toHaveLength(2);
    // web -> api and api -> db happen inside shop: folded into the node, not drawn
    expect(v.internal['app:shop@prod']).toBe(3);
    const shop = v.nodes.find((n) => n.id === 'app:shop@prod')!;
    expect(shop).toMatchObject({ collapsed: true, workloads: 4, label: 'shop (4)', enforcement: 'enforced' });
    // each application node carries its own environment's state; nodes that are no application none
    expect(v.nodes.find((n) => n.id === 'app:pay@prod')?.enforcement).toBe('test');
    expect(v.nodes.find((n) => n.id === 'app:shop@dev')?.enforcement).toBe('visibility');
    expect(v.nodes.filter((n) => n.kind !== 'app').map((n) => n.enforcement)).toEqual(v.nodes.filter((n) => n.kind !== 'app').map(() => null));
    expect(v.nodes.some((n) => n.kind === 'workload')).toBe(false);
  });

  it('expands one application beyond the level and collapses one below it', () => {
    const v = buildView(ix, opts({ level: 'application', open: ['app:shop@prod'] }));
    expect(v.nodes.find((n) => n.id === 'role:shop@prod/web')).toMatchObject({ collapsed: true, workloads: 2 });
    expect(v.edges.some((e) => e.id === 'e:role:shop@prod/web->role:shop@prod/api')).toBe(true);
    const w = buildView(ix, opts({ level: 'workload', closed: ['app:pay@prod'] }));
    expect(w.nodes.find((n) => n.id === 'app:pay@prod')?.collapsed).toBe(true);
    expect(w.edges.some((e) => e.id === 'e:w:api1->app:pay@prod')).toBe(true);
  });

  it('collapses whole environments at environment level', () => {
    const v = buildView(ix, opts({ level: 'environment' }));
    expect(v.nodes.map((n) => n.id).sort()).toEqual(['env:dev', 'env:prod', 'zone:external']);
    expect(v.edges.map((e) => e.id)).toEqual(['e:zone:external->env:prod']);
  });

  it('focuses on an application: its workloads and their direct neighbours only', () => {
    const v = buildView(ix, opts({ filters: { app: ['pay'] } }));
    const ids = v.nodes.filter((n) => !n.group).map((n) => n.id).sort();
    expect(ids).toEqual(['w:api1', 'w:papi', 'w:pdb']);
    expect(v.nodes.find((n) => n.id === 'w:api1')?.focus).toBe(false);
    expect(v.nodes.find((n) => n.id === 'w:papi')?.focus).toBe(true);
  });

  it('focuses on one workload: it and what it talks to directly, nothing else', () => {
    const v = buildView(ix, opts({ filters: { around: ['api1'] } }));
    expect(v.nodes.filter((n) => !n.group).map((n) => n.id).sort()).toEqual(['w:api1', 'w:db1', 'w:papi', 'w:web1', 'w:web2']);
    expect(v.nodes.filter((n) => n.focus && !n.group).map((n) => n.id)).toEqual(['w:api1']);
    expect(v.edges.map((e) => e.id).sort()).toEqual(['e:w:api1->w:db1', 'e:w:api1->w:papi', 'e:w:web1->w:api1', 'e:w:web2->w:api1']);
    // with an application filter too: both must hold
    expect(buildView(ix, opts({ filters: { around: ['api1'], app: ['pay'] } })).nodes.filter((n) => !n.group)).toEqual([]);
  });

  it('filters by port and protocol, and by label', () => {
    const v = buildView(ix, opts({ filters: { ports: ['5432'] } }));
    expect(v.edges.map((e) => e.id).sort()).toEqual(['e:w:api1->w:db1', 'e:w:papi->w:pdb']);
    expect(v.nodes.some((n) => n.id === 'w:web1')).toBe(false);
    const udp = buildView(ix, opts({ filters: { protocols: ['udp'], core: true } }));
    expect(udp.edges.map((e) => e.id)).toEqual(['e:w:api1->w:dns1']);
    const red = buildView(ix, opts({ filters: { labels: ['team=red'] } }));
    expect(red.nodes.filter((n) => n.focus && n.kind === 'workload').map((n) => n.id)).toEqual(['w:api1']);
  });

  it('parses port filters', () => {
    expect(parsePortFilter('tcp/443')).toEqual({ protocol: 6, from: 443, to: 443 });
    expect(parsePortFilter('8000-8100')).toEqual({ protocol: null, from: 8000, to: 8100 });
    expect(parsePortFilter('udp')).toEqual({ protocol: 17, from: 0, to: 65535 });
    expect(parsePortFilter('tcp/99999')).toBeNull();
    expect(parsePortFilter('nonsense/1')).toBeNull();
  });

  it('searches workloads by name and address, applications by name', () => {
    expect(searchMap(ix, 'pay')[0]).toMatchObject({ id: 'app:pay@prod' });
    expect(searchMap(ix, 'papi-host')[0]).toMatchObject({ id: 'w:papi' });
    expect(searchMap(ix, '10.0.0.3').map((h) => h.id)).toContain('w:pdb');
    expect(searchMap(ix, '')).toEqual([]);
  });
});

describe('computeLayout', () => {
  const ix = indexMap(fixture());

  it('places every leaf, without two leaves in the same spot, roles in tier order', () => {
    const v = buildView(ix, opts({ filters: { core: true, management: true } }));
    const { positions, size } = computeLayout(v);
    const leaves = v.nodes.filter((n) => !n.group || n.collapsed);
    expect(Object.keys(positions).sort()).toEqual(leaves.map((n) => n.id).sort());
    const spots = new Set(Object.values(positions).map((p) => `${Math.round(p.x)},${Math.round(p.y)}`));
    expect(spots.size).toBe(leaves.length);
    // inside shop: web left of api left of db
    expect(positions['w:web1']!.x).toBeLessThan(positions['w:api1']!.x);
    expect(positions['w:api1']!.x).toBeLessThan(positions['w:db1']!.x);
    // web1 and web2 share a column
    expect(positions['w:web1']!.x).toBe(positions['w:web2']!.x);
    // external networks left of everything else
    expect(positions['ep:0.0.0.0/0']!.x).toBeLessThan(Math.min(...Object.entries(positions).filter(([k]) => k !== 'ep:0.0.0.0/0').map(([, p]) => p.x)));
    expect(size.w).toBeGreaterThan(0);
  });

  it('lays out 5,000 workloads in a fraction of a second', () => {
    const big = fixture();
    big.workloads = [];
    big.applications = [];
    big.edges = [];
    for (let a = 0; a < 250; a++) {
      const env = ['prod', 'staging', 'dev'][a % 3]!;
      big.applications.push({ id: `app${a}@${env}`, name: `app${a}`, env, kind: 'application', source: 'inferred', confidence: 0.9, members: 20, roles: {}, enforcement: 'visibility' });
      for (let i = 0; i < 20; i++) big.workloads.push(wl(`a${a}w${i}`, `app${a}@${env}`, ['web', 'api', 'worker', 'db'][i % 4]!, env));
    }
    for (let i = 0; i < 10_000; i++) big.edges.push(edge(`a${i % 250}w${i % 20}`, `a${(i * 7) % 250}w${(i * 3) % 20}`, 443));
    const bix = indexMap(big);
    const t0 = performance.now();
    const v = buildView(bix, opts());
    const l = computeLayout(v);
    const ms = performance.now() - t0;
    expect(Object.keys(l.positions)).toHaveLength(5000);
    // generous: this is a guard against accidental quadratic work, not a benchmark
    expect(ms).toBeLessThan(2000);
    expect(l.size.w / l.size.h).toBeGreaterThan(0.5);
    expect(l.size.w / l.size.h).toBeLessThan(4);
    expect(SIZES.rowsPerColumn).toBeGreaterThan(0);
  });
});

describe('the map on the wire', () => {
  it('decodes to exactly what was encoded, smaller', () => {
    const data = fixture();
    data.edges[7]!.service = 'dns';
    data.edges[0]!.failedFlows = 3;
    const wire = encodeMap(data);
    expect(wire.edges.rows).toHaveLength(data.edges.length * 13);
    expect(decodeMap(JSON.parse(JSON.stringify(wire)))).toEqual(data);
    expect(JSON.stringify(wire).length).toBeLessThan(JSON.stringify(data).length);
  });
});
