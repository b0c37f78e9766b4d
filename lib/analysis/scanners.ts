// Sweeping sources, told apart by behaviour rather than by a port list or a name.
//
// A dependency is a relationship a client keeps with a service: it comes back, hour after hour or
// night after night. A sweep contacts each target briefly, once per pass, and touches many hosts
// at a time. Per client endpoint (a workload, or an address), over the window:
//
//   brief target     a (host, protocol, port) it was active with in at most one hour a day on
//                    average over the window (a weekly scan: one or two hours in two weeks)
//   port sweep       brief targets on at least `minHosts` hosts, at least `minDepth` ports per
//                    host on average: a vulnerability scanner, whatever its port list, whether
//                    most ports answer or not
//   ping sweep       brief targets on at least `minHosts` hosts, mostly ICMP
//   dark sweep       brief targets on at least `minHosts` hosts, mostly unanswered or refused
//   slow or wide     at least `minTargets` targets of which half failed, or at least
//                    `sweepPorts` distinct ports (the rules that caught scanners before)
//
// What stays a dependency although it fans out: monitoring scrapes every host all day (not
// brief), backups pull every night (not brief over a window, and one or two ports a host),
// automation runs over SSH every night (one port), everyone reaches the directory, DNS, NTP and
// the patch repository (fan-in, not fan-out).
//
// A sweeper's targets are its probes, except what it keeps coming back to and gets answers from
// (its own DNS lookups, its logging, its console's database): targets that are not brief and not
// failed; and what its kind of sweep does not explain: a ping sweep's probes are ICMP, a dark
// sweep's are the unanswered ones (a monitoring server whose discovery job pings every address
// keeps its weekly patch download). Those stay edges, marked `fromScanner`; the probes collapse into the source's summary
// (coverage.excluded.scanners). A sweeper's brief dependencies (a weekly patch download) are
// indistinguishable from its probes and are set apart with them.
import type { AnalysisWindow } from './types';

export type SweepReason = 'port-sweep' | 'ping-sweep' | 'dark-sweep' | 'unanswered' | 'many-ports';

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
 * SQL columns `sweeper`, `sweep_reason` and `ordinary` over the per-target rows, given the window
 * aggregates c_* (all targets of the client) and b_* (its brief targets). Parameters: {minHosts},
 * {minDepth}, {minTargets}, {failedRatio}, {sweepPorts}, {briefHours}.
 */
export function sweeperSql(): string {
  const many = `b_hosts >= {minHosts:UInt32}`;
  return `
    multiIf(
      ${many} AND b_targets >= b_hosts * {minDepth:UInt32}, 'port-sweep',
      ${many} AND b_icmp * 2 >= b_targets, 'ping-sweep',
      ${many} AND b_failed * 2 >= b_targets, 'dark-sweep',
      c_targets >= {minTargets:UInt32} AND c_failed >= c_targets * {failedRatio:Float64}, 'unanswered',
      c_targets >= {minTargets:UInt32} AND c_ports >= {sweepPorts:UInt32}, 'many-ports',
      '') AS sweep_reason,
    sweep_reason != '' AS sweeper,
    (hw > {briefHours:UInt32} AND ff < flows)
      OR (sweep_reason = 'ping-sweep' AND protocol NOT IN (1, 58))
      OR (sweep_reason = 'dark-sweep' AND ff < flows) AS ordinary`;
}
