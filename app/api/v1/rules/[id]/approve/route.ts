// POST /api/v1/rules/:id/approve { comment?, expires? }: approve one rule (a temporary exception
// when it expires). Owners only for their applications.
import { findRule } from '../../../../../../lib/policy/rules';
import { approveRules } from '../../../../../../lib/policy/workflow';
import { apiRoute, z } from '../../../../_lib/route';
import { isoOrUndefined, ruleApplication, whoOf } from '../../../_policy/common';

const body = z.object({ comment: z.string().trim().max(2000).optional(), expires: z.string().nullable().optional() }).strict();

export const POST = apiRoute({ permission: 'rules:review', application: ruleApplication, body }, async (ctx) => {
  const { rt, params, body } = ctx;
  const rule = await findRule(rt.db.prisma, params.id ?? '');
  const [r] = await approveRules(rt.db.prisma, [rule.id], whoOf(ctx), { comment: body.comment ?? null, expires: body.expires === null ? null : isoOrUndefined(body.expires) });
  return r;
});
