// Simulation: a policy evaluated against the traffic observed in a window, inside ClickHouse.
//
// The hourly rollup is resolved to workloads by time (ASOF joins on address_bindings, like
// discovery) and grouped per (client workload or address, server workload or address, protocol,
// port). Rules go up as two small scratch tables: one row per (rule, port range) with its CIDR
// ranges, and one row per workload with the rule rows whose label selectors pick it (label
// matching is done here, on a few thousand workloads; what crosses into the engine is small).
// The engine then decides every conversation: a rule row allows it when its `from` holds the
// client (label membership, CIDR range minus exceptions, or any), its `to` holds the server and
// its ports hold the protocol and port. The decided conversations land in a third scratch table
// and a few small aggregations read them: totals, per application, the top would-block
// dependencies with examples, rule hits (stale rules) and coverage. No raw flow or rollup row is
// pulled into JavaScript.
//
// The steps: rule and membership rows (./simulate-rules.ts), the scratch tables loaded, every
// conversation decided and the aggregations read (./simulate-sql.ts), the result assembled
// (./simulate-result.ts).
import { randomBytes } from 'node:crypto';
import type { Db } from '../db';
import { syncNamedNetworks } from '../identity/networks';
import type { Store } from '../store';
import { resolveWindow } from '../analysis/window';
import type { PortSpec, Selector } from './model';
import type { PolicyView } from './labels';
import { simulationResult } from './simulate-result';
import { ruleRows } from './simulate-rules';
import { decideConversations, loadScratchTables, readAggregates, scratchTables } from './simulate-sql';

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
  /** window length in days when `from` is not given (default 7) */
  days?: number;
  /** top would-block dependencies to list (default 20) */
  top?: number;
  /** examples (address pairs) per would-block dependency (default 3) */
  examples?: number;
  /** also return every decided (client address, server address, protocol, port) row: for measurement against ground truth */
  detail?: boolean;
  /** a name for the policy in the result ("approved", "proposed", a file) */
  policyName?: string;
}

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
    blockedFlows: number;
    blockedBytes: number;
    /** blocked flows that had an answer (real traffic that would break), versus refused/unanswered attempts */
    blockedAnsweredFlows: number;
  };
  /**
   * Rule coverage: share of observed connections (client, server, protocol, port; client and
   * server are workloads or addresses) whose flows the policy allows. `answered` counts only
   * connections with at least one answered flow (scans of closed ports are not connections).
   */
  coverage: { connections: number; covered: number; ratio: number; answered: { connections: number; covered: number; ratio: number } };
  /** per application (app label, @env when known): traffic it sends or receives */
  applications: Array<{ application: string; flows: number; bytes: number; allowedFlows: number; blockedFlows: number; blockedBytes: number; blockedAnsweredFlows: number; blockedDependencies: number }>;
  /** the largest would-block dependencies */
  blocked: BlockedDependency[];
  /** how many would-block dependencies there are in all */
  blockedDependencies: number;
  /** flows each rule allowed in the window, and when it last did (null: no hit) */
  ruleHits: Array<{ id: string; flows: number; bytes: number; lastHit: string | null }>;
  detail?: Array<{ client: string; server: string; clientWorkload: string | null; serverWorkload: string | null; protocol: number; port: number; flows: number; allowedFlows: number }>;
  timings: { prepareMs: number; evaluateMs: number; aggregateMs: number; totalMs: number };
}

export async function simulatePolicy(store: Store, db: Db, rules: readonly SimRule[], view: PolicyView, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const t0 = performance.now();
  const window = resolveWindow({ from: opts.from, to: opts.to, days: opts.days ?? 7 });
  const T = scratchTables(store, randomBytes(5).toString('hex'));
  const { rows, members } = ruleRows(rules, view);
  const [nn] = await store.rows<{ n: number }>(`SELECT count() AS n FROM ${store.t('named_networks')}`);
  if (!nn?.n) await syncNamedNetworks(db, store);
  try {
    await loadScratchTables(store, T, rows, members);
    const t1 = performance.now();
    await decideConversations(store, T, window);
    const t2 = performance.now();
    const aggregates = await readAggregates(store, T, opts);
    const t3 = performance.now();
    return simulationResult(rules, view, window, opts, aggregates, {
      prepareMs: Math.round(t1 - t0), evaluateMs: Math.round(t2 - t1), aggregateMs: Math.round(t3 - t2), totalMs: Math.round(performance.now() - t0),
    });
  } finally {
    for (const t of [T.E, T.M, T.R]) await store.command(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  }
}
