// The estate zoo's generator: a synthetic enterprise estate, written from docs/estate-zoo.md and
// not from Bulkhead's own analysis, so that measuring Bulkhead on it says something about estates
// Bulkhead was not written for. The same shape and seed give the same estate.
import { PrivateSpace, ServerPlan } from './addresses';
import { ConversationLog, HOUR } from './conversations';
import { Internet } from './internet';
import { applyLabels } from './labels';
import { Lifecycle, assignAddresses, lifecycleExtra } from './lifecycle';
import { MachineShop, buildSkeleton, sizeScale } from './machines';
import { ZOO_END, type ZooEstate, type ZooShape } from './model';
import { Namer } from './names';
import { choosePractices } from './practices';
import { Random } from './random';
import { machinesOf } from './skeleton';
import type { TrafficContext } from './traffic';
import { applicationTraffic } from './traffic-apps';
import { coreTraffic } from './traffic-core';
import { ingressTraffic } from './traffic-ingress';
import { managementTraffic } from './traffic-management';
import { peopleTraffic } from './traffic-people';
import { scanTraffic } from './traffic-scans';

export function generateEstate(shape: ZooShape): ZooEstate {
  const full: Required<ZooShape> = { ...shape, end: shape.end ?? ZOO_END, weeks: shape.weeks ?? 3 };
  const end = full.end;
  const start = end - full.weeks * 7 * 24 * HOUR;
  const rng = new Random(full.seed);
  const practices = choosePractices(rng.fork('practices'), full);
  const extra = lifecycleExtra(full.workloads, full.naming === 'cloud');
  const shop = new MachineShop(rng.fork('machines'), practices);
  const skeleton = buildSkeleton(rng.fork('skeleton'), full, practices, shop, extra.handovers + extra.replacements);

  const space = new PrivateSpace(rng.fork('space'));
  const plan = new ServerPlan(rng.fork('plan'), practices.plan, space, full.workloads, practices.platform === 'cloud');
  assignAddresses(rng.fork('build-order'), skeleton, plan, start);
  const lifecycle = new Lifecycle(rng.fork('lifecycle'), skeleton, plan, shop, start, end);
  const handovers = [...lifecycle.handOver(extra.handovers), ...lifecycle.replaceInstances(extra.replacements)];
  const prodServers = skeleton.apps.flatMap(machinesOf).filter((m) => m.tier.deployment.env === 'prod').length;
  lifecycle.rebuild(Math.max(2, Math.round(prodServers * 0.01)));

  const machines = skeleton.teams.flatMap(machinesOf);
  const namer = new Namer(rng.fork('names'), full.naming, practices);
  for (const m of machines) m.workload.name = namer.name(m);
  applyLabels(rng.fork('labels'), full.labels, skeleton.teams, practices);

  const ctx: TrafficContext = {
    rng: rng.fork('traffic'),
    log: new ConversationLog(start, end),
    practices,
    skeleton,
    internet: new Internet(rng.fork('internet')),
    scale: sizeScale(full.workloads),
    start,
    end,
  };
  // legitimate traffic first: where a scan or sweep probes what a service already uses, the use is what counts
  applicationTraffic(ctx);
  coreTraffic(ctx);
  managementTraffic(ctx);
  const networks = [...peopleTraffic(ctx, space), ...ingressTraffic(ctx)];
  const outsideScanners = scanTraffic(ctx, plan);

  const workloads = machines.map((m) => m.workload);
  return {
    shape: full,
    start,
    end,
    workloads,
    networks,
    conversations: ctx.log.conversations,
    scanners: [...workloads.filter((w) => w.truth.kind === 'scanner').map((w) => w.name), ...outsideScanners],
    reused: handovers.map((h) => ({ ip: h.ip, before: h.before.workload.name, after: h.after.workload.name, at: h.at })),
  };
}
