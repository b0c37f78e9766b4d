// Management (docs/estate-zoo.md, "Management"): administrators' sessions from the jump hosts
// to a changing part of the estate on working days, and vCenter with its hypervisors.
import { TCP, UDP, spread } from './conversations';
import type { Schedule } from './model';
import { machinesOf } from './skeleton';
import type { TrafficContext } from './traffic';

export function managementTraffic(ctx: TrafficContext): void {
  const { log, rng, skeleton, practices: p } = ctx;
  const core = skeleton.core;
  const jumpers = new Set([...core.jumpLinux.machines, ...core.jumpWindows.machines]);
  // on a given day an administrator works on a few machines, on another day on others
  const session = (): Schedule => ({ type: 'irregular', share: rng.int(5, 30) / 100, hour: rng.int(8, 15), hours: rng.int(1, 3), weekdays: true });
  for (const team of skeleton.teams) {
    for (const m of machinesOf(team)) {
      if (!m.managed || jumpers.has(m) || !rng.chance(0.6)) continue;
      const linux = m.workload.os === 'linux';
      const from = linux ? core.jumpLinux : core.jumpWindows;
      const jump = from.machines[spread(m, from.machines.length, 4)];
      if (!jump) continue;
      for (const port of linux ? [22] : p.windowsRemote) log.link('management', jump, m, { protocol: TCP, port, schedule: session(), perHour: 1, bytes: 50_000 });
    }
  }
  const vcenter = core.vcenter?.machines[0];
  if (!vcenter) return;
  for (const host of core.hypervisors?.machines ?? []) {
    log.link('management', vcenter, host, { protocol: TCP, port: 902, schedule: { type: 'continuous', share: 1 }, perHour: 1, bytes: 12_000 });
    // hosts send their heartbeat to vCenter on UDP 902
    log.link('management', host, vcenter, { protocol: UDP, port: 902, schedule: { type: 'continuous', share: 1 }, perHour: 1, bytes: 300 });
  }
  for (const jump of core.jumpWindows.machines) log.link('management', jump, vcenter, { protocol: TCP, port: 443, schedule: session(), perHour: 1, bytes: 200_000 });
}
