// Scanners and sweeps (docs/estate-zoo.md, "Scanners and what looks like them"): the authorized
// vulnerability scanner's weekly night, the discovery ping sweep of every server address, and in
// some estates a scanner on the internet probing the public web tiers.
import { ipToInt, type ServerPlan } from './addresses';
import { SCAN_PORTS } from './catalog';
import { HOUR, ICMP, TCP, outsider, type Holding } from './conversations';
import type { Schedule, ZooConversation } from './model';
import { activeHours } from './schedule';
import { deploymentOf, machinesOf, tierOf, type Machine } from './skeleton';
import type { TrafficContext } from './traffic';

const SCANNED_ENVS = ['prod', 'staging', 'shared'] as const;

const firstAddress = (m: Machine) => ipToInt(m.workload.bindings[0]?.ip ?? '0.0.0.0');

function probeOutcome(ctx: TrafficContext, m: Machine, port: number): ZooConversation['outcome'] {
  if (m.serves.has(port)) return 'open';
  // without a host firewall the stack resets; a few probes still die in network filters
  return m.dropsUnserved || ctx.rng.chance(0.08) ? 'dropped' : 'reset';
}

/** Once a week at night the scanner walks every host in address order, each within one hour of its window. */
function vulnerabilityScan(ctx: TrafficContext, plan: ServerPlan): void {
  const { rng, log, skeleton, practices: p } = ctx;
  const scanner = skeleton.core.scanner.machines[0];
  if (!scanner) return;
  const hosts = skeleton.teams
    .flatMap(machinesOf)
    .filter((m) => (SCANNED_ENVS as readonly string[]).includes(m.tier.deployment.env))
    .sort((a, b) => firstAddress(a) - firstAddress(b));
  const dark = rng.sample(plan.darkAddresses(SCANNED_ENVS), Math.round(5 + 15 * ctx.scale)).sort((a, b) => ipToInt(a) - ipToInt(b));
  const total = hosts.length + dark.length;
  const slot = (i: number): Schedule => {
    const at = p.scan.hour + Math.floor((i * p.scan.hours) / total);
    return { type: 'weekly', dow: at >= 24 ? (p.scan.dow % 7) + 1 : p.scan.dow, hour: at % 24, hours: 1 };
  };
  hosts.forEach((m, i) => {
    const schedule = slot(i);
    for (const port of p.scan.ports) log.link('scan', scanner, m, { protocol: TCP, port, schedule, perHour: 1, bytes: 60, outcome: probeOutcome(ctx, m, port) });
  });
  dark.forEach((ip, i) => {
    const schedule = slot(hosts.length + i);
    const target = outsider({ type: 'dark' }, ip, ctx.start, ctx.end);
    for (const port of p.scan.ports) log.link('scan', scanner, target, { protocol: TCP, port, schedule, perHour: 1, bytes: 60, outcome: 'dropped' });
  });
}

/** Who holds an address when: its holders' periods and the gaps between them (dark). */
function timeline(ctx: TrafficContext, ip: string, holders: Array<{ name: string; from: number; to: number }>): Holding[] {
  const out: Holding[] = [];
  let at = ctx.start;
  for (const h of holders.slice().sort((a, b) => a.from - b.from)) {
    if (h.from > at) out.push(outsider({ type: 'dark' }, ip, at, h.from));
    out.push(outsider({ type: 'workload', name: h.name }, ip, Math.max(h.from, ctx.start), h.to));
    at = h.to;
  }
  if (at < ctx.end) out.push(outsider({ type: 'dark' }, ip, at, ctx.end));
  return out;
}

/** A discovery job pings every address of the server ranges, used or not, weekly or once. */
function pingSweep(ctx: TrafficContext, plan: ServerPlan): void {
  const { rng, log, skeleton, practices: p } = ctx;
  const core = skeleton.core;
  const source = { scanner: core.scanner, monitoring: core.monitoring, discovery: core.discovery }[p.sweep.by]?.machines[0];
  if (!source) return;
  const schedule: Schedule = p.sweep.weekly
    ? { type: 'weekly', dow: p.sweep.dow, hour: p.sweep.hour, hours: 1 }
    : { type: 'once', at: ctx.start / HOUR + rng.int(0, (ctx.end - ctx.start) / HOUR - 1), hours: 1 };
  const sweepHours = activeHours({ id: 0, schedule, from: ctx.start, to: ctx.end }, ctx.start, ctx.end).map((h) => h * HOUR);
  const holders = new Map<string, Array<{ name: string; from: number; to: number }>>();
  for (const m of skeleton.teams.flatMap(machinesOf)) {
    for (const b of m.workload.bindings) {
      const list = holders.get(b.ip) ?? [];
      list.push({ name: m.workload.name, from: b.from, to: b.to ?? ctx.end });
      holders.set(b.ip, list);
    }
  }
  for (const ip of plan.hostAddresses()) {
    for (const period of timeline(ctx, ip, holders.get(ip) ?? [])) {
      if (!sweepHours.some((t) => t >= period.from && t < period.to)) continue;
      const answered = period.endpoint.type === 'workload';
      log.link('sweep', source, period, { protocol: ICMP, port: 0, schedule, perHour: 1, bytes: 84, outcome: answered ? 'open' : 'dropped' });
    }
  }
}

/** Someone on the internet probes the public web servers on many ports; the edge drops or refuses most. */
function outsideScanner(ctx: TrafficContext): string[] {
  const { rng, log, skeleton, internet } = ctx;
  const webs = skeleton.apps.flatMap((team) => {
    const d = team.kind?.internet ? deploymentOf(team, 'prod') : undefined;
    return (d && tierOf(d, 'web')?.machines) ?? [];
  });
  if (webs.length === 0) return [];
  const ports = rng.sample(SCAN_PORTS, rng.int(30, SCAN_PORTS.length));
  return Array.from({ length: rng.int(1, 2) }, () => {
    const addr = internet.addresses.take();
    const at = ctx.start + rng.int(0, (ctx.end - ctx.start) / HOUR - 1) * HOUR;
    const client = outsider({ type: 'internet' }, addr, at, at + HOUR);
    const schedule: Schedule = { type: 'once', at: at / HOUR, hours: 1 };
    for (const m of webs) {
      for (const port of ports) {
        // only what the web tier serves is open to the internet
        const outcome = m.tier.ports.includes(port) ? 'open' : rng.chance(0.75) ? 'dropped' : 'reset';
        log.link('scan', client, m, { protocol: TCP, port, schedule, perHour: 1, bytes: 60, outcome });
      }
    }
    return addr;
  });
}

/** Scans and sweeps; returns the addresses of scanners on the internet. */
export function scanTraffic(ctx: TrafficContext, plan: ServerPlan): string[] {
  vulnerabilityScan(ctx, plan);
  pingSweep(ctx, plan);
  return ctx.practices.outsideScanner ? outsideScanner(ctx) : [];
}
