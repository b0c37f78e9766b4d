// Monitor mode for the approved policy: new traffic since approval that the policy would block
// (drift), approved rules with no hits in N days (stale), and exceptions past their expiry
// (expired now, recorded as the system).
import type { Db } from '../db';
import type { Store } from '../store';
import { describeRule, type Rule } from './model';
import type { PolicyView } from './labels';
import { policyRules, shortId } from './rules';
import { simulatePolicy, type SimulationResult } from './simulate';
import { expireRules } from './workflow';

export interface MonitorOptions {
  /** drift since this time (default: the latest approval) */
  since?: Date;
  /** a rule with no hit in this many days is stale (default 30) */
  staleDays?: number;
  now?: Date;
  top?: number;
}

export interface MonitorResult {
  now: string;
  approvedRules: number;
  /** since when drift is measured, and what the approved policy would block in that time */
  drift: { since: string | null; blockedFlows: number; blockedAnsweredFlows: number; flows: number; dependencies: number; top: SimulationResult['blocked'] };
  stale: { days: number; rules: Array<{ id: string; rule: string; intent: string; approvedAt: string | null; lastHit: string | null }> };
  /** rules that expired by this run, and all expired rules */
  expired: { now: Array<{ id: string; rule: string; expires: string }>; total: number };
}

export async function monitorPolicy(store: Store, db: Db, view: PolicyView, opts: MonitorOptions = {}): Promise<MonitorResult> {
  const now = opts.now ?? new Date();
  const staleDays = opts.staleDays ?? 30;
  const expiredNow = await expireRules(db, now);
  const rules = await policyRules(db, 'approved', now);
  const approvals = await db.ruleEvent.findMany({ where: { action: 'approve', ruleId: { in: rules.map((r) => r.id) } }, orderBy: { at: 'asc' }, select: { ruleId: true, at: true } });
  const approvedAt = new Map<string, Date>();
  for (const a of approvals) approvedAt.set(a.ruleId, a.at);
  const latest = approvals.length ? approvals[approvals.length - 1]!.at : null;
  const since = opts.since ?? latest;

  let drift: MonitorResult['drift'] = { since: since ? since.toISOString() : null, blockedFlows: 0, blockedAnsweredFlows: 0, flows: 0, dependencies: 0, top: [] };
  if (since && since < now) {
    const sim = await simulatePolicy(store, db, rules, view, { from: since, to: now, top: opts.top ?? 20, policyName: 'approved' });
    drift = { since: sim.window.from, blockedFlows: sim.totals.blockedFlows, blockedAnsweredFlows: sim.totals.blockedAnsweredFlows, flows: sim.totals.flows, dependencies: sim.blockedDependencies, top: sim.blocked };
  }
  const staleFrom = new Date(now.getTime() - staleDays * 86_400_000);
  const stale: MonitorResult['stale']['rules'] = [];
  if (rules.length) {
    const sim = await simulatePolicy(store, db, rules, view, { from: staleFrom, to: now, top: 0, policyName: 'approved' });
    const hits = new Map(sim.ruleHits.map((h) => [h.id, h]));
    for (const r of rules) {
      const at = approvedAt.get(r.id) ?? null;
      if ((hits.get(r.id)?.flows ?? 0) > 0) continue;
      stale.push({ id: r.id, rule: describeRule(r), intent: r.intent, approvedAt: at ? at.toISOString() : null, lastHit: null });
    }
  }
  const totalExpired = await db.rule.count({ where: { status: 'expired' } });
  return {
    now: now.toISOString(),
    approvedRules: rules.length,
    drift,
    stale: { days: staleDays, rules: stale },
    expired: { now: expiredNow.map((r: Rule) => ({ id: r.id, rule: `${shortId(r.id)} ${describeRule(r)}`, expires: r.expires!.toISOString() })), total: totalExpired },
  };
}
