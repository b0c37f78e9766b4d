// Rules as the policy routes send them to the rules page (GET /api/v1/rules and a rule's
// details): the rule in people's words with its application's name, and, for a rule a person
// changed, how it stands for review as seen by the person asking (lib/policy/duties.ts).
import type { Config } from '../config';
import type { Db } from '../db';
import type { Principal } from '../auth/principal';
import { approvalRefusal } from '../policy/duties';
import { describeRule, type Evidence, type PortSpec, type Rule, type RuleStatus, type Selector } from '../policy/model';
import { reviewStatesOf, shortId } from '../policy/rules';

/** How a changed rule stands for review, as the rules' JSON says it (null for a rule nobody changed). */
export interface RuleReviewJson {
  widened: boolean;
  widenedBy: string | null;
  lastChangedBy: string | null;
  /** why the person asking may not approve it; null when they may */
  notYours: string | null;
}

export interface RuleJson {
  id: string;
  shortId: string;
  action: 'allow';
  from: Selector;
  to: Selector;
  ports: PortSpec[];
  /** "app=orders,role=web -> app=orders,role=api tcp/8080" */
  rule: string;
  intent: string;
  owner: string | null;
  application: { id: string; name: string | null } | null;
  status: RuleStatus;
  expires: string | null;
  origin: 'proposal' | 'manual' | 'import';
  evidence: Evidence | null;
  createdAt: string;
  updatedAt: string;
  /** for a rule a person changed: whether it now reaches past its evidence, who changed it, and why the reader may not approve it (null when they may) */
  review: RuleReviewJson | null;
  /** why nobody may approve it yet: it names an application discovery inferred and nobody confirmed (lib/policy/review.ts); null when it may be, or when not read */
  blocked: string | null;
}

/** Application names by id (rules carry the id). */
export async function applicationNames(db: Db): Promise<Map<string, string>> {
  return new Map((await db.application.findMany({ select: { id: true, name: true } })).map((a) => [a.id, a.name]));
}

/** The review state of each rule a person changed, read for `reader`. */
export async function ruleReviews(db: Db, config: Pick<Config, 'review'>, reader: Principal, rules: readonly Rule[]): Promise<Map<string, RuleReviewJson>> {
  const states = await reviewStatesOf(db, rules);
  const out = new Map<string, RuleReviewJson>();
  for (const [id, s] of states) {
    const notYours = approvalRefusal(s, reader, { separationOfDuties: config.review.separationOfDuties });
    out.set(id, { widened: s.widened, widenedBy: s.widenedBy, lastChangedBy: s.lastChangedBy?.name ?? null, notYours });
  }
  return out;
}

export function ruleJson(r: Rule, apps: Map<string, string>, review: RuleReviewJson | null = null, blocked: string | null = null): RuleJson {
  return {
    id: r.id,
    shortId: shortId(r.id),
    action: r.action,
    from: r.from,
    to: r.to,
    ports: r.ports,
    rule: describeRule(r),
    intent: r.intent,
    owner: r.owner,
    application: r.applicationId ? { id: r.applicationId, name: apps.get(r.applicationId) ?? null } : null,
    status: r.status,
    expires: r.expires?.toISOString() ?? null,
    origin: r.origin,
    evidence: r.evidence,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    review,
    blocked,
  };
}
