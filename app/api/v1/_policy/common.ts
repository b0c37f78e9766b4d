// What the policy routes share: the actor as lib/policy's Who, the application a rule belongs to
// (for owner-scoped review routes), and the review state of rules for the person asking.
// Rules as JSON are read by lib/read/rules.ts.
import type { ApiContext, ScopeContext } from '../../_lib/route';
import { findRule } from '../../../../lib/policy/rules';
import { getApplication } from '../../../../lib/auth/ownership';
import type { Rule } from '../../../../lib/policy/model';
import type { Who } from '../../../../lib/policy/workflow';
import { invalid } from '../../../../lib/errors';
import { ruleReviews, type RuleReviewJson } from '../../../../lib/read/rules';

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

/** The application (id or name) in the route (null when there is none: only admins and architects pass). */
export async function routeApplication({ rt, params }: ScopeContext): Promise<string | null> {
  try {
    return (await getApplication(rt.db.prisma, params.id ?? '')).id;
  } catch {
    return null;
  }
}

/** The review state of each rule a person changed, read for the person asking. */
export function reviewsFor(ctx: Pick<ApiContext<unknown, unknown>, 'principal' | 'rt'>, rules: readonly Rule[]): Promise<Map<string, RuleReviewJson>> {
  return ruleReviews(ctx.rt.db.prisma, ctx.rt.config, ctx.principal, rules);
}

/** ISO time text from a query or body, or undefined; refuses what is not a time. */
export function isoOrUndefined(text: string | undefined | null): Date | undefined {
  if (!text) return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw invalid(`"${text}" is not an ISO 8601 time`);
  return d;
}
