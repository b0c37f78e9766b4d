// GET /api/v1/workloads: every workload of the inventory with what discovery says of it in a
// window (application, role, confidence), filtered and paged.
import { withAnalysis } from '../../../_data/analysis';
import { listWorkloads } from '../../../../lib/read/apps';
import { windowOf, windowShape } from '../../../_data/window';
import { apiRoute, z } from '../../_lib/route';

export const dynamic = 'force-dynamic';

const query = z.object({
  ...windowShape,
  q: z.string().max(200).optional(),
  app: z.string().max(200).optional(),
  role: z.string().max(60).optional(),
  env: z.string().max(60).optional(),
  unconfirmed: z.enum(['0', '1']).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const GET = apiRoute({ permission: 'map:read', query }, ({ rt, query }) =>
  withAnalysis(rt, windowOf(query), (r) => listWorkloads(rt.db.prisma, r, { ...query, unconfirmed: query.unconfirmed === '1' })),
);
