// GET /api/v1/baselines/diff?from=NAME@1&to=NAME@2: rules added, removed and changed, workloads relabelled.
import { diffBaselines, getBaseline } from '../../../../../lib/policy/baselines';
import { apiRoute, z } from '../../../_lib/route';

const query = z.object({ from: z.string().min(1).max(200), to: z.string().min(1).max(200) });

export const GET = apiRoute({ permission: 'map:read', query }, async ({ rt, query }) => {
  const a = await getBaseline(rt.db.prisma, query.from);
  const b = await getBaseline(rt.db.prisma, query.to);
  return diffBaselines(a.doc, b.doc);
});
