// GET /api/v1/map/edge: the traffic behind one line of the map, between two map nodes
// (w:<workload>, app:<application>, role:<app>/<role>, env:<name>, zone:<...>, ep:<cidr>) on the
// given ports: a series over the window and a sample of raw flows.
import { NextResponse } from 'next/server';
import { analysisFor } from '../../../../../lib/read/analysis';
import { edgeDetails } from '../../../../../lib/read/edge';
import { mapIndexOf, sideOf } from '../../../../../lib/read/sides';
import { windowOf, windowShape } from '../../../../_data/window';
import { ApiError, apiRoute, z } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

const flag = z.enum(['0', '1']).optional().transform((v) => v === '1');
const query = z.object({
  ...windowShape,
  client: z.string().min(1).max(500),
  server: z.string().min(1).max(500),
  ports: z.string().max(4000).optional(),
  excludeCore: flag,
  excludeManagement: flag,
});

export const GET = apiRoute({ permission: 'flows:read', query }, async ({ rt, query }) => {
  const s = await analysisFor(rt, windowOf(query));
  if (!s.ready) return NextResponse.json({ status: 'running', progress: s.progress }, { status: 202 });
  const ix = mapIndexOf(s.result);
  const client = sideOf(ix, query.client);
  const server = sideOf(ix, query.server);
  if (!client) throw new ApiError(404, `client: nothing on the map of this window is called "${query.client}"`);
  if (!server) throw new ApiError(404, `server: nothing on the map of this window is called "${query.server}"`);
  const ports = query.ports ? query.ports.split(',').map((p) => p.trim()).filter(Boolean) : [];
  return edgeDetails(rt, s.result, client, server, { ports, excludeCore: query.excludeCore, excludeManagement: query.excludeManagement });
});
