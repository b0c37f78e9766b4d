// POST /api/v1/rules/approve { ids?: [...], application?: APP, environment?: ENV, comment?, expires? }:
// approve several rules at once, every proposed rule of an application (its own rules), or, with
// `environment` ("" for workloads without an env label), every proposed rule of the unit app@env
// in both directions (lib/policy/review.ts): the actor approves the rules of their applications,
// agrees as the sending side to the unit's outbound rules of other applications, and the rest is
// refused naming who approves it. Rules relying on an unconfirmed inferred application are
// refused with what to do. Owners only for their applications.
import { findRule, listRules } from '../../../../../lib/policy/rules';
import { loadUnitRules, planUnitApproval } from '../../../../../lib/policy/review';
import { approveRules } from '../../../../../lib/policy/workflow';
import { applicationNames } from '../../../../../lib/read/rules';
import { apiRoute, ApiError, z } from '../../../_lib/route';
import { isoOrUndefined, whoOf } from '../../_policy/common';

const body = z
  .object({
    ids: z.array(z.string().min(1)).max(5000).optional(),
    application: z.string().min(1).max(200).optional(),
    environment: z.string().max(200).optional(),
    comment: z.string().trim().max(2000).optional(),
    expires: z.string().nullable().optional(),
  })
  .strict()
  .refine((b) => Boolean(b.ids?.length) !== Boolean(b.application), 'give ids or application (one of them)')
  .refine((b) => b.environment === undefined || Boolean(b.application), 'environment goes with application');

export const POST = apiRoute({ permission: 'rules:review', application: 'per-item', body }, async (ctx) => {
  const { rt, body, requireApplication } = ctx;
  const db = rt.db.prisma;
  const opts = { comment: body.comment ?? null, expires: body.expires === null ? null : isoOrUndefined(body.expires), separationOfDuties: rt.config.review.separationOfDuties };
  if (body.application && body.environment !== undefined) {
    const scope = await ctx.applicationScope();
    const { rules: items } = await loadUnitRules(db, { application: body.application, environment: body.environment }, ['proposed']);
    if (!items.length) throw new ApiError(404, 'no proposed rules to approve');
    const app = await db.application.findUnique({ where: { name: body.application }, select: { id: true } });
    const plan = planUnitApproval(items, scope, app?.id ?? null, await applicationNames(db));
    if (!plan.approve.length && !plan.endorse.size) throw new ApiError(403, `none of these rules is yours to approve or agree to: ${plan.refused[0]!.note}`);
    const outcome = [...(await approveRules(db, [...plan.approve, ...plan.endorse], whoOf(ctx), { ...opts, endorse: plan.endorse })), ...plan.refused];
    return summary(outcome);
  }
  const rules = body.ids ? await Promise.all(body.ids.map((id) => findRule(db, id))) : await listRules(db, { status: 'proposed', application: body.application });
  for (const r of rules) await requireApplication(r.applicationId);
  if (!rules.length) {
    await ctx.applicationScope();
    throw new ApiError(404, 'no proposed rules to approve');
  }
  return summary(await approveRules(db, rules.map((r) => r.id), whoOf(ctx), opts));
});

function summary(outcome: Awaited<ReturnType<typeof approveRules>>) {
  const n = (o: string) => outcome.filter((x) => x.outcome === o).length;
  return { approved: n('approved'), endorsed: n('endorsed'), refused: n('refused'), rules: outcome };
}
