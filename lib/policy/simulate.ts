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
// Enforcement (`opts.enforcement`): with `all` every endpoint drops what no rule allows; with
// `as-set` a conversation is blocked only when no rule allows it and its client or its server is
// a workload of an enforced application and environment (docs/policy.md, "Simulation and
// enforcement"). Each workload's level rides on its membership row.
//
// Scanners (`opts.scanners`, discovery's verdict over the window: ./scanner-traffic.ts): their
// probes are marked in the engine and counted apart, so a sweep is never "traffic that would break".
//
// The steps: rule and membership rows (./simulate-rules.ts), the scratch tables loaded, every
// conversation decided and the aggregations read (./simulate-sql.ts), the result assembled
// (./simulate-result.ts).
import { randomBytes } from 'node:crypto';
import type { Db } from '../db';
import { syncNamedNetworks } from '../identity/networks';
import type { Store } from '../store';
import { DISCOVERY_DAYS, resolveWindow } from '../analysis/window';
import type { PolicyView } from './labels';
import { simulationResult } from './simulate-result';
import type { SimRule, SimulateOptions, SimulationResult } from './simulate-types';
export * from './simulate-types';
import { ruleRows } from './simulate-rules';
import { decideConversations, loadScratchTables, readAggregates, scratchTables } from './simulate-sql';

export async function simulatePolicy(store: Store, db: Db, rules: readonly SimRule[], view: PolicyView, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const t0 = performance.now();
  const window = resolveWindow({ from: opts.from, to: opts.to, days: opts.days ?? DISCOVERY_DAYS });
  const T = scratchTables(store, randomBytes(5).toString('hex'));
  const all = (opts.enforcement ?? 'all') === 'all';
  const { rows, members } = ruleRows(rules, view, all ? undefined : (opts.states ?? []));
  const [nn] = await store.rows<{ n: number }>(`SELECT count() AS n FROM ${store.t('named_networks')}`);
  if (!nn?.n) await syncNamedNetworks(db, store);
  try {
    await loadScratchTables(store, T, rows, members, opts.scanners);
    const t1 = performance.now();
    await decideConversations(store, T, window, all);
    const t2 = performance.now();
    const aggregates = await readAggregates(store, T, opts);
    const t3 = performance.now();
    return simulationResult(rules, view, window, opts, aggregates, {
      prepareMs: Math.round(t1 - t0), evaluateMs: Math.round(t2 - t1), aggregateMs: Math.round(t3 - t2), totalMs: Math.round(performance.now() - t0),
    });
  } finally {
    for (const t of [T.E, T.M, T.R, T.P]) await store.command(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  }
}
