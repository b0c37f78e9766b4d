// The shapes of a demo estate, apart from the generator (./estate.ts) so that its steps can name
// them without importing it.
import type { CoreServiceKind, Role } from '../analysis/types';
import type { Schedule } from './schedule';

export interface EstateOptions {
  seed?: number;
  /** approximate number of workloads (default 300) */
  workloads?: number;
  /** days of flows (default 35: a 30-day window plus enough history to see monthly jobs twice) */
  days?: number;
  /** end of the data (default: now, aligned down to the hour) */
  end?: Date;
  /** share of applications whose inventory carries app/env/role labels (default 0.4) */
  labeledShare?: number;
  /** share of applications with conventional hostnames like orders-api-02 (default 0.6) */
  conventionalNames?: number;
  /** addresses handed to another workload during the window (default max(4, 1.5% of workloads)) */
  reusedAddresses?: number;
  /** distinct internet client addresses (default workloads) */
  internetClients?: number;
  /** flow records per active hour are multiplied by this (default 1); the benchmark raises it */
  flowScale?: number;
}

export interface EstateWorkload {
  name: string;
  kind: 'vm' | 'instance' | 'host';
  /** truth: prod | staging | dev | shared */
  env: string;
  /** truth: application name */
  app: string;
  role: Role;
  coreService: CoreServiceKind | null;
  windows: boolean;
  /** what inventory reports (app/env/role for labelled applications) */
  labels: Record<string, string>;
  /** address history (epoch ms; to null = still held) */
  bindings: Array<{ ip: string; from: number; to: number | null }>;
  /** ports it serves as "protocol/port" (truth, used for scanners' open ports) */
  serves: string[];
}

export interface EstateNetwork {
  name: string;
  kind: string;
  cidrs: string[];
}

export type ConversationKind = 'app' | 'cross-app' | 'core' | 'management' | 'external' | 'scan' | 'noise';

export interface ConversationSpec {
  id: number;
  /** truth endpoint keys: a workload name, a named network CIDR, "0.0.0.0/0"/"::/0" (internet clients), or an address */
  client: string;
  server: string;
  clientAddr: string;
  serverAddr: string;
  protocol: number;
  port: number;
  /** scans: the ports probed (then `port` is unused) and those that answer */
  ports?: number[];
  open?: number[];
  schedule: Schedule;
  /** validity, epoch ms, hour aligned: [from, to) */
  from: number;
  to: number;
  /** flow records per active hour */
  fph: number;
  /** mean bytes client -> server per flow */
  bytes: number;
  kind: ConversationKind;
  /** every attempt goes unanswered (TCP SYN only) */
  failed: boolean;
  exporter: string;
}

export interface Estate {
  seed: number;
  /** data span, epoch ms, hour aligned */
  start: number;
  end: number;
  workloads: EstateWorkload[];
  networks: EstateNetwork[];
  conversations: ConversationSpec[];
  exporters: Array<{ name: string; gaps: Array<{ from: number; to: number }> }>;
  /** scanning endpoints: workload names and outside addresses */
  scanners: string[];
  /** addresses that changed hands: before and after are workload names */
  reused: Array<{ ip: string; before: string; after: string; at: number }>;
}
