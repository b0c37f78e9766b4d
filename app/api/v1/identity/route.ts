// GET /api/v1/identity?addr=10.0.0.7&at=2026-03-10T12:00:00Z: who an address was at a time: the
// workload that held it then (and the address's whole history), or the named network and
// reverse DNS name of an address no inventory names.
import { canonicalAddress } from '../../../../lib/identity/address';
import { resolveAddress } from '../../../../lib/identity/resolve';
import { parseTime } from '../../../../lib/inventory/json';
import { ApiError, apiRoute, z } from '../../_lib/route';

export const dynamic = 'force-dynamic';

const query = z.object({ addr: z.string().max(64), at: z.string().max(40).optional() });

export const GET = apiRoute({ permission: 'map:read', query }, async ({ rt, query }) => {
  if (!canonicalAddress(query.addr)) throw new ApiError(400, `addr: "${query.addr}" is not an IP address`);
  const at = query.at === undefined ? new Date() : parseTime(query.at);
  if (!at) throw new ApiError(400, `at: "${query.at}" is not an ISO-8601 time`);
  return { at: at.toISOString(), ...(await resolveAddress(rt.db.prisma, rt.store, query.addr, at)) };
});
