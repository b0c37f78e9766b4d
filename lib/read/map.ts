// The analysis of a window in the shape the map page reads (components/data/map.ts).
import type { AnalysisResult } from '../../lib/analysis/types';
import type { MapData } from '../../components/data/map';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toMapData(r: AnalysisResult): MapData {
  return {
    status: 'ready',
    window: { from: iso(r.window.from)!, to: iso(r.window.to)! },
    computedAt: iso(r.computedAt)!,
    analysisMs: r.timings.total ?? Object.values(r.timings).reduce((a, b) => a + b, 0),
    coverage: {
      days: r.coverage.days,
      daysWithData: r.coverage.daysWithData,
      firstData: iso(r.coverage.firstData),
      lastData: iso(r.coverage.lastData),
      shorterThanCycle: r.coverage.shorterThanCycle,
      converged: r.coverage.converged,
      notes: r.coverage.notes,
      scanners: r.coverage.excluded.scanners.length,
    },
    workloads: r.workloads.map((w) => ({
      id: w.id,
      name: w.name,
      kind: w.kind,
      addresses: w.addresses,
      labels: w.labels,
      app: w.application,
      appSource: w.applicationSource,
      confidence: w.confidence,
      role: w.role,
      roleSource: w.roleSource,
      roleConfidence: w.roleConfidence,
      env: w.environment,
      coreService: w.coreService,
      management: w.management,
      scanner: w.scanner,
      serves: w.serves,
      degree: w.degree,
    })),
    applications: r.applications.map((a) => ({
      id: a.id,
      name: a.name,
      env: a.environment,
      kind: a.kind,
      source: a.source,
      confidence: a.confidence,
      members: a.members.length,
      roles: a.roles,
    })),
    endpoints: r.endpoints.map((e) => ({ ...e })),
    edges: r.edges.map((e) => ({
      from: e.from,
      to: e.to,
      protocol: e.protocol,
      port: e.port,
      flows: e.flows,
      bytes: e.bytes,
      firstSeen: iso(e.firstSeen)!,
      lastSeen: iso(e.lastSeen)!,
      activeDays: e.activeDays,
      periodicity: e.periodicity,
      flags: e.flags,
      service: e.service,
      failedFlows: e.failedFlows,
    })),
  };
}
