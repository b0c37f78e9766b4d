// The estate zoo's model: what a generated estate is (workloads, networks, conversations), what
// the writers turn into files, and what the ground truth says. docs/estate-zoo.md describes the
// world these estates imitate; this file is the contract between the generator (./estate.ts),
// the writers (./inventory.ts, ./aws.ts, ./ipfix.ts) and the ground truth (./truth.ts).
//
// Times are epoch milliseconds (UTC), hour aligned where they bound something.

export const NAMINGS = ['conventional', 'codes', 'cmdb', 'cloud', 'mixed'] as const;
export type Naming = (typeof NAMINGS)[number];
export const LABEL_AXES = ['none', 'partial', 'wrong'] as const;
export type LabelsAxis = (typeof LABEL_AXES)[number];
export const SOURCES = ['aws', 'ipfix'] as const;
export type SourceAxis = (typeof SOURCES)[number];

export interface ZooShape {
  /** approximate number of workloads (about 80, 250 or 2,000 in the bench) */
  workloads: number;
  naming: Naming;
  labels: LabelsAxis;
  source: SourceAxis;
  seed: number;
  /** end of the data, hour aligned (default ZOO_END) */
  end?: number;
  /** weeks of data (default 3: two to train on, one held out) */
  weeks?: number;
}

/** A fixed end, so the same shape and seed give the same estate whatever the day. */
export const ZOO_END = Date.UTC(2026, 5, 22, 0, 0, 0); // Monday 2026-06-22 00:00 UTC

export type TruthKind = 'application' | 'core' | 'management' | 'scanner';

export interface ZooBinding {
  ip: string;
  from: number;
  /** null: still held at the end */
  to: number | null;
}

export interface ZooWorkload {
  /** inventory name (hostname), unique in the estate */
  name: string;
  kind: 'vm' | 'instance' | 'host';
  os: 'linux' | 'windows';
  /** address history, as inventory records it */
  bindings: ZooBinding[];
  /** inventory tags as inventory has them (possibly wrong; empty without tags) */
  labels: Record<string, string>;
  truth: {
    /** application (or shared service: "directory", "monitoring", ...; "jump-hosts"; "vulnerability-scanner") */
    app: string;
    /** prod | staging | dev | shared (the truth's own vocabulary, whatever the tags say) */
    env: string;
    /** tier (web, app, worker, db, cache, queue, search, file) or the service's role */
    role: string;
    kind: TruthKind;
  };
}

export interface ZooNetwork {
  name: string;
  cidr: string;
  kind: 'admin' | 'users' | 'partner' | 'vpn';
  /** declared to Bulkhead as a named network (`bulkhead networks add`); most are not */
  declared: boolean;
}

export type ConversationKind = 'app' | 'cross-app' | 'core' | 'management' | 'people' | 'ingress' | 'egress' | 'scan' | 'sweep';
/** kinds that are dependencies (everything but scans and sweeps) */
export const LEGITIMATE_KINDS: readonly ConversationKind[] = ['app', 'cross-app', 'core', 'management', 'people', 'ingress', 'egress'];

/**
 * One side of a conversation: a workload (by name), an address of an undeclared or declared
 * network (its group is the network), an internet client, or an outside server address.
 */
export type Endpoint =
  | { type: 'workload'; name: string }
  | { type: 'network'; network: string }
  | { type: 'internet' }
  | { type: 'outside' }
  | { type: 'dark' };

/**
 * When a conversation is active, hour by hour (UTC). Absolute hour numbers are hours since the
 * epoch. Pseudo-random choices (which hours of a `continuous` conversation, which days of an
 * `irregular` one) are hashes of the conversation id and the hour, so they are repeatable.
 */
export type Schedule =
  /** active in about `share` (0..1) of hours; only on weekdays 08-18 when businessHours */
  | { type: 'continuous'; share: number; businessHours?: boolean }
  /** every day (or weekday) from `hour` for `hours` hours */
  | { type: 'daily'; hour: number; hours: number; weekdays?: boolean }
  /** on ISO day of week `dow` (1 = Monday) from `hour` for `hours` hours */
  | { type: 'weekly'; dow: number; hour: number; hours: number }
  /** on day of month `dom` (1-28), or the second Tuesday when dom = 0, from `hour` for `hours` hours */
  | { type: 'monthly'; dom: number; hour: number; hours: number }
  /** once, from absolute hour `at` for `hours` hours */
  | { type: 'once'; at: number; hours: number }
  /** on about `share` of days (weekdays only when weekdays), from `hour` for `hours` hours: interactive sessions, people */
  | { type: 'irregular'; share: number; hour: number; hours: number; weekdays?: boolean };

export interface ZooConversation {
  id: number;
  kind: ConversationKind;
  client: Endpoint;
  server: Endpoint;
  clientAddr: string;
  serverAddr: string;
  /** IANA protocol number: 6, 17, 1 */
  protocol: number;
  /** the server port; 0 for ICMP */
  port: number;
  /** the client's port when it is fixed (123 for NTP between servers); otherwise ephemeral */
  clientPort?: number;
  /** validity [from, to), hour aligned */
  from: number;
  to: number;
  schedule: Schedule;
  /** flow records per active hour (small: discovery works on hourly rollups) */
  perHour: number;
  /** mean bytes client -> server per flow */
  bytes: number;
  /** scans and sweeps: what the target does with the probe */
  outcome?: 'open' | 'reset' | 'dropped';
}

/** One flow as an exporter would see it (both directions' counters; writers split as their format needs). */
export interface ZooFlow {
  conversation: number;
  start: number;
  end: number;
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
  protocol: number;
  /** client -> server */
  packets: number;
  bytes: number;
  /** server -> client (0 when nothing answered) */
  revPackets: number;
  revBytes: number;
  /** TCP flags OR-ed per direction (0 for UDP/ICMP) */
  tcpFlags: number;
  revTcpFlags: number;
}

/** A truth group: "app|role|env" for workloads, "net:<cidr>", "internet", "outside:<ip>", or "dark". */
export type Group = string;

export interface TruthDependency {
  /** workload name, the client address for network members, "internet", or the outside address */
  client: string;
  server: string;
  protocol: number;
  port: number;
  kind: ConversationKind;
  clientGroup: Group;
  serverGroup: Group;
}

export interface TruthRule {
  from: Group;
  to: Group;
  /** "tcp/443", "udp/53", "icmp" */
  ports: string[];
}

/** The held-out (or any window's) traffic per address pair: what a policy is judged on. */
export interface TruthFlowCount {
  clientAddr: string;
  serverAddr: string;
  protocol: number;
  port: number;
  flows: number;
  kind: ConversationKind;
  clientGroup: Group;
  serverGroup: Group;
  /** workload names when the endpoint is a workload at that time */
  clientWorkload: string | null;
  serverWorkload: string | null;
}

export interface ZooEstate {
  shape: Required<ZooShape>;
  /** data span [start, end), hour aligned */
  start: number;
  end: number;
  workloads: ZooWorkload[];
  networks: ZooNetwork[];
  conversations: ZooConversation[];
  /** names of scanner workloads and outside scanning addresses */
  scanners: string[];
  /** addresses that changed hands */
  reused: Array<{ ip: string; before: string; after: string; at: number }>;
}
