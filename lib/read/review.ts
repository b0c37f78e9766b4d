// The Rules page's review by application (lib/policy/review.ts): the list of units (app@env)
// with their enforcement state and counts, and one unit's rules in both directions, each with
// who approves it, the other side's owners and whether they agreed, and whether the unconfirmed
// gate holds it back.
import type { Config } from '../config';
import type { Db } from '../db';
import type { Principal } from '../auth/principal';
import { applicationScope } from '../auth/ownership';
import { listEnforcement } from '../policy/enforcement';
import { DEFAULT_ENFORCEMENT, type EnforcementState } from '../policy/enforcement-states';
import { loadPolicyView } from '../policy/labels';
import type { RuleStatus } from '../policy/model';
import { listRules } from '../policy/rules';
import { directionFor, loadUnitRules, parseUnit, ruleSides, unconfirmedApplications, unconfirmedOf, unconfirmedRefusal, unitName, type ReviewDirection } from '../policy/review';
import { applicationNames, ruleJson, ruleReviews, type RuleJson } from './rules';

type Counts = Record<ReviewDirection, { proposed: number; approved: number }>;

export interface ReviewUnitJson {
  /** "orders@prod" */
  unit: string;
  application: string;
  applicationId: string | null;
  environment: string;
  state: EnforcementState;
  workloads: number;
  /** discovery inferred the application and nobody confirmed it: its rules cannot be approved yet */
  unconfirmed: boolean;
  counts: Counts;
  /** proposed rules in any direction (to review) and approved ones */
  toReview: number;
  approved: number;
}

const emptyCounts = (): Counts => ({ inbound: { proposed: 0, approved: 0 }, outbound: { proposed: 0, approved: 0 }, within: { proposed: 0, approved: 0 } });

/** Every unit whose workloads have an address now, with its state and its rules counted by direction. */
export async function reviewUnits(db: Db): Promise<ReviewUnitJson[]> {
  const [view, rules, states, apps] = await Promise.all([loadPolicyView(db), listRules(db, { status: ['proposed', 'approved'] }), listEnforcement(db), db.application.findMany({ select: { id: true, name: true } })]);
  const ids = new Map(apps.map((a) => [a.name, a.id]));
  const state = new Map(states.map((s) => [unitName(s.application, s.environment), s.state]));
  const unconfirmed = unconfirmedApplications(view);
  const units = new Map<string, ReviewUnitJson>();
  for (const w of view.workloads) {
    if (!w.labels.app) continue;
    const env = w.labels.env ?? '';
    const key = unitName(w.labels.app, env);
    const u =
      units.get(key) ??
      units
        .set(key, {
          unit: key,
          application: w.labels.app,
          applicationId: ids.get(w.labels.app) ?? null,
          environment: env,
          state: state.get(key) ?? DEFAULT_ENFORCEMENT,
          workloads: 0,
          unconfirmed: unconfirmed.get(w.labels.app)?.has(env) ?? false,
          counts: emptyCounts(),
          toReview: 0,
          approved: 0,
        })
        .get(key)!;
    u.workloads++;
  }
  const sides = ruleSides(rules, view);
  for (const r of rules) {
    const s = sides.get(r.id)!;
    for (const key of new Set([...s.from, ...s.to])) {
      const u = units.get(key);
      const d = directionFor(s, key);
      if (!u || !d) continue;
      const status = r.status === 'approved' ? 'approved' : 'proposed';
      u.counts[d][status]++;
      if (status === 'approved') u.approved++;
      else u.toReview++;
    }
  }
  return [...units.values()].sort((a, b) => a.application.localeCompare(b.application) || a.environment.localeCompare(b.environment));
}

export interface SideJson {
  application: string;
  owners: string[];
  /** those of its owners who approved the rule or agreed to it */
  agreed: string[];
}

export interface UnitRuleJson extends RuleJson {
  direction: ReviewDirection;
  /** the other applications the rule connects this unit to (senders of inbound, receivers of outbound) */
  others: SideJson[];
  /** who approved it, and who agreed as the sending side */
  approvedBy: string[];
  agreedBy: string[];
  /** the unconfirmed gate: why nobody may approve it yet (null when it may be) */
  blocked: string | null;
  /** the reader may approve it (its application is theirs), or agree to it as the sending side */
  mayApprove: boolean;
  mayAgree: boolean;
}

export interface UnitReviewJson {
  unit: string;
  application: string;
  applicationId: string | null;
  environment: string;
  /** the unconfirmed applications these rules name, with the units discovery put them in (for Confirm) */
  unconfirmed: Array<{ application: string; units: string[] }>;
  rules: UnitRuleJson[];
}

/** One unit's rules (both directions) as the reader sees them. */
export async function unitReview(db: Db, config: Pick<Config, 'review'>, reader: Principal, unitText: string, statuses: RuleStatus[]): Promise<UnitReviewJson> {
  const unit = parseUnit(unitText);
  const { view, rules: items, sides } = await loadUnitRules(db, unit, statuses);
  const name = unitName(unit.application, unit.environment);
  const rules = items.map((i) => i.rule);
  const [names, reviews, scope, app] = await Promise.all([
    applicationNames(db),
    ruleReviews(db, config, reader, rules),
    applicationScope(db, reader, 'rules:review'),
    db.application.findUnique({ where: { name: unit.application }, select: { id: true } }),
  ]);
  const unconfirmed = unconfirmedApplications(view);
  // the other sides' owners, and the approvals and agreements of these rules
  const otherApps = new Set<string>();
  for (const { rule, direction } of items) {
    const s = sides.get(rule.id)!;
    for (const u of direction === 'inbound' ? s.from : direction === 'outbound' ? s.to : []) if (u !== name) otherApps.add(parseUnit(u).application);
  }
  const owners = new Map<string, Array<{ id: string; name: string }>>();
  for (const o of await db.applicationOwner.findMany({ where: { application: { name: { in: [...otherApps] } } }, include: { application: { select: { name: true } }, user: { select: { id: true, email: true, name: true } } } })) {
    owners.set(o.application.name, [...(owners.get(o.application.name) ?? []), { id: o.user.id, name: o.user.name || o.user.email }]);
  }
  const events = new Map<string, Array<{ action: string; actorId: string | null; actorName: string }>>();
  const ids = rules.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    for (const e of await db.ruleEvent.findMany({ where: { ruleId: { in: ids.slice(i, i + 500) }, action: { in: ['approve', 'endorse'] } }, select: { ruleId: true, action: true, actorId: true, actorName: true } })) {
      events.set(e.ruleId, [...(events.get(e.ruleId) ?? []), e]);
    }
  }
  const mine = (id: string | null) => scope === 'all' || (!!id && scope.includes(id));
  const out: UnitRuleJson[] = items.map(({ rule, direction }) => {
    const s = sides.get(rule.id)!;
    const ev = events.get(rule.id) ?? [];
    const otherUnits = direction === 'inbound' ? s.from : direction === 'outbound' ? s.to : new Set<string>();
    const others = [...new Set([...otherUnits].filter((u) => u !== name).map((u) => parseUnit(u).application))].sort().map((a) => {
      const os = owners.get(a) ?? [];
      const agreed = os.filter((o) => ev.some((e) => e.actorId === o.id)).map((o) => o.name);
      return { application: a, owners: os.map((o) => o.name), agreed };
    });
    const mayApprove = mine(rule.applicationId);
    return {
      ...ruleJson(rule, names, reviews.get(rule.id) ?? null),
      direction,
      others,
      approvedBy: [...new Set(ev.filter((e) => e.action === 'approve').map((e) => e.actorName))],
      agreedBy: [...new Set(ev.filter((e) => e.action === 'endorse').map((e) => e.actorName))],
      blocked: unconfirmedRefusal(rule, unconfirmed),
      mayApprove,
      mayAgree: !mayApprove && direction === 'outbound' && mine(app?.id ?? null),
    };
  });
  const named = new Set(rules.flatMap((r) => unconfirmedOf(r, unconfirmed)));
  return {
    unit: name,
    application: unit.application,
    applicationId: app?.id ?? null,
    environment: unit.environment,
    unconfirmed: [...named].sort().map((a) => ({ application: a, units: [...unconfirmed.get(a)!].sort().map((e) => unitName(a, e)) })),
    rules: out,
  };
}
