// From the query's rows (./edges.ts) to the graph's edges: endpoint keys resolved ("w:<id>" is
// a workload; anything else an outside endpoint, counted by its distinct addresses), counters
// named, periodicity judged; flags are left false for the later steps to set.
import { parseChTime } from './coverage';
import { classifyPeriodicity } from './periodicity';
import type { EdgeRow } from './edges';
import type { AnalysisEdge } from './types';
import { DAY_MS } from './window';

export interface EdgeGraph {
  /** in row order */
  edges: AnalysisEdge[];
  /** outside endpoint id -> distinct addresses seen behind it, in first-seen order */
  endpointAddrs: Map<string, number>;
  /** per edge (same order): first day seen over the whole periodicity span, for convergence */
  firstEver: Date[];
}

/** The set bits of a mask (hours of the day). */
export const bitsOf = (mask: number) => Array.from({ length: 24 }, (_, h) => h).filter((h) => (mask >>> h) & 1);

export function edgesFromRows(rows: readonly EdgeRow[], dayZero: number, window: { from: Date }): EdgeGraph {
  const wDay0 = Math.floor((Math.floor(window.from.getTime() / DAY_MS) * DAY_MS - dayZero) / DAY_MS);
  const endpointAddrs = new Map<string, number>();
  const endpoint = (key: string, addrs: number) => {
    if (key.startsWith('w:')) return key.slice(2);
    // an endpoint that is one address counts 1; a network counts its distinct addresses
    endpointAddrs.set(key, Math.max(endpointAddrs.get(key) ?? 1, addrs));
    return key;
  };
  const firstEver: Date[] = rows.map((r) => new Date(dayZero + Math.min(...r.days) * DAY_MS));
  const edges: AnalysisEdge[] = rows.map((r) => ({
    from: endpoint(r.ckey, r.c_addresses),
    to: endpoint(r.skey, r.s_addresses),
    protocol: r.protocol,
    port: r.port,
    flows: r.flows,
    bytes: r.bytes_c2s + r.bytes_s2c,
    packets: r.packets,
    bytesToServer: r.bytes_c2s,
    bytesToClient: r.bytes_s2c,
    firstSeen: parseChTime(r.first_seen),
    lastSeen: parseChTime(r.last_seen),
    activeHours: r.active_hours,
    activeDays: r.days.filter((d) => d >= wDay0).length,
    periodicity: classifyPeriodicity({ days: r.days, hoursOfDay: bitsOf(r.hods), activeHours: r.active_hours }),
    flags: { coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false },
    service: null,
    failedFlows: r.failed_flows,
    fromScanner: r.from_sweeper === 1,
    fromNetwork: null,
  }));
  return { edges, endpointAddrs, firstEver };
}
