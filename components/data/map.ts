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
