// Simulation in ClickHouse on hand-made traffic whose every verdict is known: labels, CIDRs with
// exceptions, ports, ICMP, identity by time (an address that changed hands), unanswered scans;
// rule hits, coverage, per-application figures; a baseline file gives the same answer; monitor
// mode; blast radius on the same estate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import type { FlowRecord } from '../flow/record';
import { syncBindings } from '../identity/bindings';
import { openRuntime, type Runtime } from '../runtime';
import { buildBaseline, serializeBaseline } from '../export/baseline';
import { blastRadius } from './blast';
import { loadPolicyView } from './labels';
import { parsePortsText, type Selector } from './model';
import { monitorPolicy } from './monitor';
import { simulate } from './service';
import { simulatePolicy, type SimRule } from './simulate';
import { approveRules, createRules, type Who } from './workflow';

const H = 3_600_000;
const T = Date.parse('2026-03-02T00:00:00Z');
const HANDOVER = T + 48 * H;
const END = T + 96 * H;

let rt: Runtime;

const RULES: Array<SimRule & { intent: string }> = [
  { id: 'r1', from: { labels: { app: 'shop', role: 'web' } }, to: { labels: { app: 'shop', role: 'api' } }, ports: parsePortsText('tcp/8080'), intent: 'web to api' },
  { id: 'r2', from: { labels: { app: 'shop', role: 'api' } }, to: { labels: { app: 'shop', role: 'db' } }, ports: parsePortsText('tcp/5432'), intent: 'api to db' },
  { id: 'r3', from: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.0.2.66/32'] }, to: { labels: { app: 'shop', role: 'web' } }, ports: parsePortsText('tcp/443'), intent: 'internet to web' },
  { id: 'r4', from: { labels: {} }, to: { labels: { app: 'dns' } }, ports: parsePortsText('udp/53'), intent: 'everyone to DNS' },
  { id: 'r5', from: { cidr: '10.0.0.4/32' }, to: { labels: {} }, ports: parsePortsText('icmp'), intent: 'pings from the monitoring box' },
  { id: 'r6', from: { labels: { app: 'nothing' } }, to: { any: true }, ports: parsePortsText('any'), intent: 'never used' },
];

function flows(n: number, src: string, dst: string, protocol: number, port: number, at: number, opts: { unanswered?: boolean } = {}): FlowRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    start: at + i * 60_000,
    end: at + i * 60_000 + 500,
    srcAddr: src,
    dstAddr: dst,
    srcPort: 40000 + i,
    dstPort: protocol === 1 ? 2048 : port,
    protocol,
    bytes: 1000,
    packets: 4,
    revBytes: opts.unanswered ? 0 : 2000,
    revPackets: opts.unanswered ? 0 : 3,
    tcpFlags: protocol === 6 ? (opts.unanswered ? 0x02 : 0x1b) : 0,
    serverSide: 'dst',
    orientation: 'biflow',
    sourceKind: 'synthetic',
    exporter: 'test',
  }));
}

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  const p = rt.db.prisma;
  const wl = async (name: string, ip: string, labels: Record<string, string>, from = T - 24 * H, to: number | null = null, inferred: string[] = []) =>
    p.workload.create({
      data: {
        name,
        source: 'json',
        addresses: { create: [{ ip, validFrom: new Date(from), validTo: to === null ? null : new Date(to), source: 'json' }] },
        labels: { create: Object.entries(labels).map(([key, value]) => ({ key, value, source: inferred.includes(key) ? 'inferred' : 'inventory', confirmed: !inferred.includes(key) })) },
      },
    });
  await wl('web-1', '10.1.0.1', { app: 'shop', role: 'web', env: 'prod' });
  await wl('api-1', '10.1.0.2', { app: 'shop', role: 'api', env: 'prod' });
  await wl('db-1', '10.1.0.3', { app: 'shop', role: 'db', env: 'prod' });
  await wl('old-api', '10.1.0.9', { app: 'shop', role: 'api', env: 'prod' }, T - 24 * H, HANDOVER);
  await wl('intruder', '10.1.0.9', { app: 'other', role: 'api' }, HANDOVER);
  // its app label is a suggestion discovery made, not yet confirmed: the policy view uses it
  await wl('dns-1', '10.0.0.3', { app: 'dns', role: 'core' }, T - 24 * H, null, ['app']);
  await syncBindings(p, rt.store);
  await rt.store.insertFlows([
    ...flows(10, '10.1.0.1', '10.1.0.2', 6, 8080, T + H),
    ...flows(5, '10.1.0.2', '10.1.0.3', 6, 5432, T + 2 * H),
    ...flows(2, '10.1.0.2', '10.1.0.3', 6, 5433, T + 3 * H),
    ...flows(3, '10.1.0.9', '10.1.0.3', 6, 5432, T + 10 * H),
    ...flows(4, '10.1.0.9', '10.1.0.3', 6, 5432, HANDOVER + 10 * H),
    ...flows(6, '8.8.8.8', '10.1.0.1', 6, 443, T + 5 * H),
    ...flows(3, '192.0.2.66', '10.1.0.1', 6, 443, T + 6 * H, { unanswered: true }),
    ...flows(2, '10.200.0.5', '10.1.0.1', 6, 443, T + 7 * H),
    ...flows(7, '10.1.0.1', '10.0.0.3', 17, 53, T + 8 * H),
    ...flows(1, '10.0.0.4', '10.1.0.1', 1, 0, T + 9 * H),
  ]);
}, 120_000);
afterAll(() => rt?.close());

describe('simulation in ClickHouse', () => {
  it('decides every conversation: labels, CIDR exceptions, ports, ICMP, identity by time', async () => {
    const view = await loadPolicyView(rt.db.prisma, { window: { from: new Date(T), to: new Date(END) } });
    expect(view.byName.get('dns-1')).toMatchObject({ labels: { app: 'dns', role: 'core' }, suggested: ['app'] });
    const r = await simulatePolicy(rt.store, rt.db.prisma, RULES, view, { from: new Date(T), to: new Date(END), detail: true, policyName: 'test' });
    expect(r.totals).toMatchObject({ flows: 43, allowedFlows: 32, blockedFlows: 11, blockedAnsweredFlows: 8 });
    expect(Object.fromEntries(r.ruleHits.map((h) => [h.id, h.flows]))).toEqual({ r1: 10, r2: 8, r3: 6, r4: 7, r5: 1, r6: 0 });
    expect(r.ruleHits.find((h) => h.id === 'r6')!.lastHit).toBeNull();

    const blocked = Object.fromEntries(r.blocked.map((b) => [`${b.from.name} -> ${b.to.name} ${b.protocol}/${b.port}`, b.flows]));
    expect(blocked).toEqual({
      'intruder -> db-1 6/5432': 4,
      'internet -> web-1 6/443': 3,
      'api-1 -> db-1 6/5433': 2,
      '10.200.0.5 -> web-1 6/443': 2,
    });
    expect(r.blockedDependencies).toBe(4);
    const scan = r.blocked.find((b) => b.from.kind === 'internet')!;
    expect(scan).toMatchObject({ failedFlows: 3, clientAddresses: 1, examples: [{ client: '192.0.2.66', server: '10.1.0.1', flows: 3 }] });
    expect(r.blocked[0]!.from).toMatchObject({ kind: 'workload', name: 'intruder' });

    expect(r.coverage).toMatchObject({ connections: 10, covered: 6, answered: { connections: 9, covered: 6 } });
    const apps = Object.fromEntries(r.applications.map((a) => [a.application, [a.flows, a.blockedFlows, a.blockedAnsweredFlows]]));
    expect(apps['shop@prod']).toEqual([43, 11, 8]);
    expect(apps.other).toEqual([4, 4, 4]);
    const row = (c: string, s: string, port: number) => r.detail!.filter((d) => d.client === c && d.server === s && d.port === port);
    expect(row('10.1.0.9', '10.1.0.3', 5432).map((d) => [view.byId.get(d.clientWorkload!)?.name, d.flows, d.allowedFlows]).sort()).toEqual([
      ['intruder', 4, 0],
      ['old-api', 3, 3],
    ]);
    expect(row('10.0.0.4', '10.1.0.1', 0)).toEqual([expect.objectContaining({ protocol: 1, flows: 1, allowedFlows: 1 })]);
  });

  it('sets scanners\' probes apart: an outside address, and a service that also sweeps (what it keeps coming back to stays)', async () => {
    const view = await loadPolicyView(rt.db.prisma, { window: { from: new Date(T), to: new Date(END) } });
    const id = (name: string) => view.byName.get(name)!.id;
    const scanners = { sources: [], probing: [id('api-1')], kept: [[id('api-1'), id('db-1'), 6, 5432] as [string, string, number, number]], addresses: ['192.0.2.66'] };
    const r = await simulatePolicy(rt.store, rt.db.prisma, RULES, view, { from: new Date(T), to: new Date(END), scanners });
    // 192.0.2.66's three unanswered probes of web-1 and api-1's two of db-1:5433 are set apart
    expect(r.scanners).toEqual({ sources: 2, flows: 5, blockedFlows: 5, blockedDependencies: 2 });
    expect(r.totals).toMatchObject({ flows: 43, allowedFlows: 32, blockedFlows: 6, blockedAnsweredFlows: 6 });
    expect(r.blocked.map((b) => `${b.from.name} -> ${b.to.name} ${b.port}`)).toEqual(['intruder -> db-1 5432', '10.200.0.5 -> web-1 443']);
    expect(r.blockedDependencies).toBe(2);
    // api-1 -> db-1:5432 is what it keeps coming back to: still allowed, still a connection
    expect(r.ruleHits.find((h) => h.id === 'r2')!.flows).toBe(8);
    expect(r.coverage).toMatchObject({ connections: 8, covered: 6 });
    expect(r.applications.find((a) => a.application === 'shop@prod')).toMatchObject({ flows: 43, blockedFlows: 6, scannerBlockedFlows: 5 });
    // without scanners nothing is set apart
    expect((await simulatePolicy(rt.store, rt.db.prisma, RULES, view, { from: new Date(T), to: new Date(END) })).scanners).toBeNull();
  });

  it('as set: blocks only what an enforced side would drop, at the client\'s egress or the server\'s ingress', async () => {
    const view = await loadPolicyView(rt.db.prisma, { window: { from: new Date(T), to: new Date(END) } });
    const run = (states: Array<{ application: string; environment: string; state: 'visibility' | 'test' | 'enforced' }>) =>
      simulatePolicy(rt.store, rt.db.prisma, RULES, view, { from: new Date(T), to: new Date(END), enforcement: 'as-set', states });
    const blockedOf = (r: Awaited<ReturnType<typeof run>>) => r.blocked.map((b) => `${b.from.name} -> ${b.to.name} ${b.port}`).sort();

    const none = await run([]);
    expect(none.totals).toMatchObject({ flows: 43, allowedFlows: 43, blockedFlows: 0, loggedFlows: 0 });
    expect(none.enforcement).toEqual({ mode: 'as-set', enforced: [], test: [] });
    // the rules' coverage does not depend on what is enforced
    expect(none.coverage).toMatchObject({ connections: 10, covered: 6 });
    expect(none.ruleHits.find((h) => h.id === 'r1')!.flows).toBe(10);

    // the intruder's application (no env label) enforced: its egress drops its flows to db-1, nothing else
    const client = await run([{ application: 'other', environment: '', state: 'enforced' }]);
    expect(client.totals).toMatchObject({ blockedFlows: 4, blockedAnsweredFlows: 4 });
    expect(blockedOf(client)).toEqual(['intruder -> db-1 5432']);

    // shop in prod enforced: its ingress drops what reaches it unallowed, from workloads or addresses
    const server = await run([{ application: 'shop', environment: 'prod', state: 'enforced' }, { application: 'other', environment: '', state: 'test' }]);
    expect(server.totals).toMatchObject({ blockedFlows: 11, loggedFlows: 0 });
    expect(server.enforcement).toEqual({ mode: 'as-set', enforced: ['shop@prod'], test: ['other'] });
    expect(blockedOf(server)).toEqual(['10.200.0.5 -> web-1 443', 'api-1 -> db-1 5433', 'internet -> web-1 443', 'intruder -> db-1 5432']);

    // shop in prod in test: the same flows are logged and let through
    const test = await run([{ application: 'shop', environment: 'prod', state: 'test' }]);
    expect(test.totals).toMatchObject({ allowedFlows: 43, blockedFlows: 0, loggedFlows: 11 });
    // another environment of the same application enforces nothing here
    expect((await run([{ application: 'shop', environment: 'test', state: 'enforced' }])).totals.blockedFlows).toBe(0);
  });

  it('simulates as exported by default through the service, with the database\'s states', async () => {
    const doc = buildBaseline({ name: 'file', rules: RULES.map((r) => ({ ...r, owner: null, expires: null, status: 'approved' as const })), view: await loadPolicyView(rt.db.prisma), enforcement: [{ application: 'other', environment: '', state: 'enforced' }] });
    const r = await simulate(rt, { kind: 'file', text: serializeBaseline(doc, 'yaml'), name: 'shop.yaml' }, { from: new Date(T), to: new Date(END) });
    expect(r.enforcement).toEqual({ mode: 'as-set', enforced: ['other'], test: [] });
    expect(r.totals.blockedFlows).toBe(4);
    // discovery's verdict over the window was asked for (this estate has no sweeping source)
    expect(r.scanners).toEqual({ sources: 0, flows: 0, blockedFlows: 0, blockedDependencies: 0 });
    const rules = await simulate(rt, { kind: 'rules', which: 'approved' }, { from: new Date(T), to: new Date(END) });
    expect(rules.totals.blockedFlows).toBe(0);
  });

  it('gives a baseline file the same verdicts as the same rules in the database', async () => {
    const view = await loadPolicyView(rt.db.prisma, { window: { from: new Date(T), to: new Date(END) } });
    const doc = buildBaseline({ name: 'file', rules: RULES.map((r) => ({ ...r, owner: null, expires: null, status: 'approved' as const })), view });
    const r = await simulate(rt, { kind: 'file', text: serializeBaseline(doc, 'yaml'), name: 'shop.yaml' }, { from: new Date(T), to: new Date(END), enforcement: 'all' });
    expect(r.policy).toEqual({ name: 'shop.yaml', rules: 6 });
    expect(r.totals).toMatchObject({ flows: 43, allowedFlows: 32 });
  });

  it('answers an empty window and an empty policy without failing', async () => {
    const view = await loadPolicyView(rt.db.prisma);
    const none = await simulatePolicy(rt.store, rt.db.prisma, [], view, { from: new Date(T), to: new Date(END) });
    expect(none.totals).toMatchObject({ flows: 43, allowedFlows: 0, blockedFlows: 43 });
    const empty = await simulatePolicy(rt.store, rt.db.prisma, RULES, view, { from: new Date(END + 24 * H), days: 1 });
    expect(empty.totals.flows).toBe(0);
    expect(empty.coverage.ratio).toBe(1);
  });
});

describe('monitor mode', () => {
  it('reports drift since approval, stale rules and expired exceptions', async () => {
    const p = rt.db.prisma;
    const who: Who = { actor: { type: 'system', name: 'test' }, via: 'system' };
    const { created } = await createRules(
      p,
      RULES.map((r) => ({ from: r.from as Selector, to: r.to as Selector, ports: r.ports, intent: r.intent, owner: null })),
      who,
      { origin: 'manual' },
    );
    await approveRules(p, created.map((r) => r.id), who);
    const exc = await createRules(p, [{ from: { labels: { app: 'other' } }, to: { labels: { app: 'shop', role: 'db' } }, ports: parsePortsText('tcp/5432'), intent: 'temporary', owner: null }], who, { origin: 'manual' });
    await approveRules(p, [exc.created[0]!.id], who, { expires: new Date(Date.now() + 1000) });
    const view = await loadPolicyView(p, { window: { from: new Date(T), to: new Date(END) } });
    const m = await monitorPolicy(rt.store, p, view, { since: new Date(T), now: new Date(END), staleDays: 4 });
    expect(m.expired.now.length).toBe(0);
    // the temporary exception lets the intruder's 4 flows through while it lasts
    expect(m.drift).toMatchObject({ blockedFlows: 7, blockedAnsweredFlows: 4 });
    expect(m.stale.rules.map((s) => s.intent)).toEqual(['never used']);
    // once past its expiry, the exception is expired by the monitor run and no longer allows
    const later = await monitorPolicy(rt.store, p, view, { since: new Date(T), now: new Date(Date.now() + 5000), staleDays: 4 });
    expect(later.expired.now.map((e) => e.rule)).toEqual([expect.stringContaining('app=other -> app=shop,role=db tcp/5432')]);
    expect(later.drift.blockedFlows).toBe(11);
    expect(later.expired.total).toBe(1);
  });
});

describe('blast radius', () => {
  it('counts what each workload reaches in one hop and over many, against the flat network', async () => {
    const view = await loadPolicyView(rt.db.prisma, { at: new Date(END) });
    expect(view.workloads.map((w) => w.name)).toEqual(['api-1', 'db-1', 'dns-1', 'intruder', 'web-1']);
    const b = blastRadius(RULES, view, { policy: 'test', workload: 'web-1' });
    expect(b.flat).toEqual({ oneHop: 4, multiHop: 4 });
    const one = Object.fromEntries(b.widest.map((w) => [w.name, [w.oneHop, w.multiHop]]));
    expect(one).toEqual({ 'web-1': [2, 3], 'api-1': [2, 2], 'db-1': [1, 1], intruder: [1, 1], 'dns-1': [0, 0] });
    expect(b.oneHop.mean).toBeCloseTo(1.2);
    expect(b.reduction.oneHop).toBeCloseTo(1 - 1.2 / 4);
    expect(b.reduction.multiHop).toBeCloseTo(1 - 1.4 / 4);
    expect(b.workload!.oneHop).toEqual([
      { id: view.byName.get('api-1')!.id, name: 'api-1', ports: ['tcp/8080'], rules: ['r1'] },
      { id: view.byName.get('dns-1')!.id, name: 'dns-1', ports: ['udp/53'], rules: ['r4'] },
    ]);
    expect(b.workload!.multiHop.find((x) => x.name === 'db-1')).toMatchObject({ hops: 2, path: ['web-1', 'api-1', 'db-1'] });
    expect(b.external).toEqual([{ source: '10.0.0.4/32', reach: 5 }, { source: '0.0.0.0/0 except 10.0.0.0/8 192.0.2.66/32', reach: 1 }]);
  });

  it('finds lateral movement through cycles (strongly connected components)', () => {
    const view = { workloads: ['a', 'b', 'c', 'd'].map((n) => ({ id: n, name: n, labels: { tier: n }, suggested: [], addresses: [] })) } as never as Parameters<typeof blastRadius>[1];
    (view as { byId: Map<string, unknown>; byName: Map<string, unknown> }).byId = new Map(view.workloads.map((w) => [w.id, w]));
    (view as { byName: Map<string, unknown> }).byName = new Map(view.workloads.map((w) => [w.name, w]));
    const r = (a: string, b: string) => ({ id: `${a}${b}`, from: { labels: { tier: a } }, to: { labels: { tier: b } }, ports: parsePortsText('tcp/1') });
    const b = blastRadius([r('a', 'b'), r('b', 'c'), r('c', 'a'), r('c', 'd')], view);
    expect(b.widest.map((w) => [w.name, w.oneHop, w.multiHop])).toEqual([
      ['c', 2, 3],
      ['a', 1, 3],
      ['b', 1, 3],
      ['d', 0, 0],
    ]);
  });
});
