// The shapes of a simulation's input and answer, apart from the steps that compute it
// (./simulate.ts) so that the steps can name them without importing it.
import type { EnforcementState } from './enforcement-states';
import type { PortSpec, Selector } from './model';
import type { ScannerTraffic } from './scanner-traffic';

/** What simulation needs of a rule. */
export interface SimRule {
  id: string;
  from: Selector;
  to: Selector;
  ports: PortSpec[];
}

export interface SimulateOptions {
  from?: Date | string;
  to?: Date | string;
  /** window length in days when `from` is not given (default DISCOVERY_DAYS, the window rules are proposed from) */
  days?: number;
  /** top would-block dependencies to list (default 20) */
  top?: number;
  /** examples (address pairs) per would-block dependency (default 3) */
  examples?: number;
  /** also return every decided (client address, server address, protocol, port) row: for measurement against ground truth */
  detail?: boolean;
  /** a name for the policy in the result ("approved", "proposed", a file) */
  policyName?: string;
  /**
   * `as-set`: a flow the rules do not allow is blocked only when its client or its server is a
   * workload of an enforced application and environment (`states`), as the exports would write it;
   * `all`: every workload and address enforces (the rules alone). The engine's default is `all`
   * (monitor drift and the hold-out measure the rules); `bulkhead simulate`, the API and the page
   * default to `as-set` (lib/policy/service.ts; docs/policy.md, "Simulation and enforcement").
   */
  enforcement?: EnforcementMode;
  /** the states `as-set` uses; a pair not listed is in visibility (as in a baseline document) */
  states?: ReadonlyArray<{ application: string; environment: string; state: EnforcementState }>;
  /**
   * what discovery set apart as scanning over the window (./scanner-traffic.ts): their probes are
   * counted apart (`scanners`), not as blocked traffic, blocked dependencies or coverage. Not given:
   * nothing is set apart (the engine's default; `simulate` in ./service.ts gives discovery's).
   */
  scanners?: ScannerTraffic;
}

export const ENFORCEMENT_MODES = ['as-set', 'all'] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

export interface SimEndpoint {
  /** workload id, network name, "internet", or the address */
  key: string;
  name: string;
  kind: 'workload' | 'network' | 'internet' | 'address';
}

export interface BlockedDependency {
  from: SimEndpoint;
  to: SimEndpoint;
  protocol: number;
  port: number;
  flows: number;
  bytes: number;
  /** flows that were refused or unanswered anyway (scans and misconfigurations look like this) */
  failedFlows: number;
  firstSeen: string;
  lastSeen: string;
  /** distinct client and server addresses behind it */
  clientAddresses: number;
  serverAddresses: number;
  examples: Array<{ client: string; server: string; flows: number }>;
}

export interface SimulationResult {
  policy: { name: string; rules: number };
  window: { from: string; to: string };
  totals: {
    flows: number;
    bytes: number;
    allowedFlows: number;
    allowedBytes: number;
    /** flows the policy would block, scanners' probes left out (they are in `scanners`) */
    blockedFlows: number;
    blockedBytes: number;
    /** blocked flows that had an answer (real traffic that would break), versus refused/unanswered attempts */
    blockedAnsweredFlows: number;
    /** flows the rules do not allow that are let through and logged: no side enforced, one in test (counted in allowedFlows) */
    loggedFlows: number;
  };
  /**
   * scanners' probes, set apart from the figures above (null: nothing was set apart): how many
   * scanning sources sent them, their flows, and the flows and dependencies the policy would block
   * (blocking a sweep breaks nothing)
   */
  scanners: { sources: number; flows: number; blockedFlows: number; blockedDependencies: number } | null;
  /** which workloads enforced: every one (`all`), or the application and environment pairs in each state (`as-set`) */
  enforcement: { mode: EnforcementMode; enforced: string[]; test: string[] };
  /**
   * Rule coverage: share of observed connections (client, server, protocol, port; client and
   * server are workloads or addresses) whose flows the policy allows. `answered` counts only
   * connections with at least one answered flow (scans of closed ports are not connections).
   */
  coverage: { connections: number; covered: number; ratio: number; answered: { connections: number; covered: number; ratio: number } };
  /** per application (app label, @env when known): traffic it sends or receives */
  applications: Array<{ application: string; flows: number; bytes: number; allowedFlows: number; blockedFlows: number; blockedBytes: number; blockedAnsweredFlows: number; blockedDependencies: number; scannerBlockedFlows: number }>;
  /** the largest would-block dependencies */
  blocked: BlockedDependency[];
  /** how many would-block dependencies there are in all */
  blockedDependencies: number;
  /** flows each rule allowed in the window, and when it last did (null: no hit) */
  ruleHits: Array<{ id: string; flows: number; bytes: number; lastHit: string | null }>;
  detail?: Array<{ client: string; server: string; clientWorkload: string | null; serverWorkload: string | null; protocol: number; port: number; flows: number; allowedFlows: number }>;
  timings: { prepareMs: number; evaluateMs: number; aggregateMs: number; totalMs: number };
}
