// PATCH /api/v1/workloads/{id}/labels { set?: {key: value}, remove?: [key] }: edit a workload's
// labels; they become user labels, which imports never overwrite and discovery takes as facts.
import { invalidateAnalyses } from '../../../../../../lib/read/analysis';
import { editLabels } from '../../../../../../lib/applications/edit';
import { apiRoute, z } from '../../../../_lib/route';

export const dynamic = 'force-dynamic';

const body = z.object({ set: z.record(z.string().max(63), z.string().max(253)).optional(), remove: z.array(z.string().max(63)).max(100).optional() }).strict();

export const PATCH = apiRoute({ permission: 'inventory:write', body }, async ({ rt, params, body, audit }) => {
  const r = await editLabels(rt.db.prisma, params.id!, body, (e, tx) => audit(e, tx));
  invalidateAnalyses();
  return r;
});
