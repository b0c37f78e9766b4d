// A generated estate with its ground truth: environments of tiered applications, the shared core
// services everyone uses, jump hosts, hypervisors, scanners, users and internet clients, partner
// and outside services, addresses that change hands, and weeks of conversations with realistic
// rhythms (continuous, business hours, nightly, weekly, monthly, once).
//
// The estate is a description: workloads with their address history and labels (what inventory
// would say), named networks, and conversation specs (who talks to whom on which port, when, how
// much). ./flows.ts expands the specs into flow records inside ClickHouse; ./truth.ts derives the
// dependencies a correct analysis must find in a window. Same seed, same estate.
import type { CoreServiceKind, Role } from '../analysis/types';
import { APPS, REGIONS, ROLE_TOKENS, SCAN_PORTS, type AppTemplate } from './catalog';
import { random, type Random } from './random';
import type { Schedule } from './schedule';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface EstateOptions {
  seed?: number;
  /** approximate number of workloads (default 300) */
  workloads?: number;
  /** days of flows (default 35: a 30-day window plus enough history to see monthly jobs twice) */
  days?: number;
  /** end of the data (default: now, aligned down to the hour) */
  end?: Date;
  /** share of applications whose inventory carries app/env/role labels (default 0.4) */
  labeledShare?: number;
  /** share of applications with conventional hostnames like orders-api-02 (default 0.6) */
  conventionalNames?: number;
  /** addresses handed to another workload during the window (default max(4, 1.5% of workloads)) */
  reusedAddresses?: number;
  /** distinct internet client addresses (default workloads) */
  internetClients?: number;
  /** flow records per active hour are multiplied by this (default 1); the benchmark raises it */
  flowScale?: number;
}

export interface EstateWorkload {
  name: string;
  kind: 'vm' | 'instance' | 'host';
  /** truth: prod | staging | dev | shared */
  env: string;
  /** truth: application name */
  app: string;
  role: Role;
  coreService: CoreServiceKind | null;
  windows: boolean;
  /** what inventory reports (app/env/role for labelled applications) */
  labels: Record<string, string>;
  /** address history (epoch ms; to null = still held) */
  bindings: Array<{ ip: string; from: number; to: number | null }>;
  /** ports it serves as "protocol/port" (truth, used for scanners' open ports) */
  serves: string[];
}

export interface EstateNetwork {
  name: string;
  kind: string;
  cidrs: string[];
}

export type ConversationKind = 'app' | 'cross-app' | 'core' | 'management' | 'external' | 'scan' | 'noise';

export interface ConversationSpec {
  id: number;
  /** truth endpoint keys: a workload name, a named network CIDR, "0.0.0.0/0"/"::/0" (internet clients), or an address */
  client: string;
  server: string;
  clientAddr: string;
  serverAddr: string;
  protocol: number;
  port: number;
  /** scans: the ports probed (then `port` is unused) and those that answer */
  ports?: number[];
  open?: number[];
  schedule: Schedule;
  /** validity, epoch ms, hour aligned: [from, to) */
  from: number;
  to: number;
  /** flow records per active hour */
  fph: number;
  /** mean bytes client -> server per flow */
  bytes: number;
  kind: ConversationKind;
  /** every attempt goes unanswered (TCP SYN only) */
  failed: boolean;
  exporter: string;
}

export interface Estate {
  seed: number;
  /** data span, epoch ms, hour aligned */
  start: number;
  end: number;
  workloads: EstateWorkload[];
  networks: EstateNetwork[];
  conversations: ConversationSpec[];
  exporters: Array<{ name: string; gaps: Array<{ from: number; to: number }> }>;
  /** scanning endpoints: workload names and outside addresses */
  scanners: string[];
  /** addresses that changed hands: before and after are workload names */
  reused: Array<{ ip: string; before: string; after: string; at: number }>;
}

type Tier = 'web' | 'api' | 'worker' | 'db' | 'cache' | 'queue';
const TIERS: readonly Tier[] = ['web', 'api', 'worker', 'db', 'cache', 'queue'];
const ENV_SUBNET: Record<string, number> = { prod: 10, staging: 20, dev: 30 };
const ENV_SUFFIX: Record<string, string> = { prod: '', staging: '-stg', dev: '-dev' };
export const DEMO_EXPORTERS = { prod: 'demo-prod-core', staging: 'demo-staging-core', dev: 'demo-dev-core', shared: 'demo-shared-core' } as const;

export const NETWORKS: readonly EstateNetwork[] = [
  { name: 'corp-users', kind: 'user', cidrs: ['10.100.0.0/16'] },
  { name: 'partner-acme', kind: 'partner', cidrs: ['203.0.113.0/24'] },
];
const USERS_CIDR = '10.100.0.0/16';
const PARTNER_CIDR = '203.0.113.0/24';

export function generateEstate(opts: EstateOptions = {}): Estate {
  const seed = opts.seed ?? 1;
  const r = random(seed);
  const target = Math.max(40, opts.workloads ?? 300);
  const days = Math.max(2, opts.days ?? 35);
  const end = Math.floor((opts.end?.getTime() ?? Date.now()) / HOUR) * HOUR;
  const start = end - days * DAY;
  const labeledShare = opts.labeledShare ?? 0.4;
  const conventional = opts.conventionalNames ?? 0.6;
  const scale = opts.flowScale ?? 1;
  const longAgo = start - 90 * DAY;

  const workloads: EstateWorkload[] = [];
  const byName = new Map<string, EstateWorkload>();
  const nextHost: Record<string, number> = { prod: 0, staging: 0, dev: 0, shared: 0 };
  const addrOf = (env: string): string => {
    const n = ++nextHost[env]!;
    if (env === 'shared') return `10.0.${Math.floor(n / 250)}.${(n % 250) + 2}`;
    return `10.${ENV_SUBNET[env]}.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  };
  const add = (w: Omit<EstateWorkload, 'bindings' | 'serves'> & { ip?: string }): EstateWorkload => {
    const wl: EstateWorkload = { ...w, bindings: [{ ip: w.ip ?? addrOf(w.env), from: longAgo, to: null }], serves: [] };
    delete (wl as { ip?: string }).ip;
    if (byName.has(wl.name)) throw new Error(`duplicate workload name ${wl.name}`);
    workloads.push(wl);
    byName.set(wl.name, wl);
    return wl;
  };

  /** machine names are random: draw again until unused (names are unique across an estate) */
  const freshOpaque = (style: number, ip: string, windows: boolean) => {
    for (;;) {
      const n = opaqueName(r, style, ip, windows);
      if (!byName.has(n)) return n;
      style = (style + 1) % 2;
    }
  };

  // --- shared infrastructure --------------------------------------------------------------
  const coreLabeled = r.chance(0.5);
  const core = (name: string, kind: CoreServiceKind, app: string) =>
    add({ name, kind: 'vm', env: 'shared', app, role: 'core', coreService: kind, windows: kind === 'directory', labels: coreLabeled ? { app, env: 'shared', role: 'core' } : {} });
  const dns = [core('dns-01', 'dns', 'dns'), core('dns-02', 'dns', 'dns')];
  const ntp = [core('ntp-01', 'ntp', 'ntp')];
  const dcs = [core('dc-01', 'directory', 'directory'), core('dc-02', 'directory', 'directory')];
  const log = core('log-01', 'logging', 'logging');
  const mon = core('mon-01', 'monitoring', 'monitoring');
  const backup = core('backup-01', 'backup', 'backup');
  const patch = core('patch-01', 'patching', 'patching');
  const jumps = [
    add({ name: 'jump-01', kind: 'vm', env: 'shared', app: 'jump-hosts', role: 'management', coreService: null, windows: false, labels: {} }),
    add({ name: 'jump-02', kind: 'vm', env: 'shared', app: 'jump-hosts', role: 'management', coreService: null, windows: true, labels: {} }),
  ];
  const vcenter = add({ name: 'vcenter-01', kind: 'vm', env: 'shared', app: 'virtualization', role: 'api', coreService: null, windows: false, labels: {} });
  const esx = [1, 2, 3, 4].map((i) => add({ name: `esx-0${i}`, kind: 'host', env: 'shared', app: 'virtualization', role: 'api', coreService: null, windows: false, labels: {} }));
  const scanner = add({ name: 'sec-scan-01', kind: 'vm', env: 'shared', app: 'security-scanning', role: 'scanner', coreService: null, windows: false, labels: {} });

  // --- business applications ---------------------------------------------------------------
  interface Instance {
    tpl: AppTemplate;
    app: string;
    env: string;
    members: Record<Tier, EstateWorkload[]>;
  }
  const instances: Instance[] = [];
  const infraCount = workloads.length;
  const budget = target - infraCount;
  let made = 0;
  outer: for (let round = 0; round <= REGIONS.length; round++) {
    for (const tpl of APPS) {
      const app = round === 0 ? tpl.name : `${tpl.name}-${REGIONS[round - 1]}`;
      const envs = ['prod', ...(r.chance(0.6) ? ['staging'] : []), ...(r.chance(0.4) ? ['dev'] : [])];
      const labeled = r.chance(labeledShare);
      const named = r.chance(conventional);
      const style = r.int(0, 2);
      for (const env of envs) {
        const members = { web: [], api: [], worker: [], db: [], cache: [], queue: [] } as Record<Tier, EstateWorkload[]>;
        for (const tier of TIERS) {
          const n = tpl[tier];
          const count = n === 0 ? 0 : env === 'prod' ? n : env === 'staging' ? Math.ceil(n / 2) : 1;
          for (let i = 1; i <= count; i++) {
            const ip = addrOf(env);
            const name = named
              ? `${app}-${ROLE_TOKENS[tier]![(app.length + i) % ROLE_TOKENS[tier]!.length]}-${String(i).padStart(2, '0')}${ENV_SUFFIX[env]}`
              : freshOpaque(style, ip, tpl.windows ?? false);
            const labels: Record<string, string> = labeled ? { app, env, role: tier } : r.chance(0.3) ? { env } : {};
            members[tier].push(add({ name, kind: r.chance(0.2) ? 'instance' : 'vm', env, app, role: tier, coreService: null, windows: tpl.windows ?? false, labels, ip }));
            made++;
          }
        }
        instances.push({ tpl, app, env, members });
      }
      if (made >= budget) break outer;
    }
  }

  // --- conversations ----------------------------------------------------------------------
  const conversations: ConversationSpec[] = [];
  let nextId = 1;
  const exporterOf = (w: EstateWorkload | null, fallback: string) => (w ? DEMO_EXPORTERS[w.env as keyof typeof DEMO_EXPORTERS] : fallback);
  /** one spec per overlapping pair of address holdings of client and server */
  const talk = (client: EstateWorkload, server: EstateWorkload, protocol: number, port: number, schedule: Schedule, kind: ConversationKind, fph = 1, bytes = 2000) => {
    const serves = `${protoName(protocol)}/${port}`;
    if (!server.serves.includes(serves)) server.serves.push(serves);
    for (const cb of client.bindings) {
      for (const sb of server.bindings) {
        const from = Math.max(start, cb.from, sb.from);
        const to = Math.min(end, cb.to ?? end, sb.to ?? end);
        if (to <= from) continue;
        conversations.push({
          id: nextId++, client: client.name, server: server.name, clientAddr: cb.ip, serverAddr: sb.ip, protocol, port, schedule, from, to,
          fph: Math.max(1, Math.round(fph * scale)), bytes, kind, failed: false, exporter: exporterOf(client.env === 'shared' ? server : client, DEMO_EXPORTERS.shared),
        });
      }
    }
  };
  const outside = (client: string, clientAddr: string, server: EstateWorkload | null, serverKey: string, serverAddr: string, protocol: number, port: number, schedule: Schedule, fph = 1, extra: Partial<ConversationSpec> = {}) => {
    if (server) {
      const serves = `${protoName(protocol)}/${port}`;
      if (!server.serves.includes(serves)) server.serves.push(serves);
    }
    const b = server ? server.bindings : [{ ip: serverAddr, from: start, to: null }];
    for (const sb of b) {
      const from = Math.max(start, sb.from);
      const to = Math.min(end, sb.to ?? end);
      if (to <= from) continue;
      conversations.push({
        id: nextId++, client, server: serverKey, clientAddr, serverAddr: sb.ip, protocol, port, schedule, from, to, fph: Math.max(1, Math.round(fph * scale)), bytes: 1500,
        kind: 'external', failed: false, exporter: exporterOf(server, DEMO_EXPORTERS.shared), ...extra,
      });
    }
  };

  const cont = (pct: number, businessHours = false): Schedule => ({ type: 'continuous', pct, businessHours });
  // monthly jobs run on a day of the month the data holds twice when it spans more than a month
  const monthDay = (offsetDays: number) => Math.min(28, new Date(start + offsetDays * DAY).getUTCDate());
  const byApp = new Map<string, Instance>();
  for (const inst of instances) byApp.set(`${inst.app}@${inst.env}`, inst);
  const regionOf = (app: string) => {
    const m = /-(\w+)$/.exec(app);
    return m && REGIONS.includes(m[1]!) ? `-${m[1]}` : '';
  };

  for (const inst of instances) {
    const { tpl, members: m, env } = inst;
    const front = m.web.length ? m.web : m.api;
    const cachePort = tpl.cachePort ?? 6379;
    const queuePort = tpl.queuePort ?? 5672;
    for (const w of m.web) for (const a of m.api) talk(w, a, 6, tpl.apiPort, cont(95), 'app', 2, 4000);
    for (const a of m.api) {
      for (const d of m.db.slice(0, 1)) talk(a, d, 6, tpl.dbPort, cont(90), 'app', 2, 6000);
      for (const c of m.cache) talk(a, c, 6, cachePort, cont(90), 'app', 2, 800);
      for (const q of m.queue) talk(a, q, 6, queuePort, cont(80), 'app', 2, 1200);
    }
    // web tiers without an api talk to the database directly
    if (!m.api.length) for (const w of m.web) for (const d of m.db.slice(0, 1)) talk(w, d, 6, tpl.dbPort, cont(90), 'app', 2, 5000);
    const workerDb: Schedule =
      tpl.batch === 'daily' ? { type: 'daily', hour: 1 + (tpl.name.length % 4), hours: 2 } :
      tpl.batch === 'weekly' ? { type: 'weekly', dow: 6, hour: 2, hours: 3 } :
      tpl.batch === 'monthly' ? { type: 'monthly', dom: monthDay(1), hour: 3, hours: 4 } : cont(60);
    for (const w of m.worker) {
      for (const q of m.queue) talk(w, q, 6, queuePort, cont(90), 'app', 2, 1200);
      for (const d of m.db.slice(0, 1)) talk(w, d, 6, tpl.dbPort, workerDb, 'app', 2, 20000);
      if (!m.queue.length && !m.db.length) for (const a of m.api) talk(w, a, 6, tpl.apiPort, cont(50), 'app');
    }
    // replicas follow the primary
    for (const d of m.db.slice(1)) talk(d, m.db[0]!, 6, tpl.dbPort, cont(100), 'app', 1, 50000);
    // people and the outside world
    if (tpl.internet) {
      for (const w of front) {
        const dualStack = env === 'prod' && tpl.name === 'storefront';
        if (dualStack) w.bindings.push({ ip: `2001:db8:10::${(w.bindings[0]!.ip.split('.').map(Number)[3]!).toString(16)}`, from: longAgo, to: null });
      }
    }
    if (tpl.users && env === 'prod') {
      for (const w of front) {
        const users = r.int(4, 10);
        for (let i = 0; i < users; i++) outside(USERS_CIDR, `10.100.${r.int(1, 40)}.${r.int(2, 250)}`, w, w.name, '', 6, 443, cont(r.int(10, 30), true));
      }
    }
    if (tpl.partner && env === 'prod') for (const a of m.api) outside(PARTNER_CIDR, `203.0.113.${r.int(10, 60)}`, a, a.name, '', 6, 8443, cont(40, true), 2);
    if (tpl.egress && env === 'prod') for (const a of m.api) {
      conversations.push({
        id: nextId++, client: a.name, server: tpl.egress.addr, clientAddr: a.bindings[0]!.ip, serverAddr: tpl.egress.addr, protocol: 6, port: tpl.egress.port,
        schedule: cont(70), from: start, to: end, fph: Math.max(1, Math.round(2 * scale)), bytes: 3000, kind: 'external', failed: false, exporter: DEMO_EXPORTERS.prod,
      });
    }
    // other applications of the same region and environment
    const region = regionOf(inst.app);
    for (const other of tpl.calls ?? []) {
      const dep = byApp.get(`${other}${region}@${env}`);
      if (!dep) continue;
      const callers = m.api.length ? m.api : m.web;
      const callees = dep.members.api.length ? dep.members.api : dep.members.web;
      for (const c of callers) for (const s of callees) talk(c, s, 6, dep.tpl.apiPort, cont(70), 'cross-app', 2, 3000);
    }
    if (tpl.reads) {
      const sched: Schedule = tpl.reads.schedule === 'weekly' ? { type: 'weekly', dow: 7, hour: 3, hours: 2 } : tpl.reads.schedule === 'monthly' ? { type: 'monthly', dom: monthDay(2), hour: 4, hours: 3 } : { type: 'daily', hour: 4, hours: 1 };
      const readers = m.worker.length ? m.worker : m.api;
      for (const other of tpl.reads.apps) {
        const dep = byApp.get(`${other}${region}@${env}`);
        const db = dep?.members.db[0];
        if (!db || !dep) continue;
        for (const rd of readers.slice(0, 1)) talk(rd, db, 6, dep.tpl.dbPort, sched, 'cross-app', 2, 80000);
      }
    }
  }
  // internet clients: the internet as a whole is one endpoint for analysis ("0.0.0.0/0", "::/0")
  const publicFronts = instances.filter((i) => i.tpl.internet && i.env === 'prod').flatMap((i) => (i.members.web.length ? i.members.web : i.members.api));
  const nClients = opts.internetClients ?? target;
  for (let i = 0; i < nClients && publicFronts.length; i++) {
    const w = r.pick(publicFronts);
    const v6 = w.bindings.find((b) => b.ip.includes(':'));
    const useV6 = v6 && r.chance(0.3);
    const addr = useV6 ? `2001:db8:${(0xa000 + i).toString(16)}::${r.int(1, 0xfff).toString(16)}` : publicAddress(r);
    const at = Math.floor(start / HOUR) + r.int(0, days * 24 - 1);
    const sched: Schedule = r.chance(0.5) ? { type: 'once', at, hours: 1 } : { type: 'irregular', pct: r.int(10, 60), hour: r.int(0, 23), hours: r.int(1, 4) };
    const bind = w.bindings.filter((b) => b.ip.includes(':') === Boolean(useV6));
    for (const b of bind) {
      conversations.push({
        id: nextId++, client: useV6 ? '::/0' : '0.0.0.0/0', server: w.name, clientAddr: addr, serverAddr: b.ip, protocol: 6, port: 443, schedule: sched, from: start, to: end,
        fph: Math.max(1, Math.round(2 * scale)), bytes: 1500, kind: 'external', failed: false, exporter: DEMO_EXPORTERS.prod,
      });
      const serves = 'tcp/443';
      if (!w.serves.includes(serves)) w.serves.push(serves);
    }
  }

  // core services, by behaviour: every workload uses them
  const business = instances.flatMap((i) => TIERS.flatMap((t) => i.members[t]));
  const everyone = [...business, vcenter, jumps[0]!, jumps[1]!, ...esx.slice(0, 0)];
  for (const w of everyone) {
    talk(w, dns[0]!, 17, 53, cont(80), 'core', 2, 80);
    talk(w, dns[1]!, 17, 53, cont(25), 'core', 1, 80);
    talk(w, ntp[0]!, 17, 123, cont(90), 'core', 1, 90);
    talk(w, log, w.windows ? 6 : 17, w.windows ? 6514 : 514, cont(60), 'core', 2, 3000);
    talk(w, r.pick(dcs), 6, 389, cont(40, !w.windows), 'core', 1, 1000);
    if (w.windows) talk(w, r.pick(dcs), 6, 88, cont(40), 'core', 1, 600);
    talk(mon, w, 6, 9100, cont(100), 'core', 1, 400);
    talk(mon, w, 1, 0, cont(50), 'core', 1, 100);
    const patchSched: Schedule = w.env === 'prod' ? { type: 'monthly', dom: 0, hour: 2, hours: 2 } : { type: 'weekly', dow: 3, hour: 3, hours: 1 };
    talk(w, patch, 6, 443, patchSched, 'core', 2, 200000);
  }
  for (const c of [...dns, ...ntp, ...dcs, log, mon, backup, patch, scanner, vcenter]) {
    if (c !== dns[0] && c !== dns[1]) talk(c, dns[0]!, 17, 53, cont(50), 'core', 1, 80);
    if (c !== ntp[0]) talk(c, ntp[0]!, 17, 123, cont(90), 'core', 1, 90);
  }
  // upstream time and name resolution on the internet
  for (const d of dns) conversations.push(outsideServer(nextId++, d, '192.0.2.53', 17, 53, cont(70), start, end, scale));
  conversations.push(outsideServer(nextId++, ntp[0]!, '192.0.2.123', 17, 123, cont(100), start, end, scale));
  conversations.push(outsideServer(nextId++, patch, '198.51.100.80', 6, 443, { type: 'daily', hour: 0, hours: 1 }, start, end, scale));
  talk(dcs[1]!, dcs[0]!, 6, 389, cont(100), 'core', 1, 5000);
  // backups: nightly from every database, weekly full on Sunday, to an unmanaged NAS
  for (const d of business.filter((w) => w.role === 'db')) talk(backup, d, 6, 9102, { type: 'daily', hour: 1, hours: 2 }, 'core', 2, 500);
  conversations.push(outsideServer(nextId++, backup, '10.0.9.9', 6, 2049, { type: 'daily', hour: 3, hours: 2 }, start, end, scale));
  // management: SSH and RDP/WinRM sessions from jump hosts on some days, hypervisors from vCenter
  for (const w of business) {
    if (w.env === 'dev') continue;
    if (w.windows) {
      talk(jumps[1]!, w, 6, 3389, { type: 'irregular', pct: 15, hour: 9 + (w.name.length % 6), hours: 2 }, 'management');
      talk(jumps[1]!, w, 6, 5985, { type: 'irregular', pct: 10, hour: 14, hours: 1 }, 'management');
    } else {
      talk(jumps[0]!, w, 6, 22, { type: 'irregular', pct: 15, hour: 9 + (w.name.length % 7), hours: 1 }, 'management');
    }
  }
  for (const h of esx) {
    talk(vcenter, h, 6, 902, cont(100), 'app', 1, 2000);
    talk(vcenter, h, 6, 443, cont(100), 'app', 1, 2000);
    talk(jumps[0]!, h, 6, 22, { type: 'irregular', pct: 10, hour: 11, hours: 1 }, 'management');
    talk(mon, h, 6, 9100, cont(100), 'core', 1, 400);
  }
  talk(jumps[0]!, vcenter, 6, 443, { type: 'irregular', pct: 40, hour: 10, hours: 3 }, 'management');

  // --- addresses that change hands ----------------------------------------------------------
  // A workload is retired and its address goes to a new workload of another application some
  // hours later: conversations before the handover belong to the old one, after it to the new.
  const reused: Estate['reused'] = [];
  const nReuse = opts.reusedAddresses ?? Math.max(4, Math.round(target * 0.015));
  const candidates = r.shuffle(business.filter((w) => w.env !== 'prod' && w.role !== 'db'));
  const takers = candidates.splice(0, Math.min(nReuse, Math.floor(candidates.length / 2)));
  for (const old of takers) {
    const sameEnv = instances.filter((i) => i.env === old.env && i.app !== old.app);
    if (!sameEnv.length) continue;
    const inst = r.pick(sameEnv);
    const tier: Tier = inst.members.api.length ? 'api' : 'web';
    const peers = inst.members[tier];
    if (!peers.length) continue;
    const template = peers[0]!;
    const at = Math.floor((start + DAY * r.int(Math.ceil(days * 0.3), Math.floor(days * 0.7))) / HOUR) * HOUR;
    const ip = old.bindings[0]!.ip;
    retire(old, at, conversations);
    const newName = inst.tpl && /-\d\d(-\w+)?$/.test(template.name)
      ? template.name.replace(/-(\d\d)(-\w+)?$/, (_m, _n, sfx) => `-${String(peers.length + 1).padStart(2, '0')}${sfx ?? ''}`)
      : freshOpaque(r.int(0, 2), ip, template.windows);
    const fresh = add({ name: byName.has(newName) ? `${newName}-b` : newName, kind: template.kind, env: old.env, app: template.app, role: template.role, coreService: null, windows: template.windows, labels: { ...template.labels }, ip });
    fresh.bindings[0]!.from = at + 6 * HOUR;
    peers.push(fresh);
    // the newcomer does what its tier does: copy the template's conversations from its start
    const copy = conversations.filter((c) => c.client === template.name || c.server === template.name);
    for (const c of copy) {
      if (c.kind === 'scan' || c.kind === 'noise') continue;
      const asClient = c.client === template.name;
      const from = Math.max(c.from, fresh.bindings[0]!.from);
      if (from >= c.to) continue;
      conversations.push({ ...c, id: nextId++, client: asClient ? fresh.name : c.client, server: asClient ? c.server : fresh.name, clientAddr: asClient ? ip : c.clientAddr, serverAddr: asClient ? c.serverAddr : ip, from });
    }
    for (const s of template.serves) if (!fresh.serves.includes(s)) fresh.serves.push(s);
    reused.push({ ip, before: old.name, after: fresh.name, at });
  }
  // A few production instances are rebuilt with a new address (no reuse): the workload keeps its identity.
  for (const w of r.sample(business.filter((b) => b.env === 'prod' && b.role === 'api'), Math.max(1, Math.round(nReuse / 2)))) {
    const at = Math.floor((start + DAY * r.int(5, days - 5)) / HOUR) * HOUR;
    const oldIp = w.bindings[0]!.ip;
    const newIp = addrOf(w.env);
    w.bindings[0]!.to = at;
    w.bindings.push({ ip: newIp, from: at, to: null });
    const mine = conversations.filter((c) => (c.client === w.name && c.clientAddr === oldIp) || (c.server === w.name && c.serverAddr === oldIp));
    for (const c of mine) {
      const asClient = c.client === w.name;
      if (c.to > at) conversations.push({ ...c, id: nextId++, from: Math.max(c.from, at), clientAddr: asClient ? newIp : c.clientAddr, serverAddr: asClient ? c.serverAddr : newIp });
      c.to = Math.min(c.to, at);
    }
  }

  // --- scanners and noise -------------------------------------------------------------------
  const targets = workloads.filter((w) => w.env !== 'dev' && w !== scanner);
  for (const t of targets) {
    const b = t.bindings[t.bindings.length - 1]!;
    const open = SCAN_PORTS.filter((p) => t.serves.includes(`tcp/${p}`));
    conversations.push({
      id: nextId++, client: scanner.name, server: t.name, clientAddr: scanner.bindings[0]!.ip, serverAddr: b.ip, protocol: 6, port: 0, ports: SCAN_PORTS, open,
      schedule: { type: 'weekly', dow: 6, hour: 22, hours: 1 }, from: Math.max(start, b.from), to: Math.min(end, b.to ?? end), fph: 1, bytes: 60, kind: 'scan', failed: true, exporter: exporterOf(t, DEMO_EXPORTERS.shared),
    });
  }
  const externalScanner = '192.0.2.66';
  for (const w of publicFronts) {
    for (const b of w.bindings.filter((x) => !x.ip.includes(':'))) {
      conversations.push({
        id: nextId++, client: externalScanner, server: w.name, clientAddr: externalScanner, serverAddr: b.ip, protocol: 6, port: 0, ports: SCAN_PORTS, open: [443],
        schedule: { type: 'irregular', pct: 30, hour: 3, hours: 1 }, from: Math.max(start, b.from), to: Math.min(end, b.to ?? end), fph: 1, bytes: 60, kind: 'scan', failed: true, exporter: DEMO_EXPORTERS.prod,
      });
    }
  }
  // a slow scanner: a dozen probes a day from the internet, each to a different host and port
  const slow = '192.0.2.99';
  const slowTargets = targets.filter((w) => w.env === 'prod');
  for (let d = 0; d < days && slowTargets.length; d++) {
    for (let i = 0; i < 12; i++) {
      const t = r.pick(slowTargets);
      const b = t.bindings[t.bindings.length - 1]!;
      const at = Math.floor(start / HOUR) + d * 24 + r.int(0, 23);
      if (at * HOUR < b.from || (b.to !== null && at * HOUR >= b.to)) continue;
      const port = r.pick(SCAN_PORTS.filter((p) => !t.serves.includes(`tcp/${p}`)));
      conversations.push({
        id: nextId++, client: slow, server: t.name, clientAddr: slow, serverAddr: b.ip, protocol: 6, port, schedule: { type: 'once', at, hours: 1 },
        from: start, to: end, fph: 1, bytes: 60, kind: 'scan', failed: true, exporter: DEMO_EXPORTERS.prod,
      });
    }
  }
  // orientation noise: a few records whose "server port" is the client's ephemeral port
  const noiseCount = Math.max(20, Math.round(target / 3));
  for (let i = 0; i < noiseCount; i++) {
    const a = r.pick(business);
    const b = r.pick(business);
    if (a === b) continue;
    const at = Math.floor(start / HOUR) + r.int(0, days * 24 - 1);
    const ab = a.bindings.find((x) => x.from <= at * HOUR && (x.to === null || x.to > at * HOUR));
    const bb = b.bindings.find((x) => x.from <= at * HOUR && (x.to === null || x.to > at * HOUR) && !x.ip.includes(':'));
    if (!ab || !bb || ab.ip.includes(':')) continue;
    conversations.push({
      id: nextId++, client: a.name, server: b.name, clientAddr: ab.ip, serverAddr: bb.ip, protocol: r.chance(0.7) ? 6 : 17, port: r.int(32768, 60999),
      schedule: { type: 'once', at, hours: 1 }, from: start, to: end, fph: 1, bytes: 300, kind: 'noise', failed: false, exporter: exporterOf(a, DEMO_EXPORTERS.shared),
    });
  }

  // one collector went quiet for a maintenance window: coverage must show the gap
  const gapAt = Math.floor((end - Math.max(3, Math.round(days / 3)) * DAY) / DAY) * DAY + 2 * HOUR;
  const exporters = Object.values(DEMO_EXPORTERS).map((name) => ({ name, gaps: name === DEMO_EXPORTERS.dev ? [{ from: gapAt, to: gapAt + 8 * HOUR }] : [] }));

  return {
    seed, start, end, workloads, networks: [...NETWORKS], conversations, exporters,
    scanners: [scanner.name, externalScanner, slow], reused,
  };
}

function retire(w: EstateWorkload, at: number, conversations: ConversationSpec[]) {
  for (const b of w.bindings) if (b.to === null || b.to > at) b.to = at;
  for (const c of conversations) if ((c.client === w.name || c.server === w.name) && c.to > at) c.to = Math.max(c.from, at);
}

function outsideServer(id: number, client: EstateWorkload, addr: string, protocol: number, port: number, schedule: Schedule, start: number, end: number, scale: number): ConversationSpec {
  return {
    id, client: client.name, server: addr, clientAddr: client.bindings[0]!.ip, serverAddr: addr, protocol, port, schedule, from: start, to: end,
    fph: Math.max(1, Math.round(scale)), bytes: 500, kind: 'external', failed: false, exporter: DEMO_EXPORTERS.shared,
  };
}

function protoName(p: number) {
  return p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 1 ? 'icmp' : String(p);
}

/** Hostnames of estates without conventions: random VM ids, numbered servers, cloud-style names. */
function opaqueName(r: Random, style: number, ip: string, windows: boolean): string {
  if (windows) return `WIN-${r.int(0x1000000, 0xfffffff).toString(36).toUpperCase()}`;
  if (style === 0) return `vm-${r.int(0x10000, 0xfffff).toString(16)}`;
  if (style === 1) return `srv${r.int(1000, 9999)}`;
  return `ip-${ip.replaceAll('.', '-')}`;
}

/** A public unicast address outside the private, shared, documentation and reserved ranges. */
function publicAddress(r: Random): string {
  for (;;) {
    const a = r.int(1, 223);
    if ([10, 100, 127, 169, 172, 192, 198, 203].includes(a)) continue;
    return `${a}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  }
}
