// Discovery on real stores: flows written through the sink as collectors write them, inventory
// applied as importers apply it, the analysis read back. Each case is a behaviour the issue asks
// for: identity by time (an address reused by another workload), scanners never becoming edges,
// ephemeral-port noise dropped, unknown endpoints grouped, core services recognised by behaviour,
// suggestions that never override labels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import type { FlowRecord } from '../flow/record';
import { applyInventory } from '../inventory/apply';
import { openRuntime, type Runtime } from '../runtime';
import { analyze } from './analyze';
import { analysisJsonSchema, toAnalysisJson } from './json';
import { graphAtLevel } from './levels';
import { saveSuggestions } from './suggestions';
import type { AnalysisResult } from './types';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 1); // window 2026-03-01 .. 2026-03-15
const FROM = new Date(T0);
const TO = new Date(T0 + 14 * 24 * H);
const HANDOVER = T0 + 7 * 24 * H + 12 * H; // midday: the day is read hour by hour

function flow(src: string, dst: string, dport: number, at: number, o: Partial<FlowRecord> = {}): FlowRecord {
  return {
    start: at, end: at + 2_000, srcAddr: src, dstAddr: dst, srcPort: 40_000 + (at % 20_000), dstPort: dport, protocol: 6,
    bytes: 1_200, packets: 8, revBytes: 4_000, revPackets: 6, tcpFlags: 0x1b, serverSide: 'dst', orientation: 'biflow',
    sourceKind: 'ipfix', exporter: '192.0.2.1', samplingRate: 1, ...o,
  };
}
/** one flow in each of `hours` consecutive hours from `at` */
const hourly = (src: string, dst: string, port: number, at: number, hours: number, o: Partial<FlowRecord> = {}) => Array.from({ length: hours }, (_, i) => flow(src, dst, port, at + i * H + 60_000, o));

describe('analyze', () => {
  let rt: Runtime;
  let r: AnalysisResult;
  const byName = () => new Map(r.workloads.map((w) => [w.name, w]));
  const nameOf = (id: string) => r.workloads.find((w) => w.id === id)?.name ?? id;
  const edgeKeys = () => r.edges.map((e) => `${nameOf(e.from)} -> ${nameOf(e.to)} ${e.protocol}/${e.port}`).sort();

  beforeAll(async () => {
    rt = await openRuntime(testConfig());
    const db = rt.db.prisma;
    const w = (name: string, ip: string, labels: Record<string, string> = {}, from = T0 - 30 * 24 * H, to: number | null = null) => ({
      name, labels, addresses: [{ ip, from: new Date(from), to: to === null ? null : new Date(to) }],
    });
    const apps: ReturnType<typeof w>[] = [];
    // three small applications; the shop's web tier carries labels
    for (const [n, app] of ['shop', 'blog', 'crm'].entries()) {
      apps.push(w(`${app}-web-01`, `10.1.${n}.1`, app === 'shop' ? { app: 'shop', env: 'prod' } : {}));
      apps.push(w(`${app}-api-01`, `10.1.${n}.2`));
      apps.push(w(`${app}-db-01`, `10.1.${n}.3`));
    }
    await applyInventory(
      db,
      rt.store,
      [
        ...apps,
        w('dns-01', '10.0.0.53'),
        // 10.1.9.7 belongs to old-worker until the handover, then (after six idle hours) to new-cache
        w('old-worker', '10.1.9.7', {}, T0 - 30 * 24 * H, HANDOVER),
        w('new-cache', '10.1.9.7', {}, HANDOVER + 6 * H, null),
        w('ledger-db', '10.1.9.8'),
        w('sec-scan-01', '10.1.9.99'),
      ],
      { source: 'test', at: new Date(TO) },
    );
    await db.namedNetwork.create({ data: { name: 'corp-users', kind: 'user', cidrs: '10.50.0.0/16' } });
    await applyInventory(db, rt.store, [], { source: 'test', at: new Date(TO) }); // syncs the named networks

    const flows: FlowRecord[] = [];
    const days = 14;
    apps.forEach((_, i) => {
      if (i % 3 !== 0) return;
      const [web, api, db3] = [apps[i]!, apps[i + 1]!, apps[i + 2]!].map((x) => x.addresses[0]!.ip);
      for (let d = 0; d < days; d++) {
        flows.push(...hourly(web!, api!, 8080, T0 + d * 24 * H, 24));
        flows.push(...hourly(api!, db3!, 5432, T0 + d * 24 * H, 24));
      }
    });
    // every workload asks DNS: a core service by behaviour (clients in every application)
    const everyone = [...apps.map((a) => a.addresses[0]!.ip), '10.1.9.8'];
    for (const ip of everyone) for (let d = 0; d < days; d++) flows.push(flow(ip, '10.0.0.53', 53, T0 + d * 24 * H + 5 * H, { protocol: 17, tcpFlags: 0 }));
    // identity by time: before the handover 10.1.9.7 is a worker writing to the ledger, after it a cache the shop's api reads
    flows.push(...hourly('10.1.9.7', '10.1.9.8', 5432, HANDOVER - 30 * H, 30));
    flows.push(...hourly('10.1.0.2', '10.1.9.7', 6379, HANDOVER + 8 * H, 30));
    // a scanner: 60 hosts x 3 ports, SYN only, never answered (one-way records)
    for (let i = 0; i < 60; i++) for (const p of [22, 80, 3389]) flows.push(flow('10.1.9.99', `10.1.20.${i + 1}`, p, T0 + 3 * 24 * H + i * 1_000, { tcpFlags: 0x02, revBytes: 0, revPackets: 0, orientation: 'tcp-flags', bytes: 60, packets: 1 }));
    // and an unknown outside scanner probing the shop's web tier
    for (let p = 1; p <= 120; p++) flows.push(flow('198.51.100.66', '10.1.0.1', p, T0 + 4 * 24 * H + p * 1_000, { tcpFlags: 0x02, revBytes: 0, revPackets: 0, orientation: 'tcp-flags' }));
    // orientation noise: a record whose "server port" is an ephemeral port, once
    flows.push(flow('10.1.1.2', '10.1.0.1', 45_123, T0 + 5 * 24 * H, { orientation: 'guess' }));
    // a real service on a high port, used for ten hours
    flows.push(...hourly('10.1.1.2', '10.1.1.3', 40_000, T0 + 6 * 24 * H, 10));
    // unknown endpoints: internet clients, corporate users (a named network), an outside API
    flows.push(flow('8.8.4.4', '10.1.0.1', 443, T0 + 24 * H), flow('9.9.9.9', '10.1.0.1', 443, T0 + 30 * H));
    flows.push(flow('10.50.1.1', '10.1.0.1', 443, T0 + 26 * H), flow('10.50.7.9', '10.1.0.1', 443, T0 + 27 * H));
    flows.push(...hourly('10.1.0.2', '93.184.216.34', 443, T0 + 24 * H, 3));
    // ICMP echo (type 8 in the destination port) from the crm api
    flows.push(flow('10.1.2.2', '10.1.2.3', 2048, T0 + 9 * H, { protocol: 1, tcpFlags: 0, orientation: 'port' }));
    // a record before the window must not count
    flows.push(flow('10.1.0.2', '10.1.0.3', 1521, T0 - 3 * H));

    for (let i = 0; i < flows.length; i += 5_000) if (!rt.sink.write(flows.slice(i, i + 5_000))) await rt.sink.drain();
    await rt.sink.flush();
    expect(rt.sink.stats().rejected).toBe(0);
    r = await analyze(rt, { from: FROM, to: TO });
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('finds exactly the dependencies, with identity resolved by time', () => {
    expect(edgeKeys()).toEqual(
      [
        '0.0.0.0/0 -> shop-web-01 6/443',
        '10.50.0.0/16 -> shop-web-01 6/443',
        'blog-api-01 -> blog-db-01 6/40000',
        'blog-api-01 -> blog-db-01 6/5432',
        'blog-web-01 -> blog-api-01 6/8080',
        'crm-api-01 -> crm-db-01 1/0',
        'crm-api-01 -> crm-db-01 6/5432',
        'crm-web-01 -> crm-api-01 6/8080',
        'old-worker -> ledger-db 6/5432',
        'shop-api-01 -> 93.184.216.34 6/443',
        'shop-api-01 -> new-cache 6/6379',
        'shop-api-01 -> shop-db-01 6/5432',
        'shop-web-01 -> shop-api-01 6/8080',
        ...[...['shop', 'blog', 'crm'].flatMap((a) => [`${a}-web-01`, `${a}-api-01`, `${a}-db-01`]), 'ledger-db'].map((n) => `${n} -> dns-01 17/53`),
      ].sort(),
    );
    const w = byName();
    expect(w.get('old-worker')!.addresses).toEqual(['10.1.9.7']);
    expect(w.get('new-cache')!.addresses).toEqual(['10.1.9.7']);
    const cache = r.edges.find((e) => e.to === w.get('new-cache')!.id)!;
    expect(cache.firstSeen.getTime()).toBeGreaterThanOrEqual(HANDOVER + 8 * H);
    expect(cache.activeHours).toBe(30);
    const ledger = r.edges.find((e) => e.from === w.get('old-worker')!.id)!;
    expect(ledger.lastSeen.getTime()).toBeLessThan(HANDOVER);
    expect(ledger).toMatchObject({ activeHours: 30, flows: 30 });
  });

  it('keeps scanners and ephemeral noise out of the graph and says so', () => {
    const sc = r.coverage.excluded.scanners;
    expect(sc.map((s) => s.name).sort()).toEqual(['198.51.100.66', 'sec-scan-01']);
    const inside = sc.find((s) => s.name === 'sec-scan-01')!;
    expect(inside).toMatchObject({ targets: 180, hosts: 60, ports: 3, failedRatio: 1, workloadId: byName().get('sec-scan-01')!.id });
    expect(byName().get('sec-scan-01')).toMatchObject({ scanner: true, role: 'scanner', degree: 0 });
    expect(r.edges.some((e) => e.from === inside.workloadId || e.from === '198.51.100.66')).toBe(false);
    expect(r.coverage.excluded.ephemeralConversations).toBe(1);
    expect(r.coverage.notes.join('\n')).toMatch(/2 scanning sources excluded/);
  });

  it('groups unknown endpoints: named networks, the internet, outside addresses', () => {
    expect(r.endpoints).toEqual([
      { id: '0.0.0.0/0', kind: 'internet', name: 'internet', networkKind: 'internet', addresses: 2 },
      { id: '10.50.0.0/16', kind: 'network', name: 'corp-users', networkKind: 'user', addresses: 2 },
      { id: '93.184.216.34', kind: 'address', name: '93.184.216.34', networkKind: null, addresses: 1 },
    ]);
    const ext = r.edges.filter((e) => e.flags.external);
    expect(ext).toHaveLength(3);
  });

  it('recognises the shared DNS server by behaviour and groups applications, labels first', () => {
    const w = byName();
    expect(w.get('dns-01')).toMatchObject({ coreService: 'dns', role: 'core' });
    expect(r.edges.filter((e) => e.to === w.get('dns-01')!.id).every((e) => e.flags.coreService && e.service === 'dns')).toBe(true);
    const app = (n: string) => w.get(n)!.application;
    expect(app('shop-web-01')).toBe('shop@prod');
    expect(w.get('shop-web-01')).toMatchObject({ applicationSource: 'label', confidence: 1, environment: 'prod', environmentSource: 'label' });
    expect(app('shop-api-01')).toBe(app('shop-web-01'));
    expect(app('shop-db-01')).toBe(app('shop-web-01'));
    expect(w.get('shop-api-01')!.applicationSource).toBe('inferred');
    expect(app('blog-web-01')).toBe(app('blog-db-01'));
    expect(app('blog-web-01')).not.toBe(app('crm-web-01'));
    expect(app('blog-web-01')).toMatch(/^blog/);
    expect(w.get('shop-db-01')!.role).toBe('db');
    expect(w.get('shop-web-01')!.role).toBe('web');
    expect(w.get('crm-api-01')!.role).toBe('api');
    const shop = r.applications.find((a) => a.id === 'shop@prod')!;
    expect(shop.members.map(nameOf).sort()).toEqual(['shop-api-01', 'shop-db-01', 'shop-web-01', 'new-cache'].sort());
  });

  it('counts exactly over windows that do not start or end at midnight', async () => {
    const odd = await analyze(rt, { from: new Date(T0 + 5 * H), to: new Date(TO.getTime() - 3 * H) });
    const id = (n: string) => odd.workloads.find((w) => w.name === n)!.id;
    const e = odd.edges.find((x) => x.from === id('blog-web-01') && x.to === id('blog-api-01'))!;
    expect(e).toMatchObject({ activeHours: 14 * 24 - 8, flows: 14 * 24 - 8, activeDays: 14 });
    expect(odd.edges.find((x) => x.from === id('old-worker'))).toMatchObject({ activeHours: 30 });
    expect(odd.window).toEqual({ from: new Date(T0 + 5 * H), to: new Date(TO.getTime() - 3 * H) });
  });

  it('judges periodicity and coverage', () => {
    const w = byName();
    const daily = r.edges.find((e) => e.from === w.get('blog-web-01')!.id && e.to === w.get('dns-01')!.id)!;
    expect(daily.periodicity).toBe('daily');
    const cont = r.edges.find((e) => e.from === w.get('blog-web-01')!.id && e.port === 8080)!;
    expect(cont).toMatchObject({ periodicity: 'continuous', activeHours: 14 * 24, activeDays: 14, flows: 14 * 24 });
    expect(r.edges.find((e) => e.port === 40_000)!.periodicity).toBe('once');
    expect(r.coverage).toMatchObject({ days: 14, daysWithData: 14, shorterThanCycle: true, converged: false });
    expect(r.coverage.sources).toHaveLength(1);
    expect(r.coverage.notes.join('\n')).toMatch(/less than the 30-day business cycle/);
    // the first day found the steady dependencies; later ones only what started later
    expect(r.coverage.convergence[0]!.newEdges).toBeGreaterThan(10);
    expect(r.coverage.convergence.at(-1)!.cumulative).toBe(r.edges.length);
  });

  it('prints the documented JSON shape', () => {
    const j = toAnalysisJson(r);
    expect(() => analysisJsonSchema.parse(j)).not.toThrow();
    // the five keys of the first version, then what was added since
    expect(Object.keys(j)).toEqual(['window', 'coverage', 'workloads', 'applications', 'edges', 'networks', 'counts']);
    expect(j.window).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z' });
    expect(Object.keys(j.edges[0]!).slice(0, 9)).toEqual(['from', 'to', 'port', 'protocol', 'flows', 'bytes', 'firstSeen', 'lastSeen', 'periodicity']);
    expect(Object.keys(j.workloads[0]!).slice(0, 7)).toEqual(['id', 'name', 'addresses', 'labels', 'application', 'role', 'confidence']);
    expect(j.edges.find((e) => e.protocol === 'icmp')).toMatchObject({ port: 0, fromName: 'crm-api-01', toName: 'crm-db-01' });
    expect(j.edges.find((e) => e.to === '10.50.0.0/16' || e.from === '10.50.0.0/16')).toMatchObject({ fromName: 'corp-users', protocol: 'tcp', port: 443 });
  });

  it('folds the graph to applications, roles and environments', () => {
    const apps = graphAtLevel(r, 'application');
    const shopToDns = apps.edges.find((e) => e.from === 'shop@prod' && e.to === byName().get('dns-01')!.application);
    expect(shopToDns).toMatchObject({ ports: ['udp/53'], edges: 3 }); // new-cache never asked
    expect(apps.nodes.find((n) => n.id === 'shop@prod')).toMatchObject({ kind: 'application', workloads: 4 });
    const roles = graphAtLevel(r, 'role', { hideCoreServices: true });
    expect(roles.edges.find((e) => e.from === 'shop@prod/web' && e.to === 'shop@prod/api')).toMatchObject({ ports: ['tcp/8080'], periodicity: 'continuous' });
    expect(roles.edges.some((e) => e.flags.coreService)).toBe(false);
    const envs = graphAtLevel(r, 'environment');
    expect(envs.nodes.map((n) => n.id)).toContain('env:prod');
  });

  it('saves suggestions without touching labels, idempotently', async () => {
    const db = rt.db.prisma;
    const api = byName().get('shop-api-01')!;
    await db.label.create({ data: { workloadId: api.id, key: 'role', value: 'backend', source: 'user' } });
    const first = await saveSuggestions(db, r);
    expect(first.labelsWritten).toBeGreaterThan(10);
    const labels = await db.label.findMany({ where: { workloadId: api.id } });
    expect(labels.find((l) => l.key === 'role')).toMatchObject({ value: 'backend', source: 'user', confirmed: true });
    expect(labels.find((l) => l.key === 'app')).toMatchObject({ value: 'shop', source: 'inferred', confirmed: false });
    const web = await db.label.findMany({ where: { workloadId: byName().get('shop-web-01')!.id } });
    expect(web.find((l) => l.key === 'app')).toMatchObject({ value: 'shop', source: 'inventory' });
    expect(await saveSuggestions(db, r)).toEqual({ labelsWritten: 0, labelsRemoved: 0, applicationsCreated: 0, networksWritten: 0, networksRemoved: 0 });
    // suggestions are not facts: the next analysis is not steered by them, the label a person set is
    const again = await analyze(rt, { from: FROM, to: TO });
    const api2 = again.workloads.find((w) => w.id === api.id)!;
    expect(api2).toMatchObject({ role: 'backend', roleSource: 'label', applicationSource: 'inferred', application: 'shop@prod' });
    expect(api2.labels).toEqual({ role: 'backend' });
  });
});
