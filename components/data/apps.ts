// Applications and workloads as the JSON API sends them to their pages.
import type { Periodicity } from '../../lib/analysis/types';

export interface AppRow {
  /** discovery id: name@env (or the name when the application has no environment) */
  id: string;
  name: string;
  environment: string | null;
  kind: 'application' | 'core-service' | 'management' | 'scanner';
  members: number;
  roles: Record<string, number>;
  /** label: every member carries the app label; inferred: discovery grouped them */
  source: 'label' | 'inferred';
  confidence: number;
  /** why discovery grouped and named it so: structure, labels, hostnames, and conflicts between them */
  evidence: string[];
  /** the Application row (owners, confirmation), when there is one */
  record: { id: string; confirmed: boolean; description: string | null } | null;
  owners: Array<{ id: string; name: string; email: string }>;
  rules: Record<string, number>;
  /** dependencies to and from other applications or networks */
  dependsOn: number;
  usedBy: number;
}

export interface ApplicationsList {
  window: { from: string; to: string };
  applications: AppRow[];
}

export interface MemberRow {
  id: string;
  name: string;
  kind: string;
  addresses: string[];
  role: string;
  roleSource: 'label' | 'inferred';
  roleConfidence: number;
  confidence: number;
  environment: string | null;
  labels: Array<{ key: string; value: string; source: string; confirmed: boolean }>;
  serves: string[];
  degree: number;
}

export interface NeighbourRow {
  /** application id, workload id or endpoint id */
  id: string;
  name: string;
  kind: 'application' | 'workload' | 'network';
  ports: string[];
  flows: number;
  bytes: number;
  lastSeen: string;
  periodicity: Periodicity;
}

export interface ApplicationDetail {
  window: { from: string; to: string };
  application: AppRow;
  members: MemberRow[];
  dependsOn: NeighbourRow[];
  usedBy: NeighbourRow[];
  /** dependencies between its own workloads */
  internal: number;
  /** other applications (for merge targets) */
  others: Array<{ id: string; name: string; environment: string | null }>;
}

export interface WorkloadRow {
  id: string;
  name: string;
  kind: string;
  source: string;
  addresses: string[];
  application: string | null;
  environment: string | null;
  role: string | null;
  roleSource: 'label' | 'inferred' | null;
  confidence: number | null;
  labels: Array<{ key: string; value: string; source: string; confirmed: boolean }>;
  degree: number;
}

export interface WorkloadsList {
  window: { from: string; to: string };
  total: number;
  workloads: WorkloadRow[];
}

export interface WorkloadDetail {
  window: { from: string; to: string };
  workload: WorkloadRow & { externalId: string | null; attributes: unknown; createdAt: string; updatedAt: string; serves: string[]; coreService: string | null; management: boolean; scanner: boolean };
  /** every address binding, newest first */
  history: Array<{ ip: string; validFrom: string; validTo: string | null; source: string }>;
  dependsOn: NeighbourRow[];
  usedBy: NeighbourRow[];
}
