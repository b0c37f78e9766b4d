// GET /api/v1/baselines?name=NAME: stored baselines, newest version first.
// POST { name, note? }: snapshot the approved rules as the next version of NAME (immutable).
import { createBaseline, listBaselines } from '../../../../lib/policy/baselines';
import { loadPolicyView } from '../../../../lib/policy/labels';
import { policyRules } from '../../../../lib/policy/rules';
import { expireRules } from '../../../../lib/policy/workflow';
import { apiRoute, ApiError, z } from '../../_lib/route';
import { whoOf } from '../_policy/common';

export const GET = apiRoute({ permission: 'map:read', query: z.object({ name: z.string().max(100).optional() }) }, async ({ rt, query }) => ({
  baselines: await listBaselines(rt.db.prisma, query.name),
}));

const body = z.object({ name: z.string().min(1).max(100), note: z.string().max(2000).optional() }).strict();

export const POST = apiRoute({ permission: 'policy:export', body }, async (ctx) => {
  const db = ctx.rt.db.prisma;
  await expireRules(db);
  const rules = await policyRules(db, 'approved');
  if (!rules.length) throw new ApiError(409, 'no approved rules to snapshot: approve rules first');
  const b = await createBaseline(db, { name: ctx.body.name, note: ctx.body.note ?? null, rules, view: await loadPolicyView(db) }, whoOf(ctx));
  return { baseline: { ...b, doc: undefined } };
});
