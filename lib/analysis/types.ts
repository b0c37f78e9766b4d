// The discovery model: what lib/analysis computes from a window of flows and the inventory, and
// what policy (proposals, simulation, blast radius), the UI, the JSON API and the CLI read.
//
// Stability: fields are only ever added. The JSON form printed by `bulkhead analyze --json`
// (./json.ts, documented in docs/discovery.md) is derived from these types.
//
// Entry points (all in lib/analysis, re-exported by ./index.ts):
//
//   analyze(rt, opts?: AnalyzeOptions): Promise<AnalysisResult>        ./analyze.ts
//   resolveWindow({ from?, to?, now?, days? }): AnalysisWindow         ./window.ts
//   graphAtLevel(result, level, opts?): LevelGraph                     ./levels.ts
//   toAnalysisJson(result): AnalysisJson                               ./json.ts
//   saveSuggestions(db, result): Promise<SaveResult>                   ./suggestions.ts
//
// Endpoint identity: an edge's `from`/`to` is a workload id when the address belonged to a
// workload at that time (resolved by time through address_bindings), otherwise the CIDR of the
// named network holding the address, otherwise the address itself, except that unknown public
// *clients* are grouped as the internet ("0.0.0.0/0" or "::/0").

export type Periodicity = 'continuous' | 'daily' | 'weekly' | 'monthly' | 'once';
export const PERIODICITIES: readonly Periodicity[] = ['continuous', 'daily', 'weekly', 'monthly', 'once'];

/** A workload's role (tier). 'api' is the app/api tier. */
export type Role = 'web' | 'api' | 'worker' | 'db' | 'cache' | 'queue' | 'core' | 'management' | 'client' | 'scanner' | 'unknown';
export const ROLES: readonly Role[] = ['web', 'api', 'worker', 'db', 'cache', 'queue', 'core', 'management', 'client', 'scanner', 'unknown'];

/** The kind of a shared core service, named from the ports it serves (behaviour decides that it is one). */
export type CoreServiceKind = 'dns' | 'ntp' | 'directory' | 'logging' | 'monitoring' | 'backup' | 'patching' | 'proxy' | 'shared';

export type Level = 'environment' | 'application' | 'role' | 'workload';
export const LEVELS: readonly Level[] = ['environment', 'application', 'role', 'workload'];

/** Where a value comes from: an existing (inventory, user or confirmed) label, or inference. */
export type ValueSource = 'label' | 'inferred';

export interface AnalysisWindow {
  /** inclusive, aligned down to the hour (the rollup's resolution) */
  from: Date;
  /** exclusive, aligned up to the hour */
  to: Date;
}

export interface AnalyzeOptions {
  /** ISO text or Date; default: `to` minus `days` */
  from?: Date | string;
  /** ISO text or Date; default: now (aligned up to the hour) */
  to?: Date | string;
  /** window length when `from` is not given (default 30, the usual business cycle) */
  days?: number;
  /** use existing app/role/env labels (default true); false measures structure alone */
  useLabels?: boolean;
  /** use hostnames as evidence for applications, roles and environments (default true) */
  useNames?: boolean;
  /** days before `to` over which periodicity is judged (default max(window, 62)), so that monthly jobs are seen twice */
  periodicityDays?: number;
  /** seed of the community detection (default 1): same data, same result */
  seed?: number;
  /** called between steps, for progress reporting */
  onStep?: (step: AnalysisStep, done: number, total: number) => void;
}

export type AnalysisStep = 'coverage' | 'edges' | 'inventory' | 'services' | 'clustering' | 'roles' | 'convergence';

export interface SourceCoverage {
  sourceKind: string;
  exporter: string;
  flows: number;
  /** hours of the window with data from this source */
  hoursWithData: number;
  firstSeen: Date;
  lastSeen: Date;
  /** silent stretches of at least `gapHours` inside the window (after the source's first hour), longest first, at most 20 */
  gaps: Array<{ from: Date; to: Date; hours: number }>;
  /** hours of all gaps together */
  missingHours: number;
}

export interface ConvergenceDay {
  /** UTC day, YYYY-MM-DD */
  day: string;
  /** dependencies (edges) first seen in the window on this day */
  newEdges: number;
  /** edges known at the end of this day */
  cumulative: number;
}

export interface Coverage {
  /** window length in days */
  days: number;
  /** distinct UTC days of the window with any flow */
  daysWithData: number;
  /** first and last flow in the window, null when none */
  firstData: Date | null;
  lastData: Date | null;
  /** the business cycle the analysis assumes (30 days) */
  cycleDays: number;
  /** true when the window, or the data in it, covers less than the cycle: monthly jobs, patch cycles and backups may be missing */
  shorterThanCycle: boolean;
  /** minimum silent hours that count as a gap */
  gapHours: number;
  sources: SourceCoverage[];
  /** new dependencies per day, for deciding whether discovery has converged */
  convergence: ConvergenceDay[];
  /** true when the last 7 days of data added at most 1% of the edges (and there are at least 7 days) */
  converged: boolean;
  /** what was left out and why */
  excluded: {
    /** scanning sources: their traffic never becomes edges */
    scanners: Scanner[];
    /** conversations on ephemeral server ports seen once (orientation noise) */
    ephemeralConversations: number;
    ephemeralFlows: number;
  };
  /** human-readable remarks (short window, gaps, not converged, no inventory) */
  notes: string[];
}

import type { ClientNetwork } from './client-networks';
export type { ClientNetwork };

/** Why a source counts as a scanner (lib/analysis/scanners.ts decides). */
export type SweepReason = 'port-sweep' | 'ping-sweep' | 'dark-sweep' | 'unanswered' | 'many-ports';

export interface Scanner {
  /** the endpoint: workload id or address */
  id: string;
  /** workload name or address */
  name: string;
  /** set when the scanning address belonged to a workload */
  workloadId: string | null;
  /** probes: distinct (host, protocol, port) targets set apart */
  targets: number;
  hosts: number;
  ports: number;
  /** share of targets whose every attempt went unanswered or was refused */
  failedRatio: number;
  flows: number;
  firstSeen: Date;
  lastSeen: Date;
  /** how the sweep showed itself (lib/analysis/scanners.ts) */
  reason: SweepReason;
  /**
   * 'source': the whole source is a scanner (its own dependencies are edges marked fromScanner,
   * and policy proposes nothing from it); 'probes': a shared service that also sweeps (a
   * monitoring server's discovery job): only its probes were set apart
   */
  scope: 'source' | 'probes';
}

export interface AnalysisWorkload {
  /** Workload.id */
  id: string;
  /** inventory name (hostname) */
  name: string;
  kind: string;
  /** addresses held during the window */
  addresses: string[];
  /** existing labels that count as facts: inventory, user, or confirmed (never unconfirmed suggestions) */
  labels: Record<string, string>;
  /** AnalysisApplication.id, null when the workload had no traffic and no app label */
  application: string | null;
  /** how the application was decided */
  applicationSource: ValueSource;
  /** confidence of the application assignment, 0..1 (1 for labels) */
  confidence: number;
  /** one of ROLES when inferred; a role label's value as is (it may use other words) */
  role: Role | (string & {});
  roleSource: ValueSource;
  roleConfidence: number;
  environment: string | null;
  environmentSource: ValueSource;
  /** set when this workload is a shared core service */
  coreService: CoreServiceKind | null;
  /** a jump host / management station: opens management sessions to many workloads */
  management: boolean;
  /** flagged as a scanner: its client traffic is not in `edges` */
  scanner: boolean;
  /** ports it serves (from edges where it is the server), as "tcp/5432" */
  serves: string[];
  /** edges in the window where it is client or server */
  degree: number;
}

export interface AnalysisApplication {
  /** stable: the name, plus "@env" when the application has an environment */
  id: string;
  /** the `app` label value (existing or suggested) */
  name: string;
  environment: string | null;
  /** workload ids */
  members: string[];
  /** 'label' when every member carries the app label; otherwise 'inferred' */
  source: ValueSource;
  /** mean member confidence */
  confidence: number;
  /** set for applications made of shared core services, jump hosts or scanners */
  kind: 'application' | 'core-service' | 'management' | 'scanner';
  /** members per role */
  roles: Record<string, number>;
  /** why: the structure, labels and hostnames behind the grouping and its name, and conflicts between them */
  evidence: string[];
}

/** An endpoint that is not a workload: a named network, the internet, or a single address. */
export interface AnalysisEndpoint {
  /** the CIDR or address used in edges */
  id: string;
  kind: 'network' | 'internet' | 'address';
  /** the named network's name, "internet", or the address */
  name: string;
  /** NamedNetwork.kind when it is one (user, internet, partner, datacenter, other) */
  networkKind: string | null;
  /** distinct addresses seen behind it */
  addresses: number;
}

export interface EdgeFlags {
  /** the server is a shared core service (or the client is one pulling from agents: monitoring, backup) */
  coreService: boolean;
  /** a management path: SSH, RDP, WinRM, VNC, IPMI, hypervisor management, or from a jump host */
  management: boolean;
  /** one endpoint is not a workload (network, internet or unknown address) */
  external: boolean;
  /** both endpoints are workloads in different applications */
  crossApplication: boolean;
  /** both endpoints are workloads in different environments */
  crossEnvironment: boolean;
}

export interface AnalysisEdge {
  /** client: workload id, CIDR or address */
  from: string;
  /** server: workload id, CIDR or address */
  to: string;
  /** IANA protocol number */
  protocol: number;
  /** server port; 0 for ICMP (all types) */
  port: number;
  flows: number;
  /** both directions */
  bytes: number;
  packets: number;
  bytesToServer: number;
  bytesToClient: number;
  firstSeen: Date;
  lastSeen: Date;
  /** distinct hours and UTC days of the window with traffic */
  activeHours: number;
  activeDays: number;
  periodicity: Periodicity;
  flags: EdgeFlags;
  /** the core service kind when flags.coreService */
  service: CoreServiceKind | null;
  /** attempts that were refused or unanswered */
  failedFlows: number;
  /** the client is a scanner and this is what it uses like any other client (its DNS, its logging); policy proposes nothing from it */
  fromScanner: boolean;
  /** the suggested network of unknown clients (its CIDR) the client address belongs to (./client-networks.ts); policy uses it instead of the address */
  fromNetwork: string | null;
}

export interface AnalysisResult {
  window: AnalysisWindow;
  /** the span periodicity was judged over (ends at window.to) */
  periodicityWindow: AnalysisWindow;
  coverage: Coverage;
  /** workloads with traffic in the window or an address held during it */
  workloads: AnalysisWorkload[];
  applications: AnalysisApplication[];
  endpoints: AnalysisEndpoint[];
  edges: AnalysisEdge[];
  /** networks of unknown clients suggested from behaviour (nobody declared them) */
  clientNetworks: ClientNetwork[];
  /** options as applied */
  options: { useLabels: boolean; useNames: boolean; seed: number };
  /** milliseconds per step, for benchmarks and the UI's "computed in" */
  timings: Record<string, number>;
  computedAt: Date;
}

export interface LevelNode {
  /** workload id, application id, "<application id>/<role>", environment name, or endpoint id */
  id: string;
  label: string;
  kind: 'workload' | 'application' | 'role' | 'environment' | 'network' | 'internet' | 'address';
  /** the application (for workload and role nodes), environment (for all but endpoints) */
  application: string | null;
  environment: string | null;
  role: Role | (string & {}) | null;
  /** workloads behind the node (1 for a workload, 0 for endpoints) */
  workloads: number;
  coreService: CoreServiceKind | null;
}

export interface LevelEdge {
  from: string;
  to: string;
  /** "tcp/443", "udp/53", "icmp" sorted */
  ports: string[];
  flows: number;
  bytes: number;
  /** workload-level edges folded into this one */
  edges: number;
  firstSeen: Date;
  lastSeen: Date;
  /** the most regular periodicity among the folded edges (continuous > daily > weekly > monthly > once) */
  periodicity: Periodicity;
  flags: EdgeFlags;
}

export interface LevelGraph {
  level: Level;
  window: AnalysisWindow;
  nodes: LevelNode[];
  edges: LevelEdge[];
}

export interface SaveResult {
  /** inferred labels written or updated (source 'inferred', confirmed false) */
  labelsWritten: number;
  /** unconfirmed suggestions removed because inference no longer supports them */
  labelsRemoved: number;
  /** Application rows created for suggested applications (confirmed false) */
  applicationsCreated: number;
  /** suggested networks of unknown clients written or updated, and removed (no longer suggested) */
  networksWritten: number;
  networksRemoved: number;
}
