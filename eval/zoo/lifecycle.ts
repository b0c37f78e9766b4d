// Machines' addresses over the data span (docs/estate-zoo.md, "Addresses that change hands"):
// everyone gets an address in build order; then some machines are decommissioned and their
// address taken, hours to days later, by a new machine of another application; some production
// servers are rebuilt on a new address; in cloud-named estates auto-scaled instances are replaced.
import type { ServerPlan } from './addresses';
import { HOUR } from './conversations';
import type { MachineShop, Skeleton } from './machines';
import type { Random } from './random';
import { machinesOf, type Machine } from './skeleton';

export interface Handover {
  ip: string;
  before: Machine;
  after: Machine;
  at: number;
}

const STATELESS = new Set(['web', 'app', 'worker']);

/** Shared services first (they were there before the applications), then everything in build order. */
export function assignAddresses(rng: Random, skeleton: Skeleton, plan: ServerPlan, start: number): void {
  const bind = (m: Machine) => m.workload.bindings.push({ ip: plan.allocate(m), from: start, to: null });
  const batches: Machine[][] = [];
  for (const team of skeleton.teams) {
    if (team.kind === null) {
      machinesOf(team).forEach(bind);
      continue;
    }
    // a tier built in one go gets neighbouring addresses; machines added later get whatever is next
    for (const d of team.deployments) for (const t of d.tiers) rng.chance(0.4) ? batches.push(t.machines.slice()) : batches.push(...t.machines.map((m) => [m]));
  }
  for (const batch of rng.shuffle(batches)) batch.forEach(bind);
}

/** How many machines the handovers and replacements will add, so the skeleton leaves room for them. */
export function lifecycleExtra(workloads: number, cloudNamed: boolean): { handovers: number; replacements: number } {
  return { handovers: Math.max(4, Math.round(workloads * 0.015)), replacements: cloudNamed ? Math.max(2, Math.round(workloads * 0.01)) : 0 };
}

export class Lifecycle {
  private readonly involved = new Set<Machine>();
  private readonly hours: number;

  constructor(
    private readonly rng: Random,
    private readonly skeleton: Skeleton,
    private readonly plan: ServerPlan,
    private readonly shop: MachineShop,
    private readonly start: number,
    end: number,
  ) {
    this.hours = Math.round((end - start) / HOUR);
  }

  /** an hour at least a day after the start and `room` hours before the end */
  private when(room: number): number {
    return this.start + this.rng.int(24, Math.max(25, this.hours - room)) * HOUR;
  }

  private appMachines(): Machine[] {
    return this.skeleton.apps.flatMap(machinesOf).filter((m) => !this.involved.has(m) && m.workload.bindings.length === 1);
  }

  /** Decommissioned machines whose address goes to a new machine of another application. */
  handOver(count: number): Handover[] {
    const out: Handover[] = [];
    // machines of a tier that keeps running without them (not the primary)
    const retirable = () => this.appMachines().filter((m) => m.tier.machines.length >= 2 && m.tier.machines[0] !== m && STATELESS.has(m.tier.role));
    for (let attempt = 0; out.length < count && attempt < count * 10; attempt++) {
      const candidates = retirable();
      if (candidates.length === 0) break;
      const before = this.rng.pick(candidates);
      const env = before.tier.deployment.env;
      // the address stays in its environment's range (any range of a flat plan) and, preferably, its layer
      const others = this.skeleton.apps
        .filter((a) => a !== before.tier.deployment.team)
        .flatMap((a) => a.deployments.flatMap((d) => d.tiers))
        .filter((t) => (t.deployment.env === env || this.plan.kind === 'flat') && STATELESS.has(t.role));
      const sameRole = others.filter((t) => t.role === before.tier.role);
      const tiers = sameRole.length > 0 ? sameRole : others;
      if (tiers.length === 0) continue;
      const binding = before.workload.bindings[0];
      if (!binding) continue;
      const released = this.when(24 * 5);
      const taken = released + this.rng.int(2, 96) * HOUR;
      binding.to = released;
      const after = this.shop.add(this.rng.pick(tiers));
      after.workload.bindings.push({ ip: binding.ip, from: taken, to: null });
      this.involved.add(before).add(after);
      out.push({ ip: binding.ip, before, after, at: taken });
    }
    return out;
  }

  /** Production servers rebuilt on a new address: the same machine, a second holding. */
  rebuild(count: number): void {
    for (const m of this.rng.sample(this.appMachines().filter((x) => x.tier.deployment.env === 'prod'), count)) {
      const binding = m.workload.bindings[0];
      if (!binding) continue;
      const down = this.when(48);
      binding.to = down;
      m.workload.bindings.push({ ip: this.plan.allocate(m), from: down + this.rng.int(1, 12) * HOUR, to: null });
      this.involved.add(m);
    }
  }

  /** Auto-scaled instances replaced by new ones, most often on the same address. */
  replaceInstances(count: number): Handover[] {
    const out: Handover[] = [];
    const scaled = this.appMachines().filter((m) => STATELESS.has(m.tier.role) && m.tier.machines.length >= 2 && m.tier.deployment.env === 'prod');
    for (const old of this.rng.sample(scaled, count)) {
      const binding = old.workload.bindings[0];
      if (!binding) continue;
      const at = this.when(24);
      binding.to = at;
      const fresh = this.shop.add(old.tier);
      const sameAddress = this.rng.chance(0.7);
      const from = at + (sameAddress ? this.rng.int(0, 1) : 0) * HOUR;
      fresh.workload.bindings.push({ ip: sameAddress ? binding.ip : this.plan.allocate(fresh), from, to: null });
      this.involved.add(old).add(fresh);
      if (sameAddress) out.push({ ip: binding.ip, before: old, after: fresh, at: from });
    }
    return out;
  }
}
