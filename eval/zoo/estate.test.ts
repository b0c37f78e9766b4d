// The estate zoo's generator against docs/estate-zoo.md: what every generated estate must be,
// whatever its shape and seed.
import { describe, expect, it } from 'vitest';
import { cidrRange, intToIp } from './addresses';
import { HourCalendar } from './calendar';
import { generateEstate } from './estate';
import { NAMINGS, type LabelsAxis, type Naming, type ZooConversation, type ZooEstate, type ZooShape } from './model';
import { activeHours } from './schedule';
import { dependencies, endpointKey, flowCounts, groupOf, minimalPolicy, scannerAddresses, truthWorkloads } from './truth';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

const cache = new Map<string, ZooEstate>();
function estate(workloads: number, naming: Naming = 'conventional', seed = 1, labels: LabelsAxis = 'partial', source: ZooShape['source'] = 'ipfix'): ZooEstate {
  const key = `${workloads}/${naming}/${seed}/${labels}/${source}`;
  let e = cache.get(key);
  if (!e) {
    e = generateEstate({ workloads, naming, labels, source, seed });
    cache.set(key, e);
  }
  return e;
}

const SMALL = [1, 2, 3, 4, 5].map((seed) => estate(80, NAMINGS[seed % NAMINGS.length] ?? 'conventional', seed, 'partial', seed % 2 ? 'ipfix' : 'aws'));
const MEDIUM = [11, 12, 13].map((seed) => estate(250, NAMINGS[seed % NAMINGS.length] ?? 'conventional', seed, 'wrong', seed % 2 ? 'aws' : 'ipfix'));
const SOME = [...SMALL, ...MEDIUM];

const weeksOf = (e: ZooEstate) => Array.from({ length: Math.round((e.end - e.start) / WEEK) }, (_, i) => [e.start + i * WEEK, e.start + (i + 1) * WEEK] as const);
const workloadOf = (e: ZooEstate, name: string) => {
  const w = e.workloads.find((x) => x.name === name);
  if (!w) throw new Error(`no workload ${name}`);
  return w;
};
const nameOf = (c: ZooConversation, side: 'client' | 'server') => {
  const endpoint = c[side];
  return endpoint.type === 'workload' ? endpoint.name : null;
};

describe('generateEstate', () => {
  it('gives the same estate for the same shape, and another for another seed', () => {
    const shape = { workloads: 250, naming: 'mixed', labels: 'wrong', source: 'aws', seed: 42 } as const;
    const a = generateEstate(shape);
    expect(generateEstate(shape)).toEqual(a);
    const b = generateEstate({ ...shape, seed: 43 });
    expect(b.workloads.map((w) => w.name)).not.toEqual(a.workloads.map((w) => w.name));
    expect(a.start).toBe(a.end - 3 * WEEK);
  });

  it('has about the number of workloads asked for, with unique names', () => {
    for (const workloads of [80, 250]) {
      for (const naming of NAMINGS) {
        for (const seed of [1, 2, 3]) {
          const e = estate(workloads, naming, seed);
          expect(Math.abs(e.workloads.length - workloads) / workloads).toBeLessThanOrEqual(0.15);
          expect(new Set(e.workloads.map((w) => w.name)).size).toBe(e.workloads.length);
        }
      }
    }
  });

  it('generates 2,000 workloads in under ten seconds, with bounded volume', () => {
    const started = Date.now();
    const e = generateEstate({ workloads: 2000, naming: 'codes', labels: 'partial', source: 'ipfix', seed: 7 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(Math.abs(e.workloads.length - 2000) / 2000).toBeLessThanOrEqual(0.15);
    const flows = flowCounts(e, e.start, e.end).reduce((n, f) => n + f.flows, 0);
    expect(flows).toBeLessThanOrEqual(20_000_000);
  });

  it('keeps a small estate small: at most about 700,000 flows in three weeks', () => {
    for (const e of SMALL) expect(flowCounts(e, e.start, e.end).reduce((n, f) => n + f.flows, 0)).toBeLessThanOrEqual(700_000);
  });

  it('uses the truth vocabulary for environments whatever the estate calls them', () => {
    for (const e of SOME) {
      for (const w of e.workloads) expect(['prod', 'staging', 'dev', 'shared']).toContain(w.truth.env);
      expect(truthWorkloads(e).every((t) => t.application.includes('@'))).toBe(true);
    }
  });
});

describe('hostnames', () => {
  const apps = (e: ZooEstate) => e.workloads.filter((w) => w.truth.kind === 'application');

  it('conventional: an application machine carries its application name', () => {
    for (const seed of [1, 2, 3]) {
      for (const w of apps(estate(250, 'conventional', seed))) expect(w.name.replace(/[-_]/g, '')).toContain(w.truth.app.replace(/-/g, ''));
    }
  });

  it('codes: environment and OS codes shared by many machines of many applications', () => {
    for (const seed of [1, 2, 3]) {
      const e = estate(250, 'codes', seed);
      const prefixes = new Map<string, Set<string>>();
      for (const w of e.workloads) {
        const m = /^(?:[a-z]{2,3}\d?)?((?:prd|prod|stg|uat|ppd|dev|tst|inf)(?:lx|wn|lnx|win|ws|vh|hv|esx|l|w|h))\d{4}$/.exec(w.name);
        expect(m, w.name).not.toBeNull();
        const code = m?.[1] ?? '';
        prefixes.set(code, (prefixes.get(code) ?? new Set()).add(w.truth.app));
      }
      expect(Math.max(...[...prefixes.values()].map((s) => s.size))).toBeGreaterThanOrEqual(5);
    }
  });

  it('cmdb: asset tags and nothing else', () => {
    for (const seed of [1, 2, 3]) {
      for (const w of estate(250, 'cmdb', seed).workloads) {
        expect(w.name).toMatch(/^(SRV\d{6}|VM-\d{5}|CI\d{7})$/);
        expect(w.name.toLowerCase()).not.toContain(w.truth.app.toLowerCase());
      }
    }
  });

  it('cloud: the address or an instance id', () => {
    for (const seed of [1, 2, 3]) {
      const e = estate(250, 'cloud', seed);
      for (const w of e.workloads) {
        expect(w.name).toMatch(/^(ip-\d+-\d+-\d+-\d+|i-0[0-9a-f]{16})$/);
        if (w.name.startsWith('ip-')) expect(w.bindings.map((b) => `ip-${b.ip.replaceAll('.', '-')}`)).toContain(w.name);
      }
    }
  });

  it('mixed: teams differ, infrastructure mostly keeps readable names', () => {
    const e = estate(250, 'mixed', 2);
    const coded = /^(ip-\d+-\d+-\d+-\d+|i-0[0-9a-f]{16}|SRV\d{6}|VM-\d{5}|CI\d{7}|(?:[a-z]{2,3}\d?)?(?:prd|prod|stg|uat|ppd|dev|tst|inf)(?:lx|wn|lnx|win|ws|vh|hv|esx|l|w|h)\d{4})$/;
    const appNames = apps(e).map((w) => w.name);
    expect(appNames.some((n) => coded.test(n))).toBe(true);
    expect(appNames.some((n) => !coded.test(n))).toBe(true);
    const infra = e.workloads.filter((w) => w.truth.kind !== 'application');
    expect(infra.filter((w) => !coded.test(w.name)).length / infra.length).toBeGreaterThan(0.5);
  });
});

describe('labels', () => {
  it('none: no tags', () => {
    expect(estate(250, 'conventional', 1, 'none').workloads.every((w) => Object.keys(w.labels).length === 0)).toBe(true);
  });

  it('partial: about 30% tagged, mostly by whole application, none wrong', () => {
    for (const seed of [1, 2, 3]) {
      const e = estate(250, 'conventional', seed, 'partial');
      const tagged = e.workloads.filter((w) => w.labels.app);
      expect(tagged.length / e.workloads.length).toBeGreaterThanOrEqual(0.2);
      expect(tagged.length / e.workloads.length).toBeLessThanOrEqual(0.4);
      expect(tagged.every((w) => w.labels.app === w.truth.app && w.labels.env && w.labels.role)).toBe(true);
      const wholeApps = new Set(e.workloads.map((w) => w.truth.app).filter((app) => e.workloads.filter((w) => w.truth.app === app).every((w) => w.labels.app)));
      expect(tagged.filter((w) => wholeApps.has(w.truth.app)).length / tagged.length).toBeGreaterThan(0.6);
    }
  });

  it('wrong: about 5% of the tagged workloads name another application', () => {
    for (const seed of [1, 2, 3]) {
      const e = estate(250, 'conventional', seed, 'wrong');
      const tagged = e.workloads.filter((w) => w.labels.app);
      const wrong = tagged.filter((w) => w.labels.app !== w.truth.app);
      expect(wrong.length).toBeGreaterThanOrEqual(1);
      expect(wrong.length / tagged.length).toBeGreaterThanOrEqual(0.02);
      expect(wrong.length / tagged.length).toBeLessThanOrEqual(0.1);
    }
  });
});

describe('addresses', () => {
  it('never gives one address to two workloads at once', () => {
    for (const e of SOME) {
      const byIp = new Map<string, Array<[number, number]>>();
      for (const w of e.workloads) for (const b of w.bindings) byIp.set(b.ip, [...(byIp.get(b.ip) ?? []), [b.from, b.to ?? e.end]]);
      for (const periods of byIp.values()) {
        const sorted = periods.sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]?.[0]).toBeGreaterThanOrEqual(sorted[i - 1]?.[1] ?? 0);
      }
    }
  });

  it('hands at least four addresses to a workload of another application, hours to days later', () => {
    for (const e of SOME) {
      const toOther = e.reused.filter((r) => workloadOf(e, r.before).truth.app !== workloadOf(e, r.after).truth.app);
      expect(toOther.length).toBeGreaterThanOrEqual(4);
      for (const r of toOther) {
        const released = workloadOf(e, r.before).bindings.find((b) => b.ip === r.ip)?.to ?? e.end;
        expect(r.at - released).toBeGreaterThanOrEqual(2 * HOUR);
        expect(r.at).toBeLessThan(e.end);
      }
    }
  });

  it('rebuilds some production servers on a new address', () => {
    for (const e of SOME) expect(e.workloads.some((w) => w.truth.env === 'prod' && new Set(w.bindings.map((b) => b.ip)).size > 1)).toBe(true);
  });

  it('replaces instances in cloud-named estates with new instances', () => {
    const e = estate(250, 'cloud', 1);
    expect(e.reused.some((r) => workloadOf(e, r.before).truth.app === workloadOf(e, r.after).truth.app)).toBe(true);
  });
});

describe('conversations', () => {
  it('follow address histories: a workload endpoint holds the address for the whole conversation', () => {
    for (const e of SOME) {
      for (const c of e.conversations) {
        for (const side of ['client', 'server'] as const) {
          const name = nameOf(c, side);
          if (!name) continue;
          const addr = side === 'client' ? c.clientAddr : c.serverAddr;
          const held = workloadOf(e, name).bindings.some((b) => b.ip === addr && b.from <= c.from && (b.to ?? e.end) >= c.to);
          expect(held, `${c.id} ${name} ${addr}`).toBe(true);
        }
        expect(c.from).toBeLessThan(c.to);
        if (c.protocol === 1) expect(c.port).toBe(0);
      }
    }
  });

  it('has one conversation per address pair, protocol and port at a time', () => {
    for (const e of SOME) {
      const seen = new Map<string, Array<[number, number]>>();
      for (const c of e.conversations) {
        const key = `${c.clientAddr}>${c.serverAddr}/${c.protocol}/${c.port}`;
        const periods = seen.get(key) ?? [];
        expect(periods.some(([a, b]) => c.from < b && a < c.to)).toBe(false);
        seen.set(key, [...periods, [c.from, c.to]]);
      }
    }
  });

  it('keeps application traffic inside one environment', () => {
    for (const e of SOME) {
      for (const c of e.conversations.filter((x) => x.kind === 'app' || x.kind === 'cross-app')) {
        const client = nameOf(c, 'client');
        const server = nameOf(c, 'server');
        if (!client || !server) throw new Error('application traffic between workloads');
        expect(workloadOf(e, client).truth.env).toBe(workloadOf(e, server).truth.env);
      }
    }
  });

  it('replicates inside tiers and runs batch nightly, weekly or monthly', () => {
    const e = estate(250, 'conventional', 1);
    const inside = e.conversations.filter((c) => {
      const a = nameOf(c, 'client');
      const b = nameOf(c, 'server');
      return c.kind === 'app' && a && b && groupOf(e, c.client, c.clientAddr) === groupOf(e, c.server, c.serverAddr);
    });
    expect(inside.length).toBeGreaterThan(0);
    const rhythms = new Set(e.conversations.filter((c) => c.kind === 'app' || c.kind === 'cross-app').map((c) => c.schedule.type));
    expect(rhythms).toContain('daily');
    expect([...rhythms].some((r) => r === 'weekly' || r === 'monthly')).toBe(true);
  });

  it('synchronises time 123 to 123 with internet time servers and between domain controllers', () => {
    for (const e of SOME) {
      const ntp = e.conversations.filter((c) => c.protocol === 17 && c.port === 123 && c.clientPort === 123);
      expect(ntp.filter((c) => c.server.type === 'outside').length).toBeGreaterThanOrEqual(3);
      const dc = (c: ZooConversation, side: 'client' | 'server') => {
        const name = nameOf(c, side);
        return name !== null && workloadOf(e, name).truth.role === 'domain-controller';
      };
      expect(ntp.some((c) => dc(c, 'client') && dc(c, 'server'))).toBe(true);
    }
  });

  it('monitors every host all day and backs up every server every night', () => {
    for (const e of SOME) {
      const monitoring = new Set(e.workloads.filter((w) => w.truth.app === 'monitoring').map((w) => w.name));
      const scraped = new Set(e.conversations.filter((c) => c.kind === 'core' && monitoring.has(nameOf(c, 'client') ?? '') && c.schedule.type === 'continuous').map((c) => nameOf(c, 'server')));
      for (const w of e.workloads) if (!monitoring.has(w.name)) expect(scraped.has(w.name), w.name).toBe(true);
      const backup = new Set(e.workloads.filter((w) => w.truth.role === 'backup').map((w) => w.name));
      const pulled = new Set(e.conversations.filter((c) => backup.has(nameOf(c, 'client') ?? '') && c.schedule.type === 'daily').map((c) => nameOf(c, 'server')));
      for (const w of e.workloads) if (w.truth.kind === 'application') expect(pulled.has(w.name), w.name).toBe(true);
    }
  });
});

describe('people', () => {
  it('leaves the admin and user networks undeclared and only partly active in any week', () => {
    for (const e of SOME) {
      const people = e.networks.filter((n) => n.kind === 'admin' || n.kind === 'users');
      expect(people.filter((n) => n.kind === 'users').length).toBeGreaterThanOrEqual(2);
      expect(people.filter((n) => n.kind === 'users').length).toBeLessThanOrEqual(6);
      for (const n of people) {
        expect(n.declared).toBe(false);
        const [lo, hi] = cidrRange(n.cidr);
        expect(n.kind === 'admin' ? [26, 27] : [24]).toContain(Number(n.cidr.split('/')[1]));
        const conversations = e.conversations.filter((c) => c.client.type === 'network' && c.client.network === n.name);
        for (const [from, to] of weeksOf(e)) {
          const active = new Set(conversations.filter((c) => activeHours(c, from, to).length > 0).map((c) => c.clientAddr));
          expect(active.size).toBeGreaterThan(0);
          expect(active.size).toBeLessThan(0.9 * (hi - lo - 1));
        }
      }
    }
  });

  it('users of one subnet work with the same applications', () => {
    const e = estate(250, 'conventional', 2);
    for (const n of e.networks.filter((x) => x.kind === 'users')) {
      const apps = new Set(
        e.conversations.filter((c) => c.client.type === 'network' && c.client.network === n.name && c.server.type === 'workload' && workloadOf(e, c.server.name).truth.kind === 'application').map((c) => groupOf(e, c.server, c.serverAddr)),
      );
      expect(apps.size).toBeGreaterThan(0);
      expect(apps.size).toBeLessThanOrEqual(5);
    }
  });
});

describe('scanners and sweeps', () => {
  it('probes at least 20 ports of every prod, pre-production and shared host in one night window a week, most of them answered', () => {
    for (const e of SOME) {
      const scanner = e.workloads.find((w) => w.truth.role === 'scanner');
      if (!scanner) throw new Error('no scanner');
      expect(e.scanners).toContain(scanner.name);
      const fromScanner = e.conversations.filter((c) => nameOf(c, 'client') === scanner.name);
      const scans = fromScanner.filter((c) => c.kind === 'scan');
      const steadyHosts = e.workloads.filter((w) => w !== scanner && w.truth.env !== 'dev' && w.bindings.length === 1 && w.bindings[0]?.from === e.start && w.bindings[0]?.to === null);
      const probed = new Map<string, Map<number, Set<number>>>();
      for (const c of scans) {
        const host = nameOf(c, 'server') ?? c.serverAddr;
        const byHour = probed.get(host) ?? new Map<number, Set<number>>();
        for (const h of activeHours(c, e.start, e.end)) byHour.set(h, (byHour.get(h) ?? new Set()).add(c.port));
        probed.set(host, byHour);
      }
      for (const w of steadyHosts) {
        // ports the scanner also uses legitimately on the host are that use, not a probe
        const used = fromScanner.filter((c) => c.kind !== 'scan' && nameOf(c, 'server') === w.name).map((c) => c.port);
        const byHour = probed.get(w.name) ?? new Map<number, Set<number>>();
        expect(byHour.size, w.name).toBe(weeksOf(e).length);
        for (const ports of byHour.values()) expect(new Set([...ports, ...used]).size, w.name).toBeGreaterThanOrEqual(20);
      }
      // the probes of a week fall in one night window of two to six hours
      const hours = [...new Set([...probed.values()].flatMap((byHour) => [...byHour.keys()]))].sort((a, b) => a - b);
      const nights = hours.reduce<number[][]>((runs, h) => {
        const run = runs[runs.length - 1];
        if (run && h - (run[run.length - 1] ?? 0) <= 1) run.push(h);
        else runs.push([h]);
        return runs;
      }, []);
      // a window across Sunday midnight is cut by the data's edges into a partial first and last night
      expect(nights.length).toBeGreaterThanOrEqual(weeksOf(e).length);
      expect(nights.length).toBeLessThanOrEqual(weeksOf(e).length + 1);
      for (const night of nights) expect(night.length).toBeLessThanOrEqual(6);
      for (const h of hours) expect([18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7]).toContain(h % 24);
      expect(scans.filter((c) => c.outcome !== 'dropped').length / scans.length).toBeGreaterThan(0.6);
      expect(scans.filter((c) => c.outcome === 'open').length).toBeGreaterThan(0);
      expect(scans.some((c) => c.server.type === 'dark')).toBe(true);
    }
  });

  it('sweeps every address of the server ranges, dark ones included, and dark ones do not answer', () => {
    for (const e of SOME) {
      const sweeps = e.conversations.filter((c) => c.kind === 'sweep');
      expect(sweeps.every((c) => c.protocol === 1 && c.port === 0)).toBe(true);
      const dark = sweeps.filter((c) => c.server.type === 'dark');
      expect(dark.length).toBeGreaterThan(0);
      expect(dark.every((c) => c.outcome === 'dropped')).toBe(true);
      // addresses no workload holds sit between the ones that do
      const held = new Set(e.workloads.flatMap((w) => w.bindings.map((b) => b.ip)));
      expect(dark.some((c) => held.has(intToIp(cidrRange(`${c.serverAddr}/32`)[0] + 1)))).toBe(true);
    }
  });

  it('gives scans and sweeps no rule, and the scanner only the rules of its own dependencies', () => {
    for (const e of SOME) {
      const policy = minimalPolicy(e, e.start, e.end);
      const scanner = e.workloads.find((w) => w.truth.role === 'scanner');
      if (!scanner) throw new Error('no scanner');
      const group = groupOf(e, { type: 'workload', name: scanner.name }, scanner.bindings[0]?.ip ?? '');
      for (const r of policy.filter((x) => x.from === group)) expect(r.to.startsWith('outside:') || r.to.endsWith('|shared')).toBe(true);
      expect(policy.some((r) => r.from === group)).toBe(true);
      for (const r of policy.filter((x) => x.from === 'internet')) expect(r.to).toMatch(/\|web\|prod$/);
      expect(policy.some((r) => r.to === 'dark')).toBe(false);
      const addresses = scannerAddresses(e);
      expect(addresses.has(scanner.bindings[0]?.ip ?? '')).toBe(true);
      expect(dependencies(e, e.start, e.end).some((d) => d.kind === ('scan' as string) || d.kind === ('sweep' as string))).toBe(false);
    }
  });
});

describe('truth', () => {
  it('names endpoints as the analysis does', () => {
    const e = estate(250, 'conventional', 1);
    const vpn = e.networks.find((n) => n.declared);
    const admin = e.networks.find((n) => n.kind === 'admin');
    if (admin) expect(endpointKey(e, { type: 'network', network: admin.name }, '10.0.0.7')).toBe('10.0.0.7');
    if (vpn) expect(endpointKey(e, { type: 'network', network: vpn.name }, '10.0.0.7')).toBe(vpn.cidr);
    expect(endpointKey(e, { type: 'internet' }, '81.2.3.4')).toBe('0.0.0.0/0');
    expect(endpointKey(e, { type: 'internet' }, '2001:db8::1')).toBe('::/0');
    expect(endpointKey(e, { type: 'outside' }, '8.8.8.8')).toBe('8.8.8.8');
    expect(groupOf(e, { type: 'outside' }, '8.8.8.8')).toBe('outside:8.8.8.8');
    expect(groupOf(e, { type: 'dark' }, '10.0.0.9')).toBe('dark');
  });

  it('counts flows as active hours times records per hour, the same hours as the schedule says', () => {
    const e = estate(250, 'mixed', 3);
    const calendar = new HourCalendar(e.start, e.end);
    const byType = new Map<string, ZooConversation[]>();
    for (const c of e.conversations) byType.set(c.schedule.type, [...(byType.get(c.schedule.type) ?? []), c]);
    for (const list of byType.values()) for (const c of list.slice(0, 200)) expect(calendar.count(c)).toBe(activeHours(c, e.start, e.end).length);
    const week3 = e.end - WEEK;
    const counts = flowCounts(e, week3, e.end);
    const first = counts[0];
    expect(first).toBeDefined();
    expect(counts.every((f) => f.flows > 0)).toBe(true);
    expect(new Set(counts.map((f) => f.kind))).toEqual(new Set(['app', 'cross-app', 'core', 'management', 'people', 'ingress', 'egress', 'scan', 'sweep']));
  });

  it('merges ports per pair of groups in the minimal policy', () => {
    const e = estate(80, 'conventional', 1);
    const policy = minimalPolicy(e, e.start, e.start + 2 * WEEK);
    expect(new Set(policy.map((r) => `${r.from} ${r.to}`)).size).toBe(policy.length);
    for (const r of policy) for (const p of r.ports) expect(p).toMatch(/^(tcp\/\d+|udp\/\d+|icmp)$/);
    expect(policy.some((r) => r.ports.includes('udp/53'))).toBe(true);
    expect(policy.some((r) => r.ports.includes('icmp'))).toBe(true);
  });
});
