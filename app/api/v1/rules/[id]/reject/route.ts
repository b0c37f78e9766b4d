// POST /api/v1/rules/:id/reject { comment }: reject a rule, saying why. Owners only for their applications.
import { findRule } from '../../../../../../lib/policy/rules';
import { rejectRules } from '../../../../../../lib/policy/workflow';
import { apiRoute, z } from '../../../../_lib/route';
import { ruleApplication, whoOf } from '../../../_policy/common';

const body = z.object({ comment: z.string().trim().min(1, 'say why').max(2000) }).strict();

export const POST = apiRoute({ permission: 'rules:review', application: ruleApplication, body }, async (ctx) => {
  const { rt, params, body } = ctx;
  const rule = await findRule(rt.db.prisma, params.id ?? '');
  const [r] = await rejectRules(rt.db.prisma, [rule.id], whoOf(ctx), { comment: body.comment });
  return r;
});
