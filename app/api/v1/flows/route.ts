// GET /api/v1/flows: the flows explorer. Raw flow records of a window, newest first, filtered by
// client, server or either side (workload names or ids, app:<application>, addresses, CIDRs;
// several separated by commas), server port and protocol; each side with the workload that held
// the address then; and flows over time.
import { analysisResult } from '../../../../lib/read/analysis';
import { queryFlows, resolveSpec, FlowQueryError } from '../../../../lib/read/flows';
import { isoTime, windowOf, windowShape } from '../../../_data/window';
import { resolveWindow } from '../../../../lib/analysis/window';
import { protocolNumber } from '../../../../components/format';
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

export const GET = apiRoute({ permission: 'flows:read', query }, async ({ rt, query }) => {
  const w = windowOf(query, '24h');
  const win = resolveWindow(w);
  const analysis = () => analysisResult(rt, w);
  const db = rt.db.prisma;
  const protocol = query.protocol ? protocolNumber(query.protocol) : null;
  if (query.protocol && protocol === null) throw new FlowQueryError(`protocol: "${query.protocol}" is not tcp, udp, icmp or a protocol number`);
  return queryFlows(rt.store, {
    from: win.from,
    to: win.to,
    client: query.client ? await resolveSpec(db, query.client, analysis, win) : null,
    server: query.server ? await resolveSpec(db, query.server, analysis, win) : null,
    endpoint: query.endpoint ? await resolveSpec(db, query.endpoint, analysis, win) : null,
    ports: query.port ? query.port.split(',').map((s) => s.trim()).filter(Boolean) : [],
    protocol,
    limit: query.limit,
    before: query.before ?? null,
  });
});
