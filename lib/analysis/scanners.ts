// Sweeping sources, told apart by behaviour rather than by a port list or a name.
//
// A dependency is a relationship a client keeps with a service: it comes back, hour after hour or
// night after night. A sweep contacts each target briefly, once per pass, and touches many hosts
// at a time. Per client endpoint (a workload, or an address), over the window:
//
//   brief target     a (host, protocol, port) it was active with in at most one hour a day on
//                    average over the window (a weekly scan: one or two hours in two weeks)
//   port sweep       brief TCP/UDP targets on at least `minHosts` hosts, at least `minDepth`
//                    ports per host on average: a vulnerability scanner, whatever its port list,
//                    whether most ports answer or not
//   ping sweep       brief ICMP targets on at least `minHosts` hosts
//   dark sweep       brief targets on at least `minHosts` hosts, mostly unanswered or refused
//   slow or wide     at least `minTargets` targets of which half failed, or at least
//                    `sweepPorts` distinct ports (the rules that caught scanners before)
//
// What stays a dependency although it fans out: monitoring scrapes every host all day (not
// brief), backups pull every night (not brief over a window, and one or two ports a host),
// automation runs over SSH every night (one port), everyone reaches the directory, DNS, NTP and
// the patch repository (fan-in, not fan-out).
//
// A sweeper's probes are the brief or failed targets its kinds of sweep explain: TCP/UDP for a
// port sweep, ICMP for a ping sweep, the unanswered for a dark sweep, all of them for a slow or
// wide one. The rest stays edges marked `fromScanner`: what it keeps coming back to (its own DNS
// lookups, its logging) and what its sweep does not explain (a monitoring server whose discovery
// job pings every address keeps its weekly patch download). A port sweeper's own brief TCP
// dependencies look like its probes and are set apart with them. The probes collapse into the
// source's summary (coverage.excluded.scanners).
import type { AnalysisWindow, SweepReason } from './types';

export type { SweepReason };

/** Thresholds (docs/discovery.md, "Scanners" says why these values). */
export const SWEEP = {
  minHosts: 10,
  minDepth: 8,
  minTargets: 50,
  failedRatio: 0.5,
  sweepPorts: 100,
} as const;

/** At most an hour a day on average over the window (and never less than three hours). */
export function briefHours(w: AnalysisWindow): number {
  const hours = (w.to.getTime() - w.from.getTime()) / 3_600_000;
  return Math.max(3, Math.floor(hours / 24));
}

/**
 * SQL columns `sweeper`, `sweep_reason` and `ordinary` (and the kinds of sweep) over the
 * per-target rows, given the window aggregates c_* (all targets of the client) and b_* (its brief
 * targets; b_port_* of them not ICMP, b_icmp_* ICMP). Parameters: {minHosts}, {minDepth}, {minTargets},
 * {failedRatio}, {sweepPorts}, {briefHours}.
 */
export function sweeperSql(): string {
  const many = (hosts: string) => `${hosts} >= {minHosts:UInt32}`;
  // one source may sweep in several ways (a scanner that pings every address, then probes ports)
  return `
    ${many('b_port_hosts')} AND b_port_targets >= b_port_hosts * {minDepth:UInt32} AS port_sweep,
    ${many('b_icmp_hosts')} AS ping_sweep,
    ${many('b_hosts')} AND b_failed * 2 >= b_targets AS dark_sweep,
    c_targets >= {minTargets:UInt32} AND (c_failed >= c_targets * {failedRatio:Float64} OR c_ports >= {sweepPorts:UInt32}) AS wide_sweep,
    multiIf(port_sweep, 'port-sweep', ping_sweep, 'ping-sweep', dark_sweep, 'dark-sweep', wide_sweep AND c_failed >= c_targets * {failedRatio:Float64}, 'unanswered', wide_sweep, 'many-ports', '') AS sweep_reason,
    port_sweep OR ping_sweep OR dark_sweep OR wide_sweep AS sweeper,
    -- what the source's kinds of sweep explain: brief (or failed) targets of its kinds
    (hw <= {briefHours:UInt32} OR ff >= flows)
      AND (wide_sweep OR (port_sweep AND protocol NOT IN (1, 58)) OR (ping_sweep AND protocol IN (1, 58)) OR (dark_sweep AND ff >= flows)) AS probe,
    NOT probe AS ordinary`;
}
