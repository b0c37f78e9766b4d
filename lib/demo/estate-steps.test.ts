// The steps of generateEstate one by one (demo.test.ts runs the whole pipeline and the analysis on it).
import { describe, expect, it } from 'vitest';
import { addrOf, addWorkload, cont, DAY, DEMO_EXPORTERS, estateBuilder, HOUR, retire, talk, type NewWorkload } from './estate-builder';
import { rebuildInstances, reuseAddresses } from './estate-changes';
import { addNoise, addScans, exportersWithGap } from './estate-scans';
import { addCoreTraffic, addInternetClients, addTierTraffic, regionOf } from './estate-traffic';
import { addApplications, addInfrastructure, businessOf } from './estate-workloads';

const END = new Date('2026-03-01T00:30:00Z');
const vm = (name: string, env: string, extra: Partial<NewWorkload> = {}): NewWorkload => ({ name, kind: 'vm', env, app: 'x', role: 'api', coreService: null, windows: false, labels: {}, ...extra });

describe('estate builder', () => {
  it('aligns the span to the hour and hands out addresses per environment', () => {
    const b = estateBuilder({ end: END, days: 3, workloads: 10 });
    expect(b.end).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(b.start).toBe(b.end - 3 * DAY);
    expect(b.target).toBe(40);
    expect([addrOf(b, 'prod'), addrOf(b, 'prod'), addrOf(b, 'shared'), addrOf(b, 'dev')]).toEqual(['10.10.0.3', '10.10.0.4', '10.0.0.3', '10.30.0.3']);
  });

  it('refuses a duplicate name; talk makes one spec per overlapping pair of holdings, retire ends both', () => {
    const b = estateBuilder({ end: END, days: 4 });
    const c = addWorkload(b, vm('c', 'prod'));
    const s = addWorkload(b, vm('s', 'shared'));
    expect(() => addWorkload(b, vm('c', 'dev'))).toThrow(/duplicate/);
    c.bindings.push({ ip: '10.10.9.9', from: b.start + DAY, to: null });
    c.bindings[0]!.to = b.start + DAY;
    talk(b, c, s, 6, 443, cont(50), 'app');
    expect(b.conversations.map((x) => [x.clientAddr, x.from - b.start, x.to - b.start, x.exporter])).toEqual([
      [c.bindings[0]!.ip, 0, DAY, DEMO_EXPORTERS.prod],
      ['10.10.9.9', DAY, 4 * DAY, DEMO_EXPORTERS.prod],
    ]);
    expect(s.serves).toEqual(['tcp/443']);
    retire(s, b.start + 2 * DAY, b.conversations);
    expect(b.conversations.map((x) => x.to - b.start)).toEqual([DAY, 2 * DAY]);
  });
});

describe('estate steps', () => {
  it('infrastructure first, then applications until the budget is spent, names unique', () => {
    const b = estateBuilder({ end: END, seed: 5, workloads: 60 });
    const infra = addInfrastructure(b);
    expect(b.workloads).toHaveLength(17);
    expect(infra.dns.map((w) => w.name)).toEqual(['dns-01', 'dns-02']);
    const instances = addApplications(b, 1, 1);
    const business = businessOf(instances);
    expect(business.length).toBeGreaterThanOrEqual(60 - 17);
    expect(new Set(b.workloads.map((w) => w.name)).size).toBe(b.workloads.length);
    // labeledShare 1: every application is labelled
    expect(business.every((w) => w.labels.app === w.app && w.labels.role === w.role)).toBe(true);
    expect(instances.every((i) => i.env === 'prod' || i.env === 'staging' || i.env === 'dev')).toBe(true);
  });

  it('conversations: tiers in order, internet clients of public fronts, everyone on DNS', () => {
    const b = estateBuilder({ end: END, seed: 2, workloads: 80 });
    const infra = addInfrastructure(b);
    const instances = addApplications(b, 0.5, 0.5);
    const inst = instances.find((i) => i.members.web.length && i.members.api.length)!;
    addTierTraffic(b, inst);
    expect(b.conversations[0]).toMatchObject({ client: inst.members.web[0]!.name, server: inst.members.api[0]!.name, port: inst.tpl.apiPort, kind: 'app' });
    const fronts = addInternetClients(b, instances, 10);
    expect(fronts.every((w) => w.env === 'prod')).toBe(true);
    const business = businessOf(instances);
    addCoreTraffic(b, infra, business);
    const dnsClients = new Set(b.conversations.filter((c) => c.server === 'dns-01' && c.port === 53).map((c) => c.client));
    for (const w of business) expect(dnsClients.has(w.name)).toBe(true);
    expect(regionOf('orders-eu')).toBe('-eu');
    expect(regionOf('web-shop')).toBe('');
    expect(regionOf('orders')).toBe('');
  });

  it('hands addresses over and rebuilds instances: holdings never overlap for one address', () => {
    const b = estateBuilder({ end: END, seed: 3, workloads: 150, days: 20 });
    addInfrastructure(b);
    const instances = addApplications(b, 0.4, 0.6);
    const business = businessOf(instances);
    for (const i of instances) addTierTraffic(b, i);
    const reused = reuseAddresses(b, instances, business, 3);
    expect(reused.length).toBeGreaterThan(0);
    for (const x of reused) {
      const before = b.workloads.find((w) => w.name === x.before)!;
      const after = b.workloads.find((w) => w.name === x.after)!;
      expect(before.bindings.at(-1)!.to).toBe(x.at);
      expect(after.bindings[0]).toMatchObject({ ip: x.ip, from: x.at + 6 * HOUR });
    }
    rebuildInstances(b, business, 1);
    const rebuilt = business.filter((w) => w.bindings.length === 2 && !w.bindings[1]!.ip.includes(':'));
    expect(rebuilt).toHaveLength(1);
    expect(rebuilt[0]!.bindings[0]!.to).toBe(rebuilt[0]!.bindings[1]!.from);
  });

  it('scans and noise are failed probes and ephemeral ports; the dev collector has a gap', () => {
    const b = estateBuilder({ end: END, seed: 4, workloads: 50, days: 6 });
    const infra = addInfrastructure(b);
    const instances = addApplications(b, 0.4, 0.6);
    const fronts = addInternetClients(b, instances, 5);
    const scanners = addScans(b, infra.scanner, fronts);
    expect(scanners).toEqual(['sec-scan-01', '192.0.2.66', '192.0.2.99']);
    expect(b.conversations.filter((c) => c.kind === 'scan').every((c) => c.failed)).toBe(true);
    const before = b.conversations.length;
    addNoise(b, businessOf(instances));
    const noise = b.conversations.slice(before);
    expect(noise.length).toBeGreaterThan(0);
    expect(noise.every((c) => c.kind === 'noise' && c.port >= 32768)).toBe(true);
    const ex = exportersWithGap(b.end, b.days);
    expect(ex.filter((e) => e.gaps.length).map((e) => e.name)).toEqual([DEMO_EXPORTERS.dev]);
    expect(ex.find((e) => e.gaps.length)!.gaps[0]!.to - ex.find((e) => e.gaps.length)!.gaps[0]!.from).toBe(8 * HOUR);
  });
});
