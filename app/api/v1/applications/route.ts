// GET /api/v1/applications: the applications discovery found in a window, with members per role,
// confidence, owners, confirmation and rule counts.
import { withAnalysis } from '../../../_data/analysis';
import { listApplications } from '../../../../lib/read/apps';
import { windowOf, windowQuery } from '../../../_data/window';
import { apiRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ permission: 'map:read', query: windowQuery }, ({ rt, query }) => withAnalysis(rt, windowOf(query), (r) => listApplications(rt.db.prisma, r)));
