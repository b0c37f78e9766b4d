// Coverage of a window as the discovery page reads it (GET /api/v1/discovery/coverage): flows
// per source and UTC day (from the per-source hourly rollup) beside the analysis's gaps, notes,
// exclusions, convergence and suggested networks of unknown clients.
import type { AnalysisResult } from '../analysis/types';
import { chTime } from '../analysis/window';
import type { Store } from '../store';

export interface CoverageReport {
  window: { from: string; to: string };
  days: string[];
  cycleDays: number;
  daysWithData: number;
  shorterThanCycle: boolean;
  converged: boolean;
  notes: string[];
  sources: Array<{
    sourceKind: string;
    exporter: string;
    flows: number;
    hoursWithData: number;
    missingHours: number;
    firstSeen: string;
    lastSeen: string;
    gaps: Array<{ from: string; to: string; hours: number }>;
    /** per UTC day of the window: flows and hours with data */
    perDay: Array<{ day: string; flows: number; hours: number }>;
  }>;
  convergence: Array<{ day: string; newEdges: number; cumulative: number }>;
  excluded: {
    /** reason: port-sweep, ping-sweep, dark-sweep, unanswered, many-ports; scope: 'source' (the whole machine) or 'probes' (a shared service that also sweeps) */
    scanners: Array<{ name: string; targets: number; hosts: number; ports: number; failedRatio: number; flows: number; reason: string; scope: 'source' | 'probes' }>;
    ephemeralConversations: number;
    ephemeralFlows: number;
  };
  totals: { workloads: number; applications: number; dependencies: number };
  /** networks of unknown clients discovery suggests (a person accepts, renames, narrows or declines them) */
  networks: Array<{ name: string; cidr: string; addresses: number; reaches: string[]; confidence: number }>;
}

const DAY = 86_400_000;

export async function coverageReport(store: Store, r: AnalysisResult): Promise<CoverageReport> {
  const rows = await store.rows<{ day: string; source_kind: string; exporter: string; flows: number; hours: number }>(
    `SELECT toString(toDate(hour)) AS day, source_kind, exporter, sum(flows) AS flows, uniqExact(hour) AS hours
       FROM ${store.t('sources_hourly')}
      WHERE hour >= {from:DateTime} AND hour < {to:DateTime}
      GROUP BY day, source_kind, exporter`,
    { from: chTime(r.window.from), to: chTime(r.window.to) },
  );
  const days: string[] = [];
  for (let t = Math.floor(r.window.from.getTime() / DAY) * DAY; t < r.window.to.getTime(); t += DAY) days.push(new Date(t).toISOString().slice(0, 10));
  const perSource = new Map<string, Map<string, { flows: number; hours: number }>>();
  for (const row of rows) {
    const k = `${row.source_kind}|${row.exporter}`;
    const m = perSource.get(k) ?? perSource.set(k, new Map()).get(k)!;
    m.set(row.day, { flows: Number(row.flows), hours: Number(row.hours) });
  }
  const c = r.coverage;
  return {
    window: { from: r.window.from.toISOString(), to: r.window.to.toISOString() },
    days,
    cycleDays: c.cycleDays,
    daysWithData: c.daysWithData,
    shorterThanCycle: c.shorterThanCycle,
    converged: c.converged,
    notes: c.notes,
    sources: c.sources.map((s) => {
      const m = perSource.get(`${s.sourceKind}|${s.exporter}`);
      return {
        sourceKind: s.sourceKind,
        exporter: s.exporter,
        flows: s.flows,
        hoursWithData: s.hoursWithData,
        missingHours: s.missingHours,
        firstSeen: s.firstSeen.toISOString(),
        lastSeen: s.lastSeen.toISOString(),
        gaps: s.gaps.map((g) => ({ from: g.from.toISOString(), to: g.to.toISOString(), hours: g.hours })),
        perDay: days.map((day) => ({ day, flows: m?.get(day)?.flows ?? 0, hours: m?.get(day)?.hours ?? 0 })),
      };
    }),
    convergence: c.convergence,
    excluded: {
      scanners: c.excluded.scanners.map((s) => ({ name: s.name, targets: s.targets, hosts: s.hosts, ports: s.ports, failedRatio: s.failedRatio, flows: s.flows, reason: s.reason, scope: s.scope })),
      ephemeralConversations: c.excluded.ephemeralConversations,
      ephemeralFlows: c.excluded.ephemeralFlows,
    },
    totals: { workloads: r.workloads.length, applications: r.applications.filter((a) => a.kind === 'application').length, dependencies: r.edges.length },
    networks: r.clientNetworks.map((n) => ({ name: n.name, cidr: n.cidr, addresses: n.addresses.length, reaches: n.reaches.slice(0, 4), confidence: n.confidence })),
  };
}
