// Proposals from a discovery graph, on a small hand-made estate whose right answer is known:
// coarse where the graph says everyone, fine where it says role to role, never a rule for a
// scanner, management only from the jump host, every observed dependency allowed.
import { describe, expect, it } from 'vitest';
import type { AnalysisEdge, AnalysisResult, AnalysisWorkload, EdgeFlags } from '../analysis/types';
import { policyViewFromAnalysis } from './labels';
import { formatSelector, isLabels, selectorKey, type Selector } from './model';
import { portsAllow } from './ports';
import { buildProposals, type ProposeOptions } from './propose';
import { addToBucket, classifyEdges, spreadBundles, type Bucket } from './propose-classify';
import { externalSel, groupAt, proposeContext, safeGroup, scannersOf } from './propose-context';
import { cover } from './propose-cover';
import { ownerOf, ruleOf, sortRules } from './propose-rules';
import { cidrMatcher, matcherHas, selectsWorkload, selectWorkloads } from './selectors';

const T0 = new Date('2026-03-01T00:00:00Z');
const T1 = new Date('2026-03-29T00:00:00Z');

function wl(id: string, app: string, role: string, env: string | null, extra: Partial<AnalysisWorkload> = {}): AnalysisWorkload {
  return {
    id,
    name: id,
    kind: 'vm',
    addresses: [],
    labels: {},
    application: env ? `${app}@${env}` : app,
    applicationSource: 'inferred',
    confidence: 0.9,
    role,
    roleSource: 'inferred',
    roleConfidence: 0.9,
    environment: env,
    environmentSource: 'inferred',
    coreService: null,
    management: false,
    scanner: false,
    serves: [],
    degree: 0,
    ...extra,
  };
}

function edge(from: string, to: string, protocol: number, port: number, flags: Partial<EdgeFlags> = {}, flows = 100): AnalysisEdge {
  return {
    from,
    to,
    protocol,
    port,
    flows,
    bytes: flows * 1000,
    packets: flows * 4,
    bytesToServer: flows * 400,
    bytesToClient: flows * 600,
    firstSeen: new Date(T0.getTime() + 3_600_000),
    lastSeen: new Date(T1.getTime() - 3_600_000),
    activeHours: 400,
    activeDays: 28,
    periodicity: 'continuous',
    flags: { coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false, ...flags },
    service: flags.coreService ? 'dns' : null,
    failedFlows: 0,
    fromScanner: false,
    fromNetwork: null,
  };
}

function estate(opts: { scanner?: boolean } = {}): AnalysisResult {
  const business = [
    wl('shop-web-1', 'shop', 'web', 'prod'),
    wl('shop-web-2', 'shop', 'web', 'prod'),
    wl('shop-api-1', 'shop', 'api', 'prod'),
    wl('shop-db-1', 'shop', 'db', 'prod'),
    wl('crm-api-1', 'crm', 'api', 'prod'),
    wl('crm-db-1', 'crm', 'db', 'prod'),
    wl('shop-web-s', 'shop', 'web', 'staging'),
    wl('shop-api-s', 'shop', 'api', 'staging'),
    wl('shop-db-s', 'shop', 'db', 'staging'),
  ];
  const infra = [
    wl('dns-1', 'dns', 'core', null, { coreService: 'dns' }),
    wl('mon-1', 'monitoring', 'core', null, { coreService: 'monitoring' }),
    wl('jump-1', 'jump', 'management', null, { management: true }),
    ...(opts.scanner === false ? [] : [wl('scan-1', 'scanners', 'scanner', null, { scanner: true })]),
  ];
  const workloads = [...business, ...infra];
  const edges: AnalysisEdge[] = [
    edge('shop-web-1', 'shop-api-1', 6, 8080),
    edge('shop-web-2', 'shop-api-1', 6, 8080),
    edge('shop-api-1', 'shop-db-1', 6, 5432),
    edge('shop-api-1', 'shop-db-1', 6, 5433),
    edge('crm-api-1', 'crm-db-1', 6, 5432),
    edge('shop-web-s', 'shop-api-s', 6, 8080),
    edge('shop-api-s', 'shop-db-s', 6, 5432),
    edge('shop-api-1', 'crm-api-1', 6, 8080, { crossApplication: true }),
    edge('0.0.0.0/0', 'shop-web-1', 6, 443, { external: true }),
    edge('0.0.0.0/0', 'shop-web-2', 6, 443, { external: true }),
    edge('10.100.0.0/16', 'crm-api-1', 6, 443, { external: true }),
    edge('shop-api-1', '198.51.100.10', 6, 443, { external: true }),
    edge('shop-api-1', 'shop-db-1', 47, 0),
    ...[...business, infra[2]!].map((w) => edge(w.id, 'dns-1', 17, 53, { coreService: true })),
    ...business.map((w) => edge('mon-1', w.id, 6, 9100, { coreService: true })),
    ...business.map((w) => edge('jump-1', w.id, 6, 22, { management: true })),
  ];
  for (const e of edges) if (e.from === 'mon-1') e.service = 'monitoring';
  const scanners = [
    { id: '192.0.2.66', name: '192.0.2.66', workloadId: null, targets: 200, hosts: 9, ports: 60, failedRatio: 0.95, flows: 900, firstSeen: T0, lastSeen: T1, reason: 'unanswered' as const, scope: 'source' as const },
    ...(opts.scanner === false ? [] : [{ id: 'scan-1', name: 'scan-1', workloadId: 'scan-1', targets: 500, hosts: 12, ports: 60, failedRatio: 0.9, flows: 5000, firstSeen: T0, lastSeen: T1, reason: 'port-sweep' as const, scope: 'source' as const }]),
  ];
  return {
    window: { from: T0, to: T1 },
    periodicityWindow: { from: T0, to: T1 },
    coverage: {
      days: 28, daysWithData: 28, firstData: T0, lastData: T1, cycleDays: 30, shorterThanCycle: true, gapHours: 6, sources: [], convergence: [], converged: true,
      excluded: { scanners, ephemeralConversations: 0, ephemeralFlows: 0 }, notes: [],
    },
    workloads,
    applications: [],
    endpoints: [
      { id: '0.0.0.0/0', kind: 'internet', name: 'internet', networkKind: 'internet', addresses: 40 },
      { id: '10.100.0.0/16', kind: 'network', name: 'corp-users', networkKind: 'user', addresses: 12 },
      { id: '198.51.100.10', kind: 'address', name: '198.51.100.10', networkKind: null, addresses: 1 },
    ],
    edges,
    options: { useLabels: true, useNames: true, seed: 1 },
    clientNetworks: [],
    timings: {},
    computedAt: T1,
  };
}

/** the analysis' application ids are "app@env"; the view takes the name from the applications list */
function withApps(r: AnalysisResult): AnalysisResult {
  const apps = new Map<string, string[]>();
  for (const w of r.workloads) apps.set(w.application!, [...(apps.get(w.application!) ?? []), w.id]);
  r.applications = [...apps].map(([id, members]) => ({ id, name: id.split('@')[0]!, environment: id.split('@')[1] ?? null, members, source: 'inferred', confidence: 0.9, kind: 'application', roles: {}, evidence: [] }));
  return r;
}

function propose(opts: ProposeOptions = {}, e: { scanner?: boolean } = {}) {
  const r = withApps(estate(e));
  const view = policyViewFromAnalysis(r);
  return { r, view, set: buildProposals(r, view, opts) };
}

const key = (s: Selector) => formatSelector(s);

describe('proposals from the discovery graph', () => {
  it('allows every observed dependency except scans and protocols a rule cannot name', () => {
    for (const granularity of ['environment', 'application', 'role', 'workload'] as const) {
      const { r, view, set } = propose({ granularity });
      const has = (s: Selector, id: string) => (view.byId.has(id) ? selectsWorkload(s, view.byId.get(id)!) : !isLabels(s) && ('any' in s || matcherHas(cidrMatcher(s), id.replace(/\/\d+$/, '').replace(/^0\.0\.0\.0$/, '8.8.8.8').replace(/^10\.100\.0\.0$/, '10.100.1.1'))));
      const uncovered = r.edges.filter((e) => e.protocol !== 47 && !set.rules.some((x) => has(x.from, e.from) && has(x.to, e.to) && portsAllow(x.ports, e.protocol, e.port)));
      expect(uncovered.map((e) => `${granularity}: ${e.from} -> ${e.to} ${e.port}`)).toEqual([]);
    }
  });

  it('never selects a scanner as a source, and excepts scanning addresses from network rules', () => {
    const { view, set } = propose();
    for (const rule of set.rules) {
      expect(selectWorkloads(rule.from, view.workloads).map((w) => w.id), formatSelector(rule.from)).not.toContain('scan-1');
    }
    const internet = set.rules.find((x) => !isLabels(x.from) && 'cidr' in x.from && x.from.cidr === '0.0.0.0/0');
    expect(internet?.from).toMatchObject({ cidr: '0.0.0.0/0' });
    expect((internet!.from as { except: string[] }).except).toEqual(expect.arrayContaining(['10.0.0.0/8', '192.168.0.0/16', '192.0.2.66/32']));
    expect(set.scanners).toEqual({ workloads: ['scan-1'], addresses: ['192.0.2.66'] });
    expect(set.skipped.unsupportedProtocol).toEqual([{ from: 'shop-api-1', to: 'shop-db-1', protocol: 47, flows: 100 }]);
  });

  it('writes one rule for everyone to a core service when no scanner is among everyone, else the coarsest safe selectors', () => {
    // at a cover of one half: in this small estate "everyone" holds the services themselves, which are no clients
    const clean = propose({ coverThreshold: 0.5 }, { scanner: false }).set.rules.filter((x) => x.kind === 'core-service');
    expect(clean.map((x) => `${key(x.from)} -> ${key(x.to)} ${x.ports.map((p) => p.port).join()}`)).toEqual(['* -> app=dns,role=core 53']);
    const withScanner = propose({ coverThreshold: 0.5 }).set.rules.filter((x) => x.kind === 'core-service').map((x) => key(x.from)).sort();
    // the scanner has no environment: prod and staging are whole; the jump host gets its own
    expect(withScanner).toEqual(['env=prod', 'env=staging', 'role=management']);
  });

  it('lets management in only from the jump host, and agents be reached from their collector', () => {
    const { view, set } = propose();
    const mgmt = set.rules.filter((x) => x.kind === 'management');
    expect(mgmt.length).toBeGreaterThan(0);
    for (const m of mgmt) expect(selectWorkloads(m.from, view.workloads).map((w) => w.id)).toEqual(['jump-1']);
    expect(mgmt.map((m) => key(m.to)).sort()).toEqual(['env=prod', 'env=staging']);
    const agents = set.rules.filter((x) => x.kind === 'core-agent');
    for (const a of agents) expect(selectWorkloads(a.from, view.workloads).map((w) => w.id)).toEqual(['mon-1']);
  });

  it('is role to role by default, consolidating ports of the same selectors', () => {
    const { set } = propose();
    const intra = set.rules.filter((x) => x.kind === 'intra-app').map((x) => `${key(x.from)} -> ${key(x.to)} ${x.ports.map((p) => (p.endPort ? `${p.port}-${p.endPort}` : p.port)).join(',')}`);
    expect(intra).toContain('app=shop,role=web,env=prod -> app=shop,role=api,env=prod 8080');
    expect(intra).toContain('app=shop,role=api,env=prod -> app=shop,role=db,env=prod 5432-5433');
    const rule = set.rules.find((x) => key(x.to) === 'app=shop,role=db,env=prod')!;
    expect(rule.evidence).toMatchObject({ kind: 'intra-app', edges: 2, flows: 200, clients: 1, servers: 1, inferredLabels: ['app=shop', 'env=prod', 'role=api', 'role=db'] });
    expect(rule.intent).toBe('Inside shop (prod), the api tier calls the db tier on tcp/5432-5433.');
    expect(rule.application).toBe('shop');
    const cross = set.rules.find((x) => x.kind === 'cross-app')!;
    expect(`${key(cross.from)} -> ${key(cross.to)}`).toBe('app=shop,role=api,env=prod -> app=crm,role=api,env=prod');
    expect(cross.application).toBe('crm');
    const egress = set.rules.find((x) => x.kind === 'egress')!;
    expect(egress.to).toEqual({ cidr: '198.51.100.10/32' });
    expect(set.rules.find((x) => x.kind === 'ingress' && 'cidr' in x.from && x.from.cidr === '10.100.0.0/16')?.intent).toBe('corp-users (10.100.0.0/16) reach crm api (prod) on tcp/443.');
  });

  it('follows the granularity knob', () => {
    const app = propose({ granularity: 'application' }).set.rules;
    expect(app.find((x) => x.kind === 'intra-app' && key(x.from) === 'app=shop,env=prod')?.ports).toEqual([{ protocol: 'tcp', port: 5432, endPort: 5433 }, { protocol: 'tcp', port: 8080 }]);
    expect(app.some((x) => x.kind === 'cross-app' && key(x.from) === 'app=shop,env=prod' && key(x.to) === 'app=crm,env=prod')).toBe(true);
    const per = propose({ granularity: 'workload' }).set.rules;
    expect(per.some((x) => key(x.from) === 'workload=shop-web-2' && key(x.to) === 'workload=shop-api-1')).toBe(true);
    // core services stay one rule for everyone whatever the granularity
    expect(per.filter((x) => x.kind === 'core-service').length).toBe(propose().set.rules.filter((x) => x.kind === 'core-service').length);
    const env = propose({ granularity: 'environment' }).set.rules;
    expect(env.find((x) => x.kind === 'environment' && key(x.from) === 'env=prod' && key(x.to) === 'env=prod')?.ports.map((p) => p.port)).toEqual([5432, 8080]);
  });

  it('follows the port knob', () => {
    const ranges = propose({ ports: 'protocol' }).set.rules.find((x) => key(x.to) === 'app=shop,role=db,env=prod')!;
    expect(ranges.ports).toEqual([{ protocol: 'tcp' }]);
  });

  it('gives the same proposals the same keys, whatever the order of the graph', () => {
    const a = propose().set.rules.map((x) => x.key).sort();
    const r = withApps(estate());
    r.edges.reverse();
    const b = buildProposals(r, policyViewFromAnalysis(r)).rules.map((x) => x.key).sort();
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
    expect(new Set(propose().set.rules.map((x) => `${selectorKey(x.from)}|${selectorKey(x.to)}`)).size).toBe(a.length);
  });
});

describe('proposal steps', () => {
  const context = (opts: ProposeOptions = {}, e: { scanner?: boolean } = {}) => {
    const r = withApps(estate(e));
    return proposeContext(r, policyViewFromAnalysis(r), opts);
  };

  it('scannersOf: scanner workloads and outside scanning addresses apart', () => {
    const s = scannersOf(estate());
    expect([...s.ids]).toEqual(['scan-1']);
    expect(s.addrs).toEqual(['192.0.2.66']);
  });

  it('groupAt falls back to finer selectors; safeGroup refuses one that selects a scanner', () => {
    const ctx = context();
    expect(groupAt(ctx, 'shop-api-1', 'environment')).toEqual({ labels: { env: 'prod' } });
    expect(groupAt(ctx, 'shop-api-1', 'application')).toEqual({ labels: { app: 'shop', env: 'prod' } });
    expect(groupAt(ctx, 'shop-api-1', 'role')).toEqual({ labels: { app: 'shop', env: 'prod', role: 'api' } });
    expect(formatSelector(groupAt(ctx, 'shop-api-1', 'workload'))).toContain('shop-api-1');
    // the scanner has no environment: a selector by app 'scanners' selects it, so it falls back to the workload
    expect(formatSelector(safeGroup(ctx, 'scan-1', 'application'))).toContain('scan-1');
  });

  it('externalSel excepts scanning addresses inside a network and the special ranges from the internet', () => {
    expect(externalSel(['192.0.2.66'], '192.0.2.0/24')).toEqual({ cidr: '192.0.2.0/24', except: ['192.0.2.66/32'] });
    expect(externalSel([], '198.51.100.10')).toEqual({ cidr: '198.51.100.10/32' });
    expect((externalSel([], '0.0.0.0/0') as { except: string[] }).except.length).toBeGreaterThan(0);
  });

  it('cover takes the coarsest selector that is mostly targets, and the workload alone for the rest', () => {
    const ctx = context({}, { scanner: false });
    const prod = ['shop-web-1', 'shop-web-2', 'shop-api-1', 'shop-db-1', 'crm-api-1', 'crm-db-1'];
    expect(cover(ctx, new Set(prod), true).map((c) => c.selector)).toEqual([{ labels: { env: 'prod' } }]);
    const some = cover(ctx, new Set(['shop-api-1', 'crm-db-1']), true);
    expect(some.map((c) => c.members)).toEqual([['crm-db-1'], ['shop-api-1']]);
  });

  it('classifyEdges counts what it skips and bundles core-service, agent and management edges', () => {
    const ctx = context();
    const { buckets, bundles, skipped } = classifyEdges(ctx);
    expect(skipped.unsupportedProtocol.map((u) => u.protocol)).toEqual([47]);
    expect(skipped.transit).toBe(0);
    expect(new Set([...bundles.values()].map((b) => b.kind))).toEqual(new Set(['core-service', 'core-agent', 'management']));
    expect([...buckets.values()].some((b) => b.kind === 'core-service')).toBe(false);
    spreadBundles(ctx, buckets, bundles);
    const dns = [...buckets.values()].filter((b) => b.kind === 'core-service');
    expect(dns.reduce((n, b) => n + b.edges.length, 0)).toBe(10);
  });

  it('ruleOf names the provider as owner, sortRules puts core services first', () => {
    const ctx = context();
    const buckets = new Map<string, Bucket>();
    const e = ctx.result.edges.find((x) => x.from === 'shop-api-1' && x.to === 'crm-api-1')!;
    addToBucket(buckets, 'cross-app', groupAt(ctx, e.from, 'role'), groupAt(ctx, e.to, 'role'), { protocol: 'tcp', port: 8080 }, e, e.from, e.to);
    const b = [...buckets.values()][0]!;
    expect(ownerOf(ctx, b)).toBe('crm');
    const rule = ruleOf(ctx, b);
    expect(rule).toMatchObject({ kind: 'cross-app', application: 'crm', owner: 'crm' });
    expect(rule.evidence).toMatchObject({ edges: 1, clients: 1, servers: 1 });
    const core = { ...rule, kind: 'core-service' as const, application: 'zzz' };
    expect(sortRules([rule, core]).map((r) => r.kind)).toEqual(['core-service', 'cross-app']);
  });
});
