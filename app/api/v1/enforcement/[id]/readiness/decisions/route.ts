// POST /api/v1/enforcement/:id/readiness/decisions { dependency: ID or [ID...], decision: "allow"|"accept-block",
// environment?: ENV, comment?: TEXT }: decide one would-block dependency of the readiness gate
// (allow proposes a rule for each; accept-block lets them be dropped). Owner-scoped like
// PUT /api/v1/enforcement/:id; audited by lib (policy.readiness, and rule.create for an allow).
import { decideDependency, READINESS_DECISIONS } from '../../../../../../../lib/policy/readiness';
import { apiRoute, z } from '../../../../../_lib/route';
import { routeApplication, whoOf } from '../../../../_policy/common';

const body = z
  .object({
    dependency: z.union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).min(1).max(1000)]),
    decision: z.enum(READINESS_DECISIONS),
    environment: z.string().max(253).nullable().optional(),
    comment: z.string().max(2000).nullable().optional(),
  })
  .strict();

export const POST = apiRoute({ permission: 'policy:enforce', application: routeApplication, body }, async (ctx) => {
  const { rt, params, body } = ctx;
  return decideDependency(rt, { application: params.id ?? '', environment: body.environment ?? null, dependency: body.dependency, decision: body.decision, comment: body.comment ?? null }, whoOf(ctx));
});
