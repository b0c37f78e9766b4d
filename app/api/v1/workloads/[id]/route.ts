// GET /api/v1/workloads/{id or name}: a workload's labels (with their source), address history,
// and what discovery says of it in a window, with its dependencies.
import { withAnalysis } from '../../../../_data/analysis';
import { workloadDetail } from '../../../../../lib/read/apps';
import { windowOf, windowQuery } from '../../../../_data/window';
import { ApiError, apiRoute } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ permission: 'map:read', query: windowQuery }, ({ rt, query, params }) =>
  withAnalysis(rt, windowOf(query), async (r) => {
    const d = await workloadDetail(rt.db.prisma, r, params.id!);
    if (!d) throw new ApiError(404, `no workload ${params.id}`);
    return d;
  }),
);
