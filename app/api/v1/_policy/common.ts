// What the policy routes share: the actor as lib/policy's Who, rules as JSON, and the
// application a rule belongs to (for owner-scoped review routes).
import type { ApiContext, ScopeContext } from '../../_lib/route';
import { findRule, reviewStatesOf, shortId } from '../../../../lib/policy/rules';
import { approvalRefusal } from '../../../../lib/policy/duties';
import { invalid } from '../../../../lib/errors';
import { describeRule, type Rule } from '../../../../lib/policy/model';
import type { Who } from '../../../../lib/policy/workflow';
import type { Db } from '../../../../lib/db';

export function whoOf(ctx: Pick<ApiContext<unknown, unknown>, 'principal' | 'ip' | 'req'>): Who {
  return { actor: ctx.principal, via: ctx.principal.type === 'token' ? 'api' : 'web', ip: ctx.ip, userAgent: ctx.req.headers.get('user-agent') };
}

/** The application of the rule in the route (null when there is no such rule: only admins and architects pass). */
export async function ruleApplication({ rt, params }: ScopeContext): Promise<string | null> {
  try {
    return (await findRule(rt.db.prisma, params.id ?? '')).applicationId;
  } catch {
    return null;
  }
}

export async function applicationNames(db: Db): Promise<Map<string, string>> {
  return new Map((await db.application.findMany({ select: { id: true, name: true } })).map((a) => [a.id, a.name]));
}

/** How a changed rule stands for review, as the rules' JSON says it (null for a rule nobody changed). */
export interface RuleReviewJson {
  widened: boolean;
  widenedBy: string | null;
  lastChangedBy: string | null;
  /** why the person asking may not approve it; null when they may */
  notYours: string | null;
}

/** The review state of each rule a person changed, read for the person asking (lib/policy/duties.ts). */
export async function reviewsFor(ctx: Pick<ApiContext<unknown, unknown>, 'principal' | 'rt'>, rules: readonly Rule[]): Promise<Map<string, RuleReviewJson>> {
  const states = await reviewStatesOf(ctx.rt.db.prisma, rules);
  const out = new Map<string, RuleReviewJson>();
  for (const [id, s] of states) {
    const notYours = approvalRefusal(s, ctx.principal, { separationOfDuties: ctx.rt.config.review.separationOfDuties });
    out.set(id, { widened: s.widened, widenedBy: s.widenedBy, lastChangedBy: s.lastChangedBy?.name ?? null, notYours });
  }
  return out;
}

export function ruleJson(r: Rule, apps: Map<string, string>, review: RuleReviewJson | null = null) {
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
  };
}

/** ISO time text from a query or body, or undefined; refuses what is not a time. */
export function isoOrUndefined(text: string | undefined | null): Date | undefined {
  if (!text) return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw invalid(`"${text}" is not an ISO 8601 time`);
  return d;
}
