// A generated estate with its ground truth: environments of tiered applications, the shared core
// services everyone uses, jump hosts, hypervisors, scanners, users and internet clients, partner
// and outside services, addresses that change hands, and weeks of conversations with realistic
// rhythms (continuous, business hours, nightly, weekly, monthly, once).
//
// The estate is a description: workloads with their address history and labels (what inventory
// would say), named networks, and conversation specs (who talks to whom on which port, when, how
// much). ./flows.ts expands the specs into flow records inside ClickHouse; ./truth.ts derives the
// dependencies a correct analysis must find in a window. Same seed, same estate.
//
// generateEstate is a pipeline of steps that add to one EstateBuilder (./estate-builder.ts):
// workloads (./estate-workloads.ts), conversations (./estate-traffic.ts), addresses that change
// hands (./estate-changes.ts), scans and noise (./estate-scans.ts). The order of the steps is
// the order in which they draw from the seeded random stream: changing it changes the estate.
import type { CoreServiceKind, Role } from '../analysis/types';
import { estateBuilder } from './estate-builder';
import { reuseAddresses, rebuildInstances } from './estate-changes';
import { addScans, addNoise, exportersWithGap } from './estate-scans';
import { addApplicationTraffic, addCoreTraffic, addInternetClients, addManagementTraffic } from './estate-traffic';
import { addApplications, addInfrastructure, businessOf } from './estate-workloads';
import type { Schedule } from './schedule';

export { DEMO_EXPORTERS } from './estate-builder';

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

export const NETWORKS: readonly EstateNetwork[] = [
  { name: 'corp-users', kind: 'user', cidrs: ['10.100.0.0/16'] },
  { name: 'partner-acme', kind: 'partner', cidrs: ['203.0.113.0/24'] },
];

export function generateEstate(opts: EstateOptions = {}): Estate {
  const b = estateBuilder(opts);
  const infra = addInfrastructure(b);
  const instances = addApplications(b, opts.labeledShare ?? 0.4, opts.conventionalNames ?? 0.6);
  addApplicationTraffic(b, instances);
  const publicFronts = addInternetClients(b, instances, opts.internetClients ?? b.target);
  const business = businessOf(instances);
  addCoreTraffic(b, infra, business);
  addManagementTraffic(b, infra, business);
  const nReuse = opts.reusedAddresses ?? Math.max(4, Math.round(b.target * 0.015));
  const reused = reuseAddresses(b, instances, business, nReuse);
  rebuildInstances(b, business, Math.max(1, Math.round(nReuse / 2)));
  const scanners = addScans(b, infra.scanner, publicFronts);
  addNoise(b, business);
  return {
    seed: opts.seed ?? 1, start: b.start, end: b.end, workloads: b.workloads, networks: [...NETWORKS], conversations: b.conversations, exporters: exportersWithGap(b.end, b.days),
    scanners, reused,
  };
}
