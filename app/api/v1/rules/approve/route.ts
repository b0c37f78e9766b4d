// POST /api/v1/rules/approve { ids?: [...], application?: APP, comment?, expires? }: approve
// several rules at once, or every proposed rule of an application (bulk approval per
// application). Every rule is checked before anything changes: owners only for their applications.
import { findRule, listRules } from '../../../../../lib/policy/rules';
import { approveRules } from '../../../../../lib/policy/workflow';
import { apiRoute, ApiError, z } from '../../../_lib/route';
import { isoOrUndefined, whoOf } from '../../_policy/common';

const body = z
  .object({
    ids: z.array(z.string().min(1)).max(5000).optional(),
    application: z.string().min(1).max(200).optional(),
    comment: z.string().trim().max(2000).optional(),
    expires: z.string().nullable().optional(),
  })
  .strict()
  .refine((b) => Boolean(b.ids?.length) !== Boolean(b.application), 'give ids or application (one of them)');

export const POST = apiRoute({ permission: 'rules:review', application: 'per-item', body }, async (ctx) => {
  const { rt, body, requireApplication } = ctx;
  const db = rt.db.prisma;
  const rules = body.ids ? await Promise.all(body.ids.map((id) => findRule(db, id))) : await listRules(db, { status: 'proposed', application: body.application });
  for (const r of rules) await requireApplication(r.applicationId);
  if (!rules.length) {
    await ctx.applicationScope();
    throw new ApiError(404, 'no proposed rules to approve');
  }
  const outcome = await approveRules(db, rules.map((r) => r.id), whoOf(ctx), {
    comment: body.comment ?? null,
    expires: body.expires === null ? null : isoOrUndefined(body.expires),
    separationOfDuties: rt.config.review.separationOfDuties,
  });
  return { approved: outcome.filter((o) => o.outcome === 'approved').length, refused: outcome.filter((o) => o.outcome === 'refused').length, rules: outcome };
});
