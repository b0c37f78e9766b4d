// Who held an address when, from the inventory's bindings: the writers need it to know where a
// flow was observed (the ENI or the virtual switch port of the workload holding the address at
// the flow's time). An address that changed hands belongs to its old holder before the handover
// and to the new one after it, as the inventory says.
import type { ZooBinding, ZooWorkload } from './model';

export interface Holding {
  workload: ZooWorkload;
  binding: ZooBinding;
}

export class Holders {
  private readonly byIp = new Map<string, Holding[]>();

  constructor(workloads: readonly ZooWorkload[]) {
    for (const workload of workloads) {
      for (const binding of workload.bindings) {
        const list = this.byIp.get(binding.ip);
        if (list) list.push({ workload, binding });
        else this.byIp.set(binding.ip, [{ workload, binding }]);
      }
    }
  }

  /** The workload holding `ip` at time `t` (ms), if any. */
  at(ip: string, t: number): Holding | undefined {
    const list = this.byIp.get(ip);
    if (!list) return undefined;
    for (const h of list) if (h.binding.from <= t && (h.binding.to === null || t < h.binding.to)) return h;
    return undefined;
  }
}
