// Shared core services (docs/estate-zoo.md, "Shared core services"): what every machine uses
// (DNS, time, the directory, log shipping, patching, configuration management), what reaches
// every machine (monitoring, backup, nightly Ansible), and what the services do among themselves
// and with the internet (directory replication, PDC time, DNS forwarding, NTP upstreams, updates).
import { ICMP, TCP, UDP, outsider, spread, type Traffic } from './conversations';
import type { Schedule } from './model';
import { machinesOf, type Machine, type Tier } from './skeleton';
import type { TrafficContext } from './traffic';

const always = (share = 1): Schedule => ({ type: 'continuous', share });

/** a machine's preferred and alternate server in a tier (the same for all its uses of the tier) */
function pair(m: Machine, tier: Tier): [Machine | undefined, Machine | undefined] {
  const n = tier.machines.length;
  const i = spread(m, n);
  return [tier.machines[i], n > 1 ? tier.machines[(i + 1) % n] : undefined];
}

const isIn = (m: Machine, tier: Tier | null) => tier !== null && tier.machines.includes(m);

function everyMachineUses(ctx: TrafficContext, m: Machine): void {
  const { log, practices: p, skeleton } = ctx;
  const core = skeleton.core;
  const use = (server: Machine | undefined, t: Traffic) => server && log.link('core', m, server, t);
  const dns = core.resolvers ?? core.directory;
  const [dc, dc2] = pair(m, core.directory);
  if (!isIn(m, dns)) {
    const [primary, secondary] = pair(m, dns);
    use(primary, { protocol: UDP, port: 53, schedule: always(0.9), perHour: 2, bytes: 90 });
    use(secondary, { protocol: UDP, port: 53, schedule: always(0.2), perHour: 1, bytes: 90 });
  }
  if (!isIn(m, core.directory)) {
    // Windows members take time from the domain hierarchy, Linux from the NTP servers
    const ntp = m.workload.os === 'windows' || !core.ntp ? dc : pair(m, core.ntp)[0];
    if (!isIn(m, core.ntp)) use(ntp, { protocol: UDP, port: 123, schedule: always(), perHour: 1, bytes: 90 });
    const hypervisor = m.workload.kind === 'host';
    if (m.workload.os === 'windows') {
      use(dc, { protocol: TCP, port: 88, schedule: always(0.4), perHour: 1, bytes: 1500 });
      use(dc, { protocol: TCP, port: 389, schedule: always(0.4), perHour: 1, bytes: 2500 });
      use(dc, { protocol: TCP, port: 445, schedule: always(0.15), perHour: 1, bytes: 8000 });
      use(dc, { protocol: TCP, port: 135, schedule: always(0.1), perHour: 1, bytes: 600 });
      if (spread(m, 3, 1) === 0) use(dc2 ?? dc, { protocol: TCP, port: 3268, schedule: always(0.1), perHour: 1, bytes: 2500 });
    } else if (!hypervisor) {
      for (const port of p.linuxDirectoryPorts) use(dc, { protocol: TCP, port, schedule: always(0.3), perHour: 1, bytes: 2000 });
    }
  }
  if (!isIn(m, core.logging)) use(pair(m, core.logging)[0], { protocol: p.log.protocol, port: p.log.port, schedule: always(0.95), perHour: 1, bytes: 30_000 });
  if (!m.managed) return;
  const linux = m.workload.os === 'linux';
  const patchHour = (p.patch.hour + spread(m, p.patch.hours, 2)) % 24;
  const patch: Schedule = p.patch.rhythm === 'weekly' ? { type: 'weekly', dow: p.patch.dow, hour: patchHour, hours: 1 } : { type: 'monthly', dom: 0, hour: patchHour, hours: 1 };
  const patchFrom = linux ? core.repo : core.wsus;
  if (!isIn(m, patchFrom)) use(pair(m, patchFrom)[0], { protocol: TCP, port: linux ? p.patch.repoPort : p.patch.wsusPort, schedule: patch, perHour: 2, bytes: 2_000_000 });
  if (!linux || !core.config || isIn(m, core.config)) return;
  const master = pair(m, core.config)[0];
  if (p.config === 'puppet') use(master, { protocol: TCP, port: 8140, schedule: always(), perHour: 2, bytes: 40_000 });
  if (p.config === 'salt') {
    use(master, { protocol: TCP, port: 4505, schedule: always(), perHour: 1, bytes: 500 });
    use(master, { protocol: TCP, port: 4506, schedule: always(0.5), perHour: 1, bytes: 5000 });
  }
}

function everyMachineIsReached(ctx: TrafficContext, m: Machine): void {
  const { log, practices: p, skeleton } = ctx;
  const core = skeleton.core;
  const monitor = pair(m, core.monitoring)[0];
  if (monitor) {
    const port = m.workload.os === 'windows' ? p.scrape.windows : p.scrape.linux;
    log.link('core', monitor, m, { protocol: p.scrape.protocol, port, schedule: always(), perHour: 1, bytes: 400 });
    if (p.pings) log.link('core', monitor, m, { protocol: ICMP, port: 0, schedule: always(), perHour: 1, bytes: 84 });
  }
  if (!m.managed) return;
  const backup = pair(m, core.backup)[0];
  const hour = (p.backup.hour + spread(m, p.backup.hours, 3)) % 24;
  if (backup) log.link('core', backup, m, { protocol: TCP, port: p.backup.port, schedule: { type: 'daily', hour, hours: Math.min(2, p.backup.hours) }, perHour: 2, bytes: 5_000_000 });
  const automation = core.config?.machines[0];
  if (p.config === 'ansible' && automation && m.workload.os === 'linux') {
    log.link('core', automation, m, { protocol: TCP, port: 22, schedule: { type: 'daily', hour: p.ansible.hour, hours: p.ansible.hours }, perHour: 1, bytes: 60_000 });
  }
}

function servicesAmongThemselves(ctx: TrafficContext): void {
  const { log, practices: p, skeleton, internet, rng } = ctx;
  const core = skeleton.core;
  const outside = (ip: string) => outsider({ type: 'outside' }, ip, ctx.start, ctx.end);
  const dcs = core.directory.machines;
  const [pdc] = dcs;
  for (const a of dcs) {
    for (const b of dcs) {
      for (const [port, share] of [[135, 0.3], [389, 0.5], [445, 0.1], [88, 0.2]] as const) log.link('core', a, b, { protocol: TCP, port, schedule: always(share), perHour: 1, bytes: 20_000 });
      if (p.dnsBy === 'controllers') log.link('core', a, b, { protocol: UDP, port: 53, schedule: always(0.5), perHour: 1, bytes: 90 });
    }
    // the domain's time hierarchy: every controller from the PDC emulator, server to server
    if (pdc && a !== pdc) log.link('core', a, pdc, { protocol: UDP, port: 123, clientPort: 123, schedule: always(), perHour: 1, bytes: 90 });
  }
  const ntp123 = (t: Traffic): Traffic => ({ ...t, clientPort: 123 });
  const time = { protocol: UDP, port: 123, schedule: always(), perHour: 1, bytes: 90 };
  const timeSources = core.ntp?.machines ?? (pdc ? [pdc] : []);
  for (const server of timeSources) for (const ip of internet.timeServers) log.link('egress', server, outside(ip), ntp123(time));
  if (core.ntp && pdc) for (const server of core.ntp.machines) log.link('core', pdc, server, ntp123(time));
  const forwarders = core.resolvers?.machines ?? dcs;
  for (const f of forwarders) {
    for (const ip of internet.resolvers) {
      log.link('egress', f, outside(ip), { protocol: UDP, port: 53, schedule: always(), perHour: 2, bytes: 120 });
      log.link('egress', f, outside(ip), { protocol: TCP, port: 53, schedule: always(0.1), perHour: 1, bytes: 900 });
    }
    // separate resolvers hand the directory's own zone to the controllers
    if (core.resolvers) for (const dc of dcs) log.link('core', f, dc, { protocol: UDP, port: 53, schedule: always(0.8), perHour: 1, bytes: 110 });
  }
  const nightlyAt = (hour: number, hours: number): Schedule => ({ type: 'daily', hour, hours });
  for (const b of core.backup.machines) for (const s of core.backupStorage.machines) log.link('core', b, s, { protocol: TCP, port: p.backup.storagePort, schedule: nightlyAt(p.backup.hour, p.backup.hours), perHour: 3, bytes: 50_000_000 });
  // update mirrors fetch through the proxy every night
  const proxy = core.proxy.machines[0];
  for (const [mirror, upstream] of [[core.repo, 'os-updates'], [core.wsus, 'microsoft-update']] as const) {
    const service = internet.service(upstream);
    const hour = rng.pick([0, 1, 2, 19, 20]);
    for (const m of mirror.machines) if (proxy) log.link('core', m, proxy, { protocol: TCP, port: p.proxyPort, schedule: nightlyAt(hour, 2), perHour: 2, bytes: 500_000 });
    for (const ip of service.addresses) if (proxy) log.link('egress', proxy, outside(ip), { protocol: TCP, port: service.port, schedule: nightlyAt(hour, 2), perHour: 2, bytes: 5_000_000 });
  }
  const smartHost = internet.service('smart-host');
  for (const relay of core.relay.machines) for (const ip of smartHost.addresses) log.link('egress', relay, outside(ip), { protocol: TCP, port: smartHost.port, schedule: always(0.4), perHour: 1, bytes: 30_000 });
  for (const m of core.monitoring.machines) {
    const relay = pair(m, core.relay)[0];
    if (relay) log.link('core', m, relay, { protocol: TCP, port: 25, schedule: always(0.1), perHour: 1, bytes: 8000 });
  }
  const feed = internet.service('scanner-feed');
  for (const s of core.scanner.machines) for (const ip of feed.addresses) log.link('egress', s, outside(ip), { protocol: TCP, port: feed.port, schedule: nightlyAt(rng.pick([5, 6, 12]), 1), perHour: 1, bytes: 2_000_000 });
}

export function coreTraffic(ctx: TrafficContext): void {
  servicesAmongThemselves(ctx);
  for (const team of ctx.skeleton.teams) {
    for (const m of machinesOf(team)) {
      everyMachineUses(ctx, m);
      everyMachineIsReached(ctx, m);
    }
  }
}
