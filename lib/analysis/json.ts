// The JSON form of an analysis: what `bulkhead analyze --json` prints and GET /api/v1/analysis
// returns. Stable: the fields the issue names come first in every object and keep their meaning;
// new fields are only ever added (docs/discovery.md documents each one). The zod schema below is
// the contract, and the tests check real output against it.
import { z } from 'zod';
import { estateCounts } from './counts';
import type { AnalysisEdge, AnalysisResult } from './types';

const iso = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'ISO 8601 UTC time');
const protocol = z.union([z.enum(['tcp', 'udp', 'icmp']), z.number().int().min(0).max(255)]);
const periodicity = z.enum(['continuous', 'daily', 'weekly', 'monthly', 'once']);
const flag = z.enum(['core-service', 'management', 'external', 'cross-application', 'cross-environment']);

export const analysisJsonSchema = z.object({
  window: z.object({ from: iso, to: iso }),
  coverage: z.object({
    days: z.number(),
    daysWithData: z.number().int(),
    firstData: iso.nullable(),
    lastData: iso.nullable(),
    cycleDays: z.number().int(),
    shorterThanCycle: z.boolean(),
    gapHours: z.number().int(),
    sources: z.array(
      z.object({
        sourceKind: z.string(),
        exporter: z.string(),
        flows: z.number(),
        hoursWithData: z.number().int(),
        firstSeen: iso,
        lastSeen: iso,
        gaps: z.array(z.object({ from: iso, to: iso, hours: z.number().int() })),
        missingHours: z.number().int(),
      }),
    ),
    convergence: z.array(z.object({ day: z.string(), newEdges: z.number().int(), cumulative: z.number().int() })),
    converged: z.boolean(),
    excluded: z.object({
      scanners: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          workloadId: z.string().nullable(),
          targets: z.number().int(),
          hosts: z.number().int(),
          ports: z.number().int(),
          failedRatio: z.number(),
          flows: z.number(),
          firstSeen: iso,
          lastSeen: iso,
          reason: z.enum(['port-sweep', 'ping-sweep', 'dark-sweep', 'unanswered', 'many-ports']),
          scope: z.enum(['source', 'probes']),
        }),
      ),
      ephemeralConversations: z.number().int(),
      ephemeralFlows: z.number(),
    }),
    notes: z.array(z.string()),
  }),
  workloads: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      addresses: z.array(z.string()),
      labels: z.record(z.string(), z.string()),
      application: z.string().nullable(),
      role: z.string(),
      confidence: z.number().min(0).max(1),
      kind: z.string(),
      environment: z.string().nullable(),
      applicationSource: z.enum(['label', 'inferred']),
      roleSource: z.enum(['label', 'inferred']),
      roleConfidence: z.number().min(0).max(1),
      environmentSource: z.enum(['label', 'inferred']),
      coreService: z.string().nullable(),
      management: z.boolean(),
      scanner: z.boolean(),
      serves: z.array(z.string()),
    }),
  ),
  applications: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      members: z.array(z.string()),
      environment: z.string().nullable(),
      kind: z.enum(['application', 'core-service', 'management', 'scanner']),
      source: z.enum(['label', 'inferred']),
      confidence: z.number().min(0).max(1),
      roles: z.record(z.string(), z.number().int()),
      evidence: z.array(z.string()),
    }),
  ),
  edges: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      port: z.number().int().min(0).max(65535),
      protocol,
      flows: z.number(),
      bytes: z.number(),
      firstSeen: iso,
      lastSeen: iso,
      periodicity,
      fromName: z.string(),
      toName: z.string(),
      packets: z.number(),
      activeHours: z.number().int(),
      activeDays: z.number().int(),
      flags: z.array(flag),
      service: z.string().nullable(),
      failedFlows: z.number(),
      fromScanner: z.boolean(),
      fromNetwork: z.string().nullable(),
    }),
  ),
  networks: z.array(
    z.object({
      name: z.string(),
      cidr: z.string(),
      addresses: z.array(z.string()),
      reaches: z.array(z.string()),
      confidence: z.number().min(0).max(1),
    }),
  ),
  counts: z.object({
    workloads: z.number().int(),
    activeWorkloads: z.number().int(),
    applications: z.number().int(),
    groups: z.number().int(),
    dependencies: z.number().int(),
  }),
});

export type AnalysisJson = z.infer<typeof analysisJsonSchema>;

/** tcp | udp | icmp, or the IANA number for anything else */
export function protocolJson(n: number): 'tcp' | 'udp' | 'icmp' | number {
  return n === 6 ? 'tcp' : n === 17 ? 'udp' : n === 1 ? 'icmp' : n;
}

export function edgeFlags(e: AnalysisEdge): Array<z.infer<typeof flag>> {
  const f: Array<z.infer<typeof flag>> = [];
  if (e.flags.coreService) f.push('core-service');
  if (e.flags.management) f.push('management');
  if (e.flags.external) f.push('external');
  if (e.flags.crossApplication) f.push('cross-application');
  if (e.flags.crossEnvironment) f.push('cross-environment');
  return f;
}

const t = (d: Date) => d.toISOString();
const tn = (d: Date | null) => (d ? d.toISOString() : null);

export function toAnalysisJson(r: AnalysisResult): AnalysisJson {
  const names = new Map<string, string>();
  for (const w of r.workloads) names.set(w.id, w.name);
  for (const e of r.endpoints) names.set(e.id, e.name);
  const c = r.coverage;
  return {
    window: { from: t(r.window.from), to: t(r.window.to) },
    coverage: {
      days: c.days,
      daysWithData: c.daysWithData,
      firstData: tn(c.firstData),
      lastData: tn(c.lastData),
      cycleDays: c.cycleDays,
      shorterThanCycle: c.shorterThanCycle,
      gapHours: c.gapHours,
      sources: c.sources.map((s) => ({ ...s, firstSeen: t(s.firstSeen), lastSeen: t(s.lastSeen), gaps: s.gaps.map((g) => ({ from: t(g.from), to: t(g.to), hours: g.hours })) })),
      convergence: c.convergence,
      converged: c.converged,
      excluded: {
        scanners: c.excluded.scanners.map((s) => ({ ...s, firstSeen: t(s.firstSeen), lastSeen: t(s.lastSeen) })),
        ephemeralConversations: c.excluded.ephemeralConversations,
        ephemeralFlows: c.excluded.ephemeralFlows,
      },
      notes: c.notes,
    },
    workloads: r.workloads.map((w) => ({
      id: w.id,
      name: w.name,
      addresses: w.addresses,
      labels: w.labels,
      application: w.application,
      role: w.role,
      confidence: w.confidence,
      kind: w.kind,
      environment: w.environment,
      applicationSource: w.applicationSource,
      roleSource: w.roleSource,
      roleConfidence: w.roleConfidence,
      environmentSource: w.environmentSource,
      coreService: w.coreService,
      management: w.management,
      scanner: w.scanner,
      serves: w.serves,
    })),
    applications: r.applications.map((a) => ({
      id: a.id,
      name: a.name,
      members: a.members,
      environment: a.environment,
      kind: a.kind,
      source: a.source,
      confidence: a.confidence,
      roles: a.roles,
      evidence: a.evidence,
    })),
    edges: r.edges.map((e) => ({
      from: e.from,
      to: e.to,
      port: e.port,
      protocol: protocolJson(e.protocol),
      flows: e.flows,
      bytes: e.bytes,
      firstSeen: t(e.firstSeen),
      lastSeen: t(e.lastSeen),
      periodicity: e.periodicity,
      fromName: names.get(e.from) ?? e.from,
      toName: names.get(e.to) ?? e.to,
      packets: e.packets,
      activeHours: e.activeHours,
      activeDays: e.activeDays,
      flags: edgeFlags(e),
      service: e.service,
      failedFlows: e.failedFlows,
      fromScanner: e.fromScanner,
      fromNetwork: e.fromNetwork,
    })),
    networks: r.clientNetworks,
    counts: estateCounts(r),
  };
}

