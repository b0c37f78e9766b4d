// The dependency map of a window as the map page, the API (GET /api/v1/map) and the CLI read it:
// the workload-level graph with the attributes needed to fold it into environments,
// applications and roles (MapData), its compact wire form (MapWire), and the index that says
// which workloads and endpoints a node of the folded map stands for (MapIndex), shared by the
// page's folding (components/map/view.ts) and the server's readers (./sides.ts) so both agree.
// Pure and browser-safe: only type imports.
import { DEFAULT_ENFORCEMENT, type EnforcementState } from '../policy/enforcement-states';
import type { AnalysisResult, CoreServiceKind, EdgeFlags, Periodicity } from '../analysis/types';

export interface MapWorkload {
  id: string;
  name: string;
  kind: string;
  addresses: string[];
  labels: Record<string, string>;
  /** application id (analysis), null when none */
  app: string | null;
  appSource: 'label' | 'inferred';
  confidence: number;
  role: string;
  roleSource: 'label' | 'inferred';
  roleConfidence: number;
  env: string | null;
  coreService: CoreServiceKind | null;
  management: boolean;
  scanner: boolean;
  serves: string[];
  degree: number;
}

export interface MapApplication {
  id: string;
  name: string;
  env: string | null;
  kind: 'application' | 'core-service' | 'management' | 'scanner';
  source: 'label' | 'inferred';
  confidence: number;
  members: number;
  roles: Record<string, number>;
  /** its enforcement state in its environment (lib/policy/enforcement.ts; visibility unless set) */
  enforcement: EnforcementState;
}

export interface MapEndpoint {
  id: string;
  kind: 'network' | 'internet' | 'address';
  name: string;
  networkKind: string | null;
  addresses: number;
}

export interface MapEdge {
  from: string;
  to: string;
  protocol: number;
  port: number;
  flows: number;
  bytes: number;
  firstSeen: string;
  lastSeen: string;
  activeDays: number;
  periodicity: Periodicity;
  flags: EdgeFlags;
  service: CoreServiceKind | null;
  failedFlows: number;
}

export interface MapCoverage {
  days: number;
  daysWithData: number;
  firstData: string | null;
  lastData: string | null;
  shorterThanCycle: boolean;
  converged: boolean;
  notes: string[];
  scanners: number;
}

export interface MapData {
  status: 'ready';
  window: { from: string; to: string };
  computedAt: string;
  /** milliseconds the analysis took */
  analysisMs: number;
  coverage: MapCoverage;
  workloads: MapWorkload[];
  applications: MapApplication[];
  endpoints: MapEndpoint[];
  edges: MapEdge[];
}

/**
 * The map on the wire: dependencies are most of a large map (tens of thousands), so they travel
 * as one flat array of numbers, 13 per dependency, with endpoints, rhythms and services as
 * indexes into small tables, and times in epoch seconds. A 4,000-workload estate with 39,000
 * dependencies went from 17.7 MB of JSON to a tenth of it (docs/benchmarks.md).
 */
export interface MapWire extends Omit<MapData, 'edges'> {
  format: 'bulkhead-map/1';
  edges: {
    /** endpoint ids (workload ids, CIDRs, addresses) the rows point into */
    ends: string[];
    services: string[];
    /** [from, to, protocol, port, flows, bytes, firstSeen s, lastSeen s, activeDays, periodicity, flags, service + 1 (0: none), failedFlows] per dependency */
    rows: number[];
  };
}

const PERIODICITY: MapEdge['periodicity'][] = ['continuous', 'daily', 'weekly', 'monthly', 'once'];
const FLAG_KEYS = ['coreService', 'management', 'external', 'crossApplication', 'crossEnvironment'] as const;
const WIDTH = 13;

export function encodeMap(data: MapData): MapWire {
  const ends: string[] = [];
  const endIx = new Map<string, number>();
  const services: string[] = [];
  const svcIx = new Map<string, number>();
  const at = (m: Map<string, number>, list: string[], k: string) => {
    let i = m.get(k);
    if (i === undefined) {
      i = list.length;
      list.push(k);
      m.set(k, i);
    }
    return i;
  };
  const rows = new Array<number>(data.edges.length * WIDTH);
  data.edges.forEach((e, i) => {
    let flags = 0;
    FLAG_KEYS.forEach((k, b) => {
      if (e.flags[k]) flags |= 1 << b;
    });
    const o = i * WIDTH;
    rows[o] = at(endIx, ends, e.from);
    rows[o + 1] = at(endIx, ends, e.to);
    rows[o + 2] = e.protocol;
    rows[o + 3] = e.port;
    rows[o + 4] = e.flows;
    rows[o + 5] = e.bytes;
    rows[o + 6] = Math.floor(Date.parse(e.firstSeen) / 1000);
    rows[o + 7] = Math.ceil(Date.parse(e.lastSeen) / 1000);
    rows[o + 8] = e.activeDays;
    rows[o + 9] = PERIODICITY.indexOf(e.periodicity);
    rows[o + 10] = flags;
    rows[o + 11] = e.service ? at(svcIx, services, e.service) + 1 : 0;
    rows[o + 12] = e.failedFlows;
  });
  const { edges: _edges, ...rest } = data;
  return { ...rest, format: 'bulkhead-map/1', edges: { ends, services, rows } };
}

export function decodeMap(wire: MapWire): MapData {
  const { ends, services, rows } = wire.edges;
  const edges: MapEdge[] = new Array(rows.length / WIDTH);
  for (let i = 0, o = 0; o < rows.length; i++, o += WIDTH) {
    const f = rows[o + 10]!;
    edges[i] = {
      from: ends[rows[o]!]!,
      to: ends[rows[o + 1]!]!,
      protocol: rows[o + 2]!,
      port: rows[o + 3]!,
      flows: rows[o + 4]!,
      bytes: rows[o + 5]!,
      firstSeen: new Date(rows[o + 6]! * 1000).toISOString(),
      lastSeen: new Date(rows[o + 7]! * 1000).toISOString(),
      activeDays: rows[o + 8]!,
      periodicity: PERIODICITY[rows[o + 9]!] ?? 'once',
      flags: { coreService: (f & 1) !== 0, management: (f & 2) !== 0, external: (f & 4) !== 0, crossApplication: (f & 8) !== 0, crossEnvironment: (f & 16) !== 0 },
      service: rows[o + 11] ? (services[rows[o + 11]! - 1] as MapEdge['service']) : null,
      failedFlows: rows[o + 12]!,
    };
  }
  const { format: _f, edges: _e, ...rest } = wire;
  return { ...rest, edges };
}

/** The analysis of a window as map data. */
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * The map of an analysis, each application with its enforcement state (`states`, as
 * enforcementStates lists them; a pair not listed is in visibility).
 */
export function toMapData(r: AnalysisResult, states: ReadonlyArray<{ application: string; environment: string; state: EnforcementState }> = []): MapData {
  const stateOf = new Map(states.map((s) => [`${s.application}\n${s.environment}`, s.state]));
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
      enforcement: stateOf.get(`${a.name}\n${a.environment ?? ''}`) ?? DEFAULT_ENFORCEMENT,
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

/** The nested nodes above a leaf of the map (ids, outermost first) and their depths. */
export interface Chain {
  ids: string[];
  depths: number[];
}

/** The zones apart from the environments. */
export type Zone = 'core' | 'management' | 'scanners' | 'external';

/** Key of a dependency of the map: `${from}|${to}|${protocol}|${port}` (overlays are keyed by it). */
export const edgeKey = (e: { from: string; to: string; protocol: number; port: number }) => `${e.from}|${e.to}|${e.protocol}|${e.port}`;

/** Indexes of the data used by every view (computed once per data set). */
export interface MapIndex {
  data: MapData;
  workloads: Map<string, MapWorkload>;
  apps: Map<string, MapData['applications'][number]>;
  endpoints: Map<string, MapData['endpoints'][number]>;
  chains: Map<string, Chain>;
}

export function indexMap(data: MapData): MapIndex {
  const workloads = new Map(data.workloads.map((w) => [w.id, w]));
  const apps = new Map(data.applications.map((a) => [a.id, a]));
  const endpoints = new Map(data.endpoints.map((e) => [e.id, e]));
  const chains = new Map<string, Chain>();
  for (const w of data.workloads) {
    if (!w.app) continue;
    const app = apps.get(w.app);
    const zone = zoneOf(app?.kind ?? 'application', w);
    if (zone) chains.set(`w:${w.id}`, { ids: [`zone:${zone}`, `app:${w.app}`, `w:${w.id}`], depths: [1, 2, 4] });
    else {
      const env = app?.env ?? w.env ?? '';
      chains.set(`w:${w.id}`, { ids: [`env:${env}`, `app:${w.app}`, `role:${w.app}/${w.role}`, `w:${w.id}`], depths: [1, 2, 3, 4] });
    }
  }
  return { data, workloads, apps, endpoints, chains };
}

export function zoneOf(kind: MapData['applications'][number]['kind'], w: MapWorkload): Zone | null {
  if (kind === 'core-service') return 'core';
  if (kind === 'management') return 'management';
  if (kind === 'scanner' || w.scanner) return 'scanners';
  return null;
}
