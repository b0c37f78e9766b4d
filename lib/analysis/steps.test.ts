// The steps of analyze() one by one, on hand-made inputs (analyze.test.ts runs them together
// against a real store).
import { describe, expect, it } from 'vitest';
import { applicationsOf, endpointsOf, flagCrossEdges } from './assemble';
import type { EdgeRow } from './edges';
import { bitsOf, edgesFromRows } from './edge-rows';
import { addUnseenWorkloads, type InventoryWorkload } from './inventory';
import { joinSatellites, labelsOutside, type Assigned } from './membership';
import type { Hub } from './services';
import { confirmHubs, flagServiceEdges, hubName, scannerName, scannersFrom, stationName, structuralEdges } from './specials';
import type { AnalysisEdge, AnalysisWorkload } from './types';
import { DAY_MS } from './window';

const DAY0 = Date.UTC(2026, 0, 1);

function row(ckey: string, skey: string, extra: Partial<EdgeRow> = {}): EdgeRow {
  return {
    ckey, skey, protocol: 6, port: 443, flows: 10, bytes_c2s: 100, bytes_s2c: 900, packets: 20, failed_flows: 1,
    first_seen: '2026-01-03 10:00:00', last_seen: '2026-01-05 11:00:00', active_hours: 3, days: [0, 2, 4], hods: 0b1010, c_addresses: 1, s_addresses: 1, from_sweeper: 0,
    ...extra,
  };
}

function edge(from: string, to: string, extra: Partial<AnalysisEdge> = {}): AnalysisEdge {
  return {
    from, to, protocol: 6, port: 443, flows: 1, bytes: 1, packets: 1, bytesToServer: 1, bytesToClient: 0, firstSeen: new Date(DAY0), lastSeen: new Date(DAY0), activeHours: 1, activeDays: 1,
    periodicity: 'continuous', flags: { coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false }, service: null, failedFlows: 0, fromScanner: false, fromNetwork: null,
    ...extra,
  };
}

const inv = (id: string): InventoryWorkload => ({ id, name: id, kind: 'vm', labels: {}, decided: new Set(), addresses: [], previousApp: null });
const hub = (id: string, peers: string[], kind: Hub['kind'] = 'dns'): Hub => ({ id, direction: 'in', ports: new Set(['17/53']), peers: new Set(peers), kind });
const assigned = (name: string, env: string | null, extra: Partial<Assigned> = {}): Assigned => ({ name, source: 'inferred', confidence: 0.9, kind: 'application', env, envSource: 'inferred', ...extra });

describe('edge rows', () => {
  it('resolves workloads and counts outside endpoints by their widest address count', () => {
    const g = edgesFromRows([row('w:a', 'w:b'), row('10.0.0.0/8', 'w:b', { c_addresses: 7 }), row('10.0.0.0/8', 'w:a', { c_addresses: 3 })], DAY0, { from: new Date(DAY0 + 2 * DAY_MS) });
    expect(g.edges.map((e) => [e.from, e.to])).toEqual([['a', 'b'], ['10.0.0.0/8', 'b'], ['10.0.0.0/8', 'a']]);
    expect([...g.endpointAddrs]).toEqual([['10.0.0.0/8', 7]]);
    // days 2 and 4 are in a window starting on day 2; first ever is day 0
    expect(g.edges[0]).toMatchObject({ bytes: 1000, activeDays: 2, firstSeen: new Date('2026-01-03T10:00:00Z') });
    expect(g.firstEver[0]).toEqual(new Date(DAY0));
    expect(bitsOf(0b1010)).toEqual([1, 3]);
  });

  it('adds edge ends that are neither inventory nor outside endpoints as unknown workloads', () => {
    const inventory = new Map([['a', inv('a')]]);
    addUnseenWorkloads(inventory, [edge('a', 'gone'), edge('10.0.0.0/8', 'a')], new Map([['10.0.0.0/8', 4]]));
    expect([...inventory.keys()]).toEqual(['a', 'gone']);
    expect(inventory.get('gone')).toMatchObject({ kind: 'unknown', name: 'gone' });
  });
});

describe('special workloads', () => {
  it('a sweeping hub or station keeps its rules: only its probes are set apart', () => {
    const cand = { hubs: new Map([['mon', hub('mon', [])]]), stations: new Set<string>() };
    const base = { flows: 1, first_seen: '2026-01-01 00:00:00', last_seen: '2026-01-01 01:00:00', targets: 10, failed_targets: 5, hosts: 10, ports: 1, reason: 'ping-sweep' as const };
    const s = scannersFrom([{ ckey: 'w:mon', ...base }, { ckey: 'w:scan', ...base }, { ckey: '192.0.2.9', ...base }], new Map([['scan', { ...inv('scan'), name: 'scan-host' }]]), cand);
    expect(s.map((x) => [x.id, x.name, x.workloadId, x.scope, x.failedRatio])).toEqual([
      ['mon', 'mon', 'mon', 'probes', 0.5],
      ['scan', 'scan-host', 'scan', 'source', 0.5],
      ['192.0.2.9', '192.0.2.9', null, 'source', 0.5],
    ]);
    expect(scannerName(s, 'scan')).toBe('network-discovery');
  });

  it('confirms a candidate whose peers span applications, not one inside one application', () => {
    const community = new Map([['a1', 0], ['a2', 0], ['b1', 1], ['c1', 2], ['x1', 5], ['x2', 5], ['x3', 5], ['x4', 5]]);
    const hubs = confirmHubs(new Map([['dns', hub('dns', ['a1', 'b1', 'c1'])], ['db', hub('db', ['x1', 'x2', 'x3', 'x4'])]]), community, new Set());
    expect([...hubs.keys()]).toEqual(['dns']);
    // a shared service of no known kind that keeps a data store of its own is its application's tier
    const api = hub('api', ['a1', 'b1', 'c1'], 'shared');
    expect(confirmHubs(new Map([['api', api]]), community, new Set(['api'])).size).toBe(0);
    expect(confirmHubs(new Map([['api', api]]), community, new Set()).size).toBe(1);
  });

  it('flags core-service edges on the hub ports, management and external edges', () => {
    const edges = [edge('a', 'dns', { protocol: 17, port: 53 }), edge('a', 'dns', { port: 443 }), edge('jump', 'a', { port: 22 }), edge('a', '8.8.8.8')];
    flagServiceEdges(edges, new Map([['dns', hub('dns', [])]]), (e) => e.port === 22, (id) => id !== '8.8.8.8');
    expect(edges.map((e) => [e.flags.coreService, e.service, e.flags.management, e.flags.external])).toEqual([
      [true, 'dns', false, false],
      [false, null, false, false],
      [false, null, true, false],
      [false, null, false, true],
    ]);
  });

  it('keeps structural edges: workload to workload, no management, one environment, nothing excluded', () => {
    const envs = new Map([['a', { env: 'prod', source: 'inferred' as const, confidence: 1 }], ['b', { env: 'production', source: 'inferred' as const, confidence: 1 }], ['c', { env: 'dev', source: 'inferred' as const, confidence: 1 }]]);
    const edges = [edge('a', 'b'), edge('a', 'c'), edge('a', 'x'), edge('a', 'b', { port: 22 }), edge('d', 'a')];
    const kept = structuralEdges(edges, (id) => id !== 'x', (e) => e.port === 22, envs, (id) => id === 'd');
    expect(kept).toEqual([edges[0]]);
  });

  it('names applications of behaviour: shared ports, hypervisor managers, automation', () => {
    expect(hubName({ ...hub('h', []), kind: 'shared', ports: new Set(['6/8140', '6/25']) })).toBe('shared-tcp-25-tcp-8140');
    const mgmt = { coreService: false, management: true, external: false, crossApplication: false, crossEnvironment: false };
    expect(stationName('v', [edge('v', 'a', { port: 902, flags: mgmt }), edge('v', 'b', { port: 902, flags: mgmt })])).toBe('virtualization');
    expect(stationName('j', [edge('j', 'a', { port: 22, flags: mgmt, periodicity: 'daily' })])).toBe('automation');
    expect(stationName('j', [edge('j', 'a', { port: 22, flags: mgmt })])).toBe('management');
  });
});

describe('membership and assembly', () => {
  it('joins a workload alone in its application to the one application it talks to', () => {
    const a = new Map([['w1', assigned('shop', 'prod')], ['w2', assigned('shop', 'prod')], ['lone', assigned('lone', null)], ['labelled', assigned('mine', null, { source: 'label' })]]);
    joinSatellites(['w1', 'w2', 'lone', 'labelled'], [edge('lone', 'w1'), edge('labelled', 'w2')], new Set(), () => false, a);
    expect(a.get('lone')).toMatchObject({ name: 'shop', env: 'prod', confidence: 0.7, envSource: 'inferred' });
    expect(a.get('labelled')!.name).toBe('mine');
    expect(labelsOutside(['x', null, 'x', 'y'])).toEqual(new Map([['x', 2], ['y', 1]]));
  });

  it('flags edges between applications and environments, never external ones', () => {
    const a = new Map([['p', assigned('shop', 'prod')], ['q', assigned('pay', 'production')], ['d', assigned('shop', 'dev')]]);
    const appId = (id: string) => `${a.get(id)!.name}@${a.get(id)!.env}`;
    const edges = [edge('p', 'q'), edge('p', 'd'), edge('p', 'x', { flags: { ...edge('a', 'b').flags, external: true } })];
    flagCrossEdges(edges, { assigned: a, appId });
    expect(edges.map((e) => [e.flags.crossApplication, e.flags.crossEnvironment])).toEqual([[true, false], [true, true], [false, false]]);
  });

  it('builds applications from workloads and endpoints by kind, both sorted by id', () => {
    const w = (id: string, app: string, confidence: number, role = 'api'): AnalysisWorkload => ({
      id, name: id, kind: 'vm', addresses: [], labels: {}, application: app, applicationSource: 'inferred', confidence, role, roleSource: 'inferred', roleConfidence: 1, environment: 'prod', environmentSource: 'inferred', coreService: null, management: false, scanner: false, serves: [], degree: 1,
    });
    const a = new Map([['z1', assigned('zed', 'prod', { source: 'label' })], ['z2', assigned('zed', 'prod')], ['b1', assigned('bee', 'prod', { source: 'label' })]]);
    const apps = applicationsOf([w('z1', 'zed@prod', 0.5), w('z2', 'zed@prod', 1, 'db'), w('b1', 'bee@prod', 1)], { assigned: a, appEvidence: new Map([['zed@prod', ['structure']], ['bee@prod', ['label']]]) }, {} as never);
    expect(apps.map((x) => [x.id, x.members, x.source, x.confidence, x.roles])).toEqual([
      ['bee@prod', ['b1'], 'label', 1, { api: 1 }],
      ['zed@prod', ['z1', 'z2'], 'inferred', 0.75, { api: 1, db: 1 }],
    ]);
    const eps = endpointsOf(new Map([['::/0', 9], ['10.0.0.0/8', 3], ['192.0.2.1', 1]]), new Map([['10.0.0.0/8', { name: 'corp', kind: 'user' }]]));
    expect(eps.map((e) => [e.id, e.kind, e.name])).toEqual([['10.0.0.0/8', 'network', 'corp'], ['192.0.2.1', 'address', '192.0.2.1'], ['::/0', 'internet', 'internet']]);
  });
});
