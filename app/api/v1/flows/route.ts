// GET /api/v1/flows: the flows explorer (lib/read/flows.ts). Raw flow records of a window, newest
// first, filtered by client, server or either side (workload names or ids, app:<application>,
// addresses, CIDRs; several separated by commas), server port and protocol; each side with the
// workload that held the address then; and flows over time.
import { readFlows } from '../../../../lib/read/flows';
import { FLOW_RECORDS_PRESET } from '../../../../components/window';
import { isoTime, windowOf, windowShape } from '../../../_data/window';
import { apiRoute, z } from '../../_lib/route';

export const dynamic = 'force-dynamic';

const query = z.object({
  ...windowShape,
  client: z.string().max(2000).optional(),
  server: z.string().max(2000).optional(),
  endpoint: z.string().max(2000).optional(),
  port: z.string().max(500).optional(),
  protocol: z.string().max(10).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  before: isoTime.optional(),
});

export const GET = apiRoute({ permission: 'flows:read', query }, ({ rt, query }) => readFlows(rt, { ...query, window: windowOf(query, FLOW_RECORDS_PRESET) }));
