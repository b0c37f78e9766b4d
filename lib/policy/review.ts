// Review by application and environment (docs/policy.md, "Review by application"). The unit of
// review is app@env, the same pair enforcement is set on (./enforcement.ts): what reaches it
// (inbound: its workloads are the destination), what it reaches (outbound: they are the source,
// its egress included) and what runs between its own workloads (within). A rule side counts
// for a unit when it selects the unit's workloads by labels; address ranges and `any` name no
// application, so an ingress rule from the internet is inbound for its server and outbound for
// nobody. A rule whose selectors leave out `env` applies in every environment, and so shows in
// each (approving it in one approves the one rule).
//
// The unconfirmed gate: a rule whose selector names an application (`app=`) that discovery
// inferred and nobody confirmed cannot be approved; it would be enforced on a grouping that may
// be renamed or regrouped by the next run. It is lifted by confirming the application or by
// rewriting the rule to confirmed labels or addresses. Only the `app` key gates: it is what
// confirming an application makes a fact; inferred roles and environments stay a warning.
import type { Db } from '../db';
import { notFound } from '../errors';
import { describeRule, isLabels, type Rule, type RuleStatus, type Selector } from './model';
import { loadPolicyView, type PolicyView } from './labels';
import { listRules } from './rules';
import { labelsMatch, type PolicyWorkload } from './selectors';

export type ReviewDirection = 'inbound' | 'outbound' | 'within';
export const REVIEW_DIRECTIONS: readonly ReviewDirection[] = ['inbound', 'outbound', 'within'];

/** "orders@prod"; "orders" for workloads without an env label. */
export const unitName = (application: string, environment: string) => (environment ? `${application}@${environment}` : application);

/** app@env from its name (the last "@" splits, since application names carry none). */
export function parseUnit(text: string): { application: string; environment: string } {
  const at = text.lastIndexOf('@');
  return at < 0 ? { application: text, environment: '' } : { application: text.slice(0, at), environment: text.slice(at + 1) };
}

const unitOf = (w: PolicyWorkload) => (w.labels.app ? unitName(w.labels.app, w.labels.env ?? '') : null);

/** The units (app@env) a selector picks by labels. */
function unitsSelected(s: Selector, view: PolicyView): Set<string> {
  const out = new Set<string>();
  if (!isLabels(s)) return out;
  for (const w of view.workloads) {
    const u = unitOf(w);
    if (u && labelsMatch(s.labels, w)) out.add(u);
  }
  return out;
}

/** Which units each rule's client and server sides select. */
export interface RuleSides {
  from: Set<string>;
  to: Set<string>;
}

export function ruleSides(rules: readonly Rule[], view: PolicyView): Map<string, RuleSides> {
  return new Map(rules.map((r) => [r.id, { from: unitsSelected(r.from, view), to: unitsSelected(r.to, view) }]));
}

/** How a rule concerns a unit; null when it does not. */
export function directionFor(sides: RuleSides, unit: string): ReviewDirection | null {
  const src = sides.from.has(unit);
  const dst = sides.to.has(unit);
  return src && dst ? 'within' : dst ? 'inbound' : src ? 'outbound' : null;
}

/** The rules of one unit in both directions, each with its direction, in the order given. */
export function unitRules(rules: readonly Rule[], sides: Map<string, RuleSides>, unit: string): Array<{ rule: Rule; direction: ReviewDirection }> {
  const out: Array<{ rule: Rule; direction: ReviewDirection }> = [];
  for (const r of rules) {
    const d = directionFor(sides.get(r.id)!, unit);
    if (d) out.push({ rule: r, direction: d });
  }
  return out;
}

/** `in` keeps inbound and within, `out` outbound and within (a rule inside the unit is both). */
export function matchesDirection(d: ReviewDirection, want: 'in' | 'out' | 'both'): boolean {
  return want === 'both' || d === 'within' || (want === 'in' ? d === 'inbound' : d === 'outbound');
}

// --- the unconfirmed gate --------------------------------------------------------------------------

/** Applications whose `app` label is, on some workload, a suggestion nobody confirmed; with the environments it is suggested in. */
export function unconfirmedApplications(view: PolicyView): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const w of view.workloads) {
    if (!w.labels.app || !w.suggested.includes('app')) continue;
    const envs = out.get(w.labels.app) ?? new Set<string>();
    envs.add(w.labels.env ?? '');
    out.set(w.labels.app, envs);
  }
  return out;
}

/** The unconfirmed applications a rule names in its selectors (`app=` values), sorted. */
export function unconfirmedOf(r: Pick<Rule, 'from' | 'to'>, unconfirmed: Map<string, Set<string>>): string[] {
  const names = new Set<string>();
  for (const s of [r.from, r.to]) if (isLabels(s) && s.labels.app && unconfirmed.has(s.labels.app)) names.add(s.labels.app);
  return [...names].sort();
}

/** Why a rule cannot be approved yet, in words with what to do; null when the gate lets it through. */
export function unconfirmedRefusal(r: Pick<Rule, 'from' | 'to'>, unconfirmed: Map<string, Set<string>>): string | null {
  const names = unconfirmedOf(r, unconfirmed);
  if (!names.length) return null;
  const list = names.map((n) => [...unconfirmed.get(n)!].map((e) => unitName(n, e)).join(', ')).join(', ');
  return (
    `it relies on ${names.length === 1 ? 'an application' : 'applications'} discovery inferred and nobody confirmed (${list}): ` +
    `confirm ${names.length === 1 ? 'it' : 'them'} (Confirm in the review, or on the application's page), or rewrite the rule to confirmed labels or addresses`
  );
}

/** The gate's view from the database: every workload, addressed now or not (a rule may name one that is away). */
export async function loadUnconfirmed(db: Db): Promise<Map<string, Set<string>>> {
  return unconfirmedApplications(await loadPolicyView(db, { all: true }));
}

// --- one unit's rules and its "Approve all" ------------------------------------------------------

export interface UnitRule {
  rule: Rule;
  direction: ReviewDirection;
}

/**
 * The rules of app@env in both directions, with these statuses. Refused (not found) when no
 * workload carries the pair, naming the environments the application is in.
 */
export async function loadUnitRules(db: Db, unit: { application: string; environment: string }, statuses: RuleStatus[] = ['proposed']): Promise<{ view: PolicyView; rules: UnitRule[]; sides: Map<string, RuleSides> }> {
  const view = await loadPolicyView(db);
  const name = unitName(unit.application, unit.environment);
  const units = new Set(view.workloads.map(unitOf).filter((u): u is string => !!u));
  if (!units.has(name)) {
    const envs = [...units].filter((u) => parseUnit(u).application === unit.application).sort();
    throw notFound(`no workload carries app=${unit.application}${unit.environment ? ` and env=${unit.environment}` : ' without an env label'}${envs.length ? `; its units: ${envs.join(', ')}` : ''}`);
  }
  const all = await listRules(db, { status: statuses });
  const sides = ruleSides(all, view);
  return { view, rules: unitRules(all, sides, name), sides };
}

export interface UnitApprovalPlan {
  /** rules the actor approves (their application is in the actor's scope) */
  approve: string[];
  /** outbound rules of another application: the actor, owning this unit, agrees as the sending side */
  endorse: Set<string>;
  /** rules neither side of which is the actor's: refused here, with who approves them (as ./workflow.ts's ReviewOutcome) */
  refused: Array<{ id: string; rule: string; outcome: 'refused'; fromStatus: RuleStatus; toStatus: RuleStatus; note: string; reason: 'duties' }>;
}

/**
 * Who does what with a unit's proposed rules when "Approve all" is pressed: the receiving side's
 * owners (a rule's application: the server's, or the client's for egress) approve; the owner of
 * the unit agrees to its outbound rules of other applications (recorded, shown to them); what is
 * neither is refused with the name of who approves it.
 */
export function planUnitApproval(items: readonly UnitRule[], scope: 'all' | readonly string[], unitApplicationId: string | null, names: Map<string, string>): UnitApprovalPlan {
  const plan: UnitApprovalPlan = { approve: [], endorse: new Set(), refused: [] };
  const mine = (id: string | null) => scope === 'all' || (!!id && scope.includes(id));
  for (const { rule: r, direction } of items) {
    if (mine(r.applicationId)) plan.approve.push(r.id);
    else if (direction === 'outbound' && mine(unitApplicationId)) plan.endorse.add(r.id);
    else {
      const owner = r.applicationId ? names.get(r.applicationId) : null;
      plan.refused.push({
        id: r.id,
        rule: describeRule(r),
        outcome: 'refused',
        fromStatus: r.status,
        toStatus: r.status,
        reason: 'duties',
        note: owner ? `${owner}'s owners (or an admin or architect) approve it` : 'a rule of no application: an admin or architect approves it',
      });
    }
  }
  return plan;
}
