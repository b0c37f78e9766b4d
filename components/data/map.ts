// The dependency map as GET /api/v1/map sends it: the workload-level graph of a window with the
// attributes the client needs to fold it into environments, applications and roles itself, so
// that expanding and collapsing, filtering and searching never wait for the server.
import type { CoreServiceKind, EdgeFlags, Periodicity } from '../../lib/analysis/types';

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
