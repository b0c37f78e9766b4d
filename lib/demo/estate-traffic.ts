// The estate's conversations, by who has them: each application's tiers, its users, partners and
// outside calls and the applications it calls or reads; internet clients of public fronts; every
// workload's use of the shared core services; management sessions from jump hosts and vCenter.
import { REGIONS } from './catalog';
import type { EstateWorkload } from './estate-types';
import { cont, DEMO_EXPORTERS, HOUR, monthDay, outside, outsideServer, publicAddress, talk, type EstateBuilder } from './estate-builder';
import type { Infrastructure, Instance } from './estate-workloads';
import type { Schedule } from './schedule';

const USERS_CIDR = '10.100.0.0/16';
const PARTNER_CIDR = '203.0.113.0/24';

/** The region suffix of a regional copy of an application ("-eu"), else "". */
export function regionOf(app: string): string {
  const m = /-(\w+)$/.exec(app);
  return m && REGIONS.includes(m[1]!) ? `-${m[1]}` : '';
}

/** Every instance's conversations, in instance order. */
export function addApplicationTraffic(b: EstateBuilder, instances: readonly Instance[]): void {
  const byApp = new Map<string, Instance>();
  for (const inst of instances) byApp.set(`${inst.app}@${inst.env}`, inst);
  for (const inst of instances) {
    addTierTraffic(b, inst);
    addPeopleTraffic(b, inst);
    addCallsBetweenApps(b, inst, byApp);
  }
}

/** Web to api to data stores, workers on their batch schedule, replicas following the primary. */
export function addTierTraffic(b: EstateBuilder, inst: Instance): void {
  const { tpl, members: m } = inst;
  const cachePort = tpl.cachePort ?? 6379;
  const queuePort = tpl.queuePort ?? 5672;
  for (const w of m.web) for (const a of m.api) talk(b, w, a, 6, tpl.apiPort, cont(95), 'app', 2, 4000);
  for (const a of m.api) {
    for (const d of m.db.slice(0, 1)) talk(b, a, d, 6, tpl.dbPort, cont(90), 'app', 2, 6000);
    for (const c of m.cache) talk(b, a, c, 6, cachePort, cont(90), 'app', 2, 800);
    for (const q of m.queue) talk(b, a, q, 6, queuePort, cont(80), 'app', 2, 1200);
  }
  // web tiers without an api talk to the database directly
  if (!m.api.length) for (const w of m.web) for (const d of m.db.slice(0, 1)) talk(b, w, d, 6, tpl.dbPort, cont(90), 'app', 2, 5000);
  const workerDb: Schedule =
    tpl.batch === 'daily' ? { type: 'daily', hour: 1 + (tpl.name.length % 4), hours: 2 } :
    tpl.batch === 'weekly' ? { type: 'weekly', dow: 6, hour: 2, hours: 3 } :
    tpl.batch === 'monthly' ? { type: 'monthly', dom: monthDay(b, 1), hour: 3, hours: 4 } : cont(60);
  for (const w of m.worker) {
    for (const q of m.queue) talk(b, w, q, 6, queuePort, cont(90), 'app', 2, 1200);
    for (const d of m.db.slice(0, 1)) talk(b, w, d, 6, tpl.dbPort, workerDb, 'app', 2, 20000);
    if (!m.queue.length && !m.db.length) for (const a of m.api) talk(b, w, a, 6, tpl.apiPort, cont(50), 'app');
  }
  // replicas follow the primary
  for (const d of m.db.slice(1)) talk(b, d, m.db[0]!, 6, tpl.dbPort, cont(100), 'app', 1, 50000);
}

/** The front tier: dual-stack for the public storefront, users and partners in prod, outside calls of the api. */
export function addPeopleTraffic(b: EstateBuilder, inst: Instance): void {
  const { tpl, members: m, env } = inst;
  const r = b.r;
  const front = m.web.length ? m.web : m.api;
  if (tpl.internet) {
    for (const w of front) {
      const dualStack = env === 'prod' && tpl.name === 'storefront';
      if (dualStack) w.bindings.push({ ip: `2001:db8:10::${(w.bindings[0]!.ip.split('.').map(Number)[3]!).toString(16)}`, from: b.longAgo, to: null });
    }
  }
  if (tpl.users && env === 'prod') {
    for (const w of front) {
      const users = r.int(4, 10);
      for (let i = 0; i < users; i++) outside(b, USERS_CIDR, `10.100.${r.int(1, 40)}.${r.int(2, 250)}`, w, w.name, '', 6, 443, cont(r.int(10, 30), true));
    }
  }
  if (tpl.partner && env === 'prod') for (const a of m.api) outside(b, PARTNER_CIDR, `203.0.113.${r.int(10, 60)}`, a, a.name, '', 6, 8443, cont(40, true), 2);
  if (tpl.egress && env === 'prod') for (const a of m.api) {
    b.conversations.push({
      id: b.nextId++, client: a.name, server: tpl.egress.addr, clientAddr: a.bindings[0]!.ip, serverAddr: tpl.egress.addr, protocol: 6, port: tpl.egress.port,
      schedule: cont(70), from: b.start, to: b.end, fph: Math.max(1, Math.round(2 * b.scale)), bytes: 3000, kind: 'external', failed: false, exporter: DEMO_EXPORTERS.prod,
    });
  }
}

/** Calls to other applications of the same region and environment, and reads of their databases. */
export function addCallsBetweenApps(b: EstateBuilder, inst: Instance, byApp: ReadonlyMap<string, Instance>): void {
  const { tpl, members: m, env } = inst;
  const region = regionOf(inst.app);
  for (const other of tpl.calls ?? []) {
    const dep = byApp.get(`${other}${region}@${env}`);
    if (!dep) continue;
    const callers = m.api.length ? m.api : m.web;
    const callees = dep.members.api.length ? dep.members.api : dep.members.web;
    for (const c of callers) for (const s of callees) talk(b, c, s, 6, dep.tpl.apiPort, cont(70), 'cross-app', 2, 3000);
  }
  if (tpl.reads) {
    const sched: Schedule = tpl.reads.schedule === 'weekly' ? { type: 'weekly', dow: 7, hour: 3, hours: 2 } : tpl.reads.schedule === 'monthly' ? { type: 'monthly', dom: monthDay(b, 2), hour: 4, hours: 3 } : { type: 'daily', hour: 4, hours: 1 };
    const readers = m.worker.length ? m.worker : m.api;
    for (const other of tpl.reads.apps) {
      const dep = byApp.get(`${other}${region}@${env}`);
      const db = dep?.members.db[0];
      if (!db || !dep) continue;
      for (const rd of readers.slice(0, 1)) talk(b, rd, db, 6, dep.tpl.dbPort, sched, 'cross-app', 2, 80000);
    }
  }
}

/** Internet clients (the internet is one endpoint for analysis: "0.0.0.0/0", "::/0") of the public fronts, which it returns. */
export function addInternetClients(b: EstateBuilder, instances: readonly Instance[], nClients: number): EstateWorkload[] {
  const r = b.r;
  const publicFronts = instances.filter((i) => i.tpl.internet && i.env === 'prod').flatMap((i) => (i.members.web.length ? i.members.web : i.members.api));
  for (let i = 0; i < nClients && publicFronts.length; i++) {
    const w = r.pick(publicFronts);
    const v6 = w.bindings.find((x) => x.ip.includes(':'));
    const useV6 = v6 && r.chance(0.3);
    const addr = useV6 ? `2001:db8:${(0xa000 + i).toString(16)}::${r.int(1, 0xfff).toString(16)}` : publicAddress(r);
    const at = Math.floor(b.start / HOUR) + r.int(0, b.days * 24 - 1);
    const sched: Schedule = r.chance(0.5) ? { type: 'once', at, hours: 1 } : { type: 'irregular', pct: r.int(10, 60), hour: r.int(0, 23), hours: r.int(1, 4) };
    const bind = w.bindings.filter((x) => x.ip.includes(':') === Boolean(useV6));
    for (const h of bind) {
      b.conversations.push({
        id: b.nextId++, client: useV6 ? '::/0' : '0.0.0.0/0', server: w.name, clientAddr: addr, serverAddr: h.ip, protocol: 6, port: 443, schedule: sched, from: b.start, to: b.end,
        fph: Math.max(1, Math.round(2 * b.scale)), bytes: 1500, kind: 'external', failed: false, exporter: DEMO_EXPORTERS.prod,
      });
      const serves = 'tcp/443';
      if (!w.serves.includes(serves)) w.serves.push(serves);
    }
  }
  return publicFronts;
}

/** Core services by behaviour: every workload uses them; the services use each other and the internet; backups. */
export function addCoreTraffic(b: EstateBuilder, infra: Infrastructure, business: readonly EstateWorkload[]): void {
  const r = b.r;
  const { dns, ntp, dcs, log, mon, backup, patch, scanner, vcenter, jumps } = infra;
  const everyone = [...business, vcenter, jumps[0]!, jumps[1]!];
  for (const w of everyone) {
    talk(b, w, dns[0]!, 17, 53, cont(80), 'core', 2, 80);
    talk(b, w, dns[1]!, 17, 53, cont(25), 'core', 1, 80);
    talk(b, w, ntp[0]!, 17, 123, cont(90), 'core', 1, 90);
    talk(b, w, log, w.windows ? 6 : 17, w.windows ? 6514 : 514, cont(60), 'core', 2, 3000);
    talk(b, w, r.pick(dcs), 6, 389, cont(40, !w.windows), 'core', 1, 1000);
    if (w.windows) talk(b, w, r.pick(dcs), 6, 88, cont(40), 'core', 1, 600);
    talk(b, mon, w, 6, 9100, cont(100), 'core', 1, 400);
    talk(b, mon, w, 1, 0, cont(50), 'core', 1, 100);
    const patchSched: Schedule = w.env === 'prod' ? { type: 'monthly', dom: 0, hour: 2, hours: 2 } : { type: 'weekly', dow: 3, hour: 3, hours: 1 };
    talk(b, w, patch, 6, 443, patchSched, 'core', 2, 200000);
  }
  for (const c of [...dns, ...ntp, ...dcs, log, mon, backup, patch, scanner, vcenter]) {
    if (c !== dns[0] && c !== dns[1]) talk(b, c, dns[0]!, 17, 53, cont(50), 'core', 1, 80);
    if (c !== ntp[0]) talk(b, c, ntp[0]!, 17, 123, cont(90), 'core', 1, 90);
  }
  // upstream time and name resolution on the internet
  for (const d of dns) outsideServer(b, d, '192.0.2.53', 17, 53, cont(70));
  outsideServer(b, ntp[0]!, '192.0.2.123', 17, 123, cont(100));
  outsideServer(b, patch, '198.51.100.80', 6, 443, { type: 'daily', hour: 0, hours: 1 });
  talk(b, dcs[1]!, dcs[0]!, 6, 389, cont(100), 'core', 1, 5000);
  // backups: nightly from every database, weekly full on Sunday, to an unmanaged NAS
  for (const d of business.filter((w) => w.role === 'db')) talk(b, backup, d, 6, 9102, { type: 'daily', hour: 1, hours: 2 }, 'core', 2, 500);
  outsideServer(b, backup, '10.0.9.9', 6, 2049, { type: 'daily', hour: 3, hours: 2 });
}

/** SSH and RDP/WinRM sessions from jump hosts on some days (not in dev); hypervisors from vCenter. */
export function addManagementTraffic(b: EstateBuilder, infra: Infrastructure, business: readonly EstateWorkload[]): void {
  const { jumps, esx, vcenter, mon } = infra;
  for (const w of business) {
    if (w.env === 'dev') continue;
    if (w.windows) {
      talk(b, jumps[1]!, w, 6, 3389, { type: 'irregular', pct: 15, hour: 9 + (w.name.length % 6), hours: 2 }, 'management');
      talk(b, jumps[1]!, w, 6, 5985, { type: 'irregular', pct: 10, hour: 14, hours: 1 }, 'management');
    } else {
      talk(b, jumps[0]!, w, 6, 22, { type: 'irregular', pct: 15, hour: 9 + (w.name.length % 7), hours: 1 }, 'management');
    }
  }
  for (const h of esx) {
    talk(b, vcenter, h, 6, 902, cont(100), 'app', 1, 2000);
    talk(b, vcenter, h, 6, 443, cont(100), 'app', 1, 2000);
    talk(b, jumps[0]!, h, 6, 22, { type: 'irregular', pct: 10, hour: 11, hours: 1 }, 'management');
    talk(b, mon, h, 6, 9100, cont(100), 'core', 1, 400);
  }
  talk(b, jumps[0]!, vcenter, 6, 443, { type: 'irregular', pct: 40, hour: 10, hours: 3 }, 'management');
}
