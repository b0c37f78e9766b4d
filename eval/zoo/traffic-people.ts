// People (docs/estate-zoo.md, "People and networks nobody declared"): the administrators'
// workstations, the office users' subnets and, in some estates, a VPN pool. Addresses come from
// DHCP, so which of a network's addresses are in use changes from week to week.
import { cidrRange, intToIp, type PrivateSpace } from './addresses';
import { HOUR, TCP, UDP, outsider, spread, type Holding, type Traffic } from './conversations';
import type { Schedule, ZooNetwork } from './model';
import { deploymentOf, type Machine, type Tier } from './skeleton';
import { frontOf } from './traffic-apps';
import type { TrafficContext } from './traffic';

const WEEK = 7 * 24 * HOUR;
const DEPARTMENTS = ['finance', 'sales', 'hr', 'it', 'operations', 'marketing', 'legal', 'support', 'engineering', 'procurement'];

/** The periods an address is in use: each week in use or not, consecutive weeks as one lease. */
function leases(ctx: TrafficContext, network: string, addr: string, share: number): Holding[] {
  const out: Holding[] = [];
  for (let from = ctx.start; from < ctx.end; from += WEEK) {
    if (!ctx.rng.chance(share)) continue;
    const last = out[out.length - 1];
    if (last && last.to === from) last.to = Math.min(ctx.end, from + WEEK);
    else out.push(outsider({ type: 'network', network }, addr, from, Math.min(ctx.end, from + WEEK)));
  }
  return out;
}

/** host addresses of a block, from `first` (offset) to the last before broadcast */
function hosts(cidr: string, first = 1, last?: number): string[] {
  const [lo, hi] = cidrRange(cidr);
  const end = Math.min(hi - 1, last === undefined ? hi - 1 : lo + last);
  return Array.from({ length: end - (lo + first) + 1 }, (_, i) => intToIp(lo + first + i));
}

const officeHours = (share: number): Schedule => ({ type: 'continuous', share, businessHours: true });

function pick(tier: Tier | null | undefined, addr: string, salt = 0): Machine | undefined {
  return tier?.machines[spread(addr, tier.machines.length, salt)];
}

/** What every office machine does with the directory: name lookups, Kerberos, LDAP, group policy. */
function directoryUse(ctx: TrafficContext, person: Holding, withPolicy: boolean): void {
  const core = ctx.skeleton.core;
  const dns = pick(core.resolvers ?? core.directory, person.addr);
  const dc = pick(core.directory, person.addr, 1);
  const use = (server: Machine | undefined, t: Traffic) => server && ctx.log.link('people', person, server, t);
  use(dns, { protocol: UDP, port: 53, schedule: officeHours(0.6), perHour: 1, bytes: 90 });
  use(dc, { protocol: TCP, port: 88, schedule: officeHours(0.3), perHour: 1, bytes: 1500 });
  use(dc, { protocol: TCP, port: 389, schedule: officeHours(0.2), perHour: 1, bytes: 2500 });
  if (withPolicy) use(dc, { protocol: TCP, port: 445, schedule: officeHours(0.1), perHour: 1, bytes: 8000 });
}

function admins(ctx: TrafficContext, space: PrivateSpace): ZooNetwork {
  const { rng, log, skeleton, practices: p } = ctx;
  const core = skeleton.core;
  const network: ZooNetwork = { name: 'admin-workstations', cidr: space.take(rng.chance(0.25) ? 27 : 26), kind: 'admin', declared: false };
  const share = 0.3 + 0.3 * rng.float();
  for (const addr of hosts(network.cidr)) {
    for (const person of leases(ctx, network.name, addr, share)) {
      const workday = (): Schedule => ({ type: 'irregular', share: 0.4 + 0.4 * rng.float(), hour: rng.int(7, 9), hours: rng.int(8, 10), weekdays: true });
      const manage = (server: Machine | undefined, port: number) => server && log.link('management', person, server, { protocol: TCP, port, schedule: workday(), perHour: 1, bytes: 80_000 });
      manage(pick(core.jumpWindows, addr), 3389);
      if (rng.chance(0.7)) manage(pick(core.jumpLinux, addr), 22);
      if (rng.chance(0.5)) manage(core.vcenter?.machines[0], 443);
      if (rng.chance(0.6)) manage(pick(core.monitoring, addr), p.monitoringUi);
      directoryUse(ctx, person, false);
    }
  }
  return network;
}

/** the internal applications office users work with, and where they reach them: the web tier, or an app tier serving HTTP itself */
function officeApplications(ctx: TrafficContext): Tier[] {
  return ctx.skeleton.apps.flatMap((team) => {
    const d = team.kind?.users ? deploymentOf(team, 'prod') : undefined;
    const front = d && frontOf(d);
    return front ? [front] : [];
  });
}

function offices(ctx: TrafficContext, space: PrivateSpace): ZooNetwork[] {
  const { rng, log, skeleton } = ctx;
  const apps = officeApplications(ctx);
  const count = Math.min(6, Math.max(2, Math.round(2 + 4 * ctx.scale + rng.float())));
  const family = rng.pick(['10', '172', '192'] as const);
  return rng.sample(DEPARTMENTS, count).map((dept) => {
    const network: ZooNetwork = { name: `users-${dept}`, cidr: space.take(24, family), kind: 'users', declared: false };
    // one department works with the same applications, each person with some of them
    const used = rng.sample(apps, rng.int(Math.min(2, apps.length), Math.min(5, apps.length)));
    const share = 0.25 + 0.3 * rng.float();
    for (const addr of hosts(network.cidr, rng.int(10, 30), 250)) {
      for (const person of leases(ctx, network.name, addr, share)) {
        for (const front of used) {
          if (!rng.chance(0.6)) continue;
          const server = pick(front, addr, 2);
          if (server) log.link('people', person, server, { protocol: TCP, port: front.ports[0] ?? 443, schedule: officeHours(0.15 + 0.3 * rng.float()), perHour: 1, bytes: 40_000 });
        }
        const files = pick(skeleton.core.files, addr, 3);
        if (files && rng.chance(0.8)) log.link('people', person, files, { protocol: TCP, port: 445, schedule: officeHours(0.3), perHour: 1, bytes: 300_000 });
        directoryUse(ctx, person, true);
      }
    }
    return network;
  });
}

/** Remote staff on the VPN: a declared pool, a few of its addresses at a time. */
function vpn(ctx: TrafficContext, space: PrivateSpace): ZooNetwork {
  const { rng, log } = ctx;
  const network: ZooNetwork = { name: 'vpn-pool', cidr: space.take(rng.pick([23, 24])), kind: 'vpn', declared: true };
  const apps = officeApplications(ctx);
  const share = 0.1 + 0.15 * rng.float();
  for (const addr of hosts(network.cidr, 10)) {
    for (const person of leases(ctx, network.name, addr, share)) {
      for (const front of rng.sample(apps, rng.int(1, Math.min(3, apps.length)))) {
        const server = pick(front, addr, 2);
        const schedule: Schedule = { type: 'irregular', share: 0.5, hour: rng.int(6, 9), hours: rng.int(6, 10), weekdays: true };
        if (server) log.link('people', person, server, { protocol: TCP, port: front.ports[0] ?? 443, schedule, perHour: 1, bytes: 40_000 });
      }
      directoryUse(ctx, person, false);
    }
  }
  return network;
}

/** The networks of people, with their traffic. */
export function peopleTraffic(ctx: TrafficContext, space: PrivateSpace): ZooNetwork[] {
  const networks = [admins(ctx, space), ...offices(ctx, space)];
  if (ctx.rng.chance(0.5)) networks.push(vpn(ctx, space));
  return networks;
}
