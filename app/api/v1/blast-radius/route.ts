// GET /api/v1/blast-radius?workload=NAME|ID: reach of a compromised workload under the flat
// network, the proposed and the approved policy, one hop and multi-hop, overall and per application.
import { blastReport } from '../../../../lib/policy/service';
import { apiRoute, z } from '../../_lib/route';

const query = z.object({ workload: z.string().min(1).max(300).optional() });

export const GET = apiRoute({ permission: 'map:read', query }, async ({ rt, query }) => blastReport(rt, { workload: query.workload }));
