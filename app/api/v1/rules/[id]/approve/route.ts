// POST /api/v1/rules/:id/approve { comment?, expires? }: approve one rule (a temporary exception
// when it expires). Owners only for their applications; 403 when the rule is not theirs to
// approve (widened past its evidence, or last changed by them: lib/policy/duties.ts); 409 while it
// relies on an application discovery inferred and nobody confirmed (lib/policy/review.ts).
import { findRule } from '../../../../../../lib/policy/rules';
import { approveRules } from '../../../../../../lib/policy/workflow';
import { apiRoute, ApiError, z } from '../../../../_lib/route';
import { isoOrUndefined, ruleApplication, whoOf } from '../../../_policy/common';

const body = z.object({ comment: z.string().trim().max(2000).optional(), expires: z.string().nullable().optional() }).strict();

export const POST = apiRoute({ permission: 'rules:review', application: ruleApplication, body }, async (ctx) => {
  const { rt, params, body } = ctx;
  const rule = await findRule(rt.db.prisma, params.id ?? '');
  const [r] = await approveRules(rt.db.prisma, [rule.id], whoOf(ctx), {
    comment: body.comment ?? null,
    expires: body.expires === null ? null : isoOrUndefined(body.expires),
    separationOfDuties: rt.config.review.separationOfDuties,
  });
  if (r!.outcome === 'refused' && r!.reason === 'unconfirmed') throw new ApiError(409, `rule ${r!.id} cannot be approved yet: ${r!.note}`);
  if (r!.outcome === 'refused') throw new ApiError(403, `rule ${r!.id} is not yours to approve: ${r!.note}`);
  return r;
});
