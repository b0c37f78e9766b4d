// GET /api/v1/rules/review: the units of review (app@env) with their enforcement state and rule
// counts by direction. GET ...?unit=orders@prod&status=proposed,approved: that unit's rules in both
// directions, with the other side's owners and the unconfirmed gate (lib/read/review.ts).
import { RULE_STATUSES, type RuleStatus } from '../../../../../lib/policy/model';
import { reviewUnits, unitReview } from '../../../../../lib/read/review';
import { apiRoute, ApiError, z } from '../../../_lib/route';

const query = z.object({ unit: z.string().min(1).max(300).optional(), status: z.string().max(200).optional() });

export const GET = apiRoute({ permission: 'map:read', query }, async ({ rt, query, principal }) => {
  if (!query.unit) return { units: await reviewUnits(rt.db.prisma) };
  const statuses = (query.status === 'all' ? [...RULE_STATUSES] : (query.status ?? 'proposed,approved').split(',')) as RuleStatus[];
  for (const s of statuses) if (!RULE_STATUSES.includes(s)) throw new ApiError(400, `status "${s}" is not one of ${RULE_STATUSES.join(', ')}, all`);
  return unitReview(rt.db.prisma, rt.config, principal, query.unit, statuses);
});
