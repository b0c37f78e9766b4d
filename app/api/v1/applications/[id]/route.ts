// GET /api/v1/applications/{id}: one application of a window by its discovery id (name@env, or
// the name when it has no environment): members with labels and roles, and its dependencies.
import { withAnalysis } from '../../../../_data/analysis';
import { applicationDetail } from '../../../../../lib/read/apps';
import { windowOf, windowQuery } from '../../../../_data/window';
import { ApiError, apiRoute } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ permission: 'map:read', query: windowQuery }, ({ rt, query, params }) =>
  withAnalysis(rt, windowOf(query), async (r) => {
    const d = await applicationDetail(rt.db.prisma, r, params.id!);
    if (!d) throw new ApiError(404, `no application ${params.id} in this window (the applications page lists them)`);
    return d;
  }),
);
