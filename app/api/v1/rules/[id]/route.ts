// GET /api/v1/rules/:id: a rule with its evidence and history (id, or a unique tail of it).
// PATCH: narrow or edit it ({ from?, to?, ports?, intent?, expires? (null removes), comment }):
// an approved rule may only get narrower; owners only for their applications.
import { portSpecSchema, selectorSchema } from '../../../../../lib/policy/model';
import { findRule, ruleHistory } from '../../../../../lib/policy/rules';
import { narrowRule } from '../../../../../lib/policy/workflow';
import { apiRoute, z } from '../../../_lib/route';
import { isoOrUndefined, reviewsFor, ruleApplication, whoOf } from '../../_policy/common';
import { applicationNames, ruleJson } from '../../../../../lib/read/rules';

export const GET = apiRoute({ permission: 'map:read' }, async (ctx) => {
  const { rt, params } = ctx;
  const r = await findRule(rt.db.prisma, params.id ?? '');
  const history = await ruleHistory(rt.db.prisma, r.id);
  const review = (await reviewsFor(ctx, [r])).get(r.id);
  return { rule: ruleJson(r, await applicationNames(rt.db.prisma), review), history: history.map((h) => ({ ...h, at: h.at.toISOString() })) };
});

const body = z
  .object({
    from: selectorSchema.optional(),
    to: selectorSchema.optional(),
    ports: z.array(portSpecSchema).min(1).max(100).optional(),
    intent: z.string().trim().min(1).max(1000).optional(),
    expires: z.string().nullable().optional(),
    comment: z.string().trim().min(1, 'say why').max(2000),
  })
  .strict();

export const PATCH = apiRoute({ permission: 'rules:review', application: ruleApplication, body }, async (ctx) => {
  const { rt, params, body } = ctx;
  const rule = await findRule(rt.db.prisma, params.id ?? '');
  const r = await narrowRule(
    rt.db.prisma,
    rule.id,
    { from: body.from, to: body.to, ports: body.ports, intent: body.intent, expires: body.expires === null ? null : isoOrUndefined(body.expires) },
    whoOf(ctx),
    { comment: body.comment },
  );
  const apps = await applicationNames(rt.db.prisma);
  return { outcome: r.outcome, before: ruleJson(r.before, apps), rule: ruleJson(r.after, apps, (await reviewsFor(ctx, [r.after])).get(r.after.id)) };
});
