// GET /api/v1/discovery/coverage: coverage of a window per source and UTC day, with the
// analysis's gaps, notes, exclusions and convergence (lib/read/coverage.ts).
import { withAnalysis } from '../../../../_data/analysis';
import { windowOf, windowQuery } from '../../../../_data/window';
import { coverageReport } from '../../../../../lib/read/coverage';
import { apiRoute } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ permission: 'map:read', query: windowQuery }, ({ rt, query }) => withAnalysis(rt, windowOf(query), (r) => coverageReport(rt.store, r)));
