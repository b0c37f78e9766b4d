// GET /api/v1/rules?status=proposed,approved&application=APP&kind=K: the allow rules, with evidence
// and, for those not approved, why the unconfirmed gate holds them back (`blocked`).
// POST: a rule written by hand ({ from, to, ports, intent, application?, expires? }), proposed.
import { describeRule, portSpecSchema, RULE_STATUSES, selectorSchema, type RuleStatus } from '../../../../lib/policy/model';
import { loadUnconfirmed, unconfirmedRefusal } from '../../../../lib/policy/review';
import { listRules } from '../../../../lib/policy/rules';
import { createRules } from '../../../../lib/policy/workflow';
import { apiRoute, ApiError, z } from '../../_lib/route';
import { isoOrUndefined, reviewsFor, whoOf } from '../_policy/common';
import { applicationNames, ruleJson } from '../../../../lib/read/rules';

const query = z.object({
  status: z.string().optional(),
  application: z.string().max(200).optional(),
  kind: z.string().max(40).optional(),
});

export const GET = apiRoute({ permission: 'map:read', query }, async (ctx) => {
  const { rt, query } = ctx;
  const statuses = (query.status === 'all' ? [...RULE_STATUSES] : (query.status ?? 'proposed,approved').split(',')) as RuleStatus[];
  for (const s of statuses) if (!RULE_STATUSES.includes(s)) throw new ApiError(400, `status "${s}" is not one of ${RULE_STATUSES.join(', ')}, all`);
  let rules = await listRules(rt.db.prisma, { status: statuses, application: query.application });
  if (query.kind) rules = rules.filter((r) => r.evidence?.kind === query.kind);
  const apps = await applicationNames(rt.db.prisma);
  const reviews = await reviewsFor(ctx, rules);
  const unconfirmed = await loadUnconfirmed(rt.db.prisma);
  return { rules: rules.map((r) => ruleJson(r, apps, reviews.get(r.id), r.status === 'approved' ? null : unconfirmedRefusal(r, unconfirmed))) };
});

const body = z
  .object({
    from: selectorSchema,
    to: selectorSchema,
    ports: z.array(portSpecSchema).min(1).max(100),
    intent: z.string().trim().min(1).max(1000),
    application: z.string().max(200).optional(),
    expires: z.string().optional(),
  })
  .strict();

export const POST = apiRoute({ permission: 'rules:propose', body }, async (ctx) => {
  const { rt, body } = ctx;
  const expires = isoOrUndefined(body.expires) ?? null;
  if (expires && expires <= new Date()) throw new ApiError(400, `expires ${expires.toISOString()} is not in the future`);
  const r = await createRules(rt.db.prisma, [{ ...body, owner: body.application ?? null, application: body.application ?? null, expires }], whoOf(ctx), { origin: 'manual' });
  const rule = r.created[0] ?? r.existing[0]!;
  return { created: r.created.length === 1, rule: ruleJson(rule, await applicationNames(rt.db.prisma)), text: describeRule(rule) };
});
