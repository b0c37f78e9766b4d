// GET /api/v1/baselines/:ref (NAME, NAME@VERSION or id): the stored baseline document.
import { getBaseline } from '../../../../../lib/policy/baselines';
import { apiRoute } from '../../../_lib/route';

export const GET = apiRoute({ permission: 'map:read' }, async ({ rt, params }) => {
  const b = await getBaseline(rt.db.prisma, decodeURIComponent(params.ref ?? ''));
  return { baseline: { ...b, doc: undefined }, document: b.doc };
});
