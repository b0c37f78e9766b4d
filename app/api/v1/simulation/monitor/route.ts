// GET /api/v1/simulation/monitor?since&staleDays&top: monitor mode of the approved policy: traffic
// since approval it would block (drift), rules without hits (stale), exceptions past expiry
// (which this marks expired, as the system would on its own).
import { loadPolicyView } from '../../../../../lib/policy/labels';
import { monitorPolicy } from '../../../../../lib/policy/monitor';
import { apiRoute, z } from '../../../_lib/route';
import { isoOrUndefined } from '../../_policy/common';

const query = z.object({
  since: z.string().optional(),
  staleDays: z.coerce.number().positive().max(400).optional(),
  top: z.coerce.number().int().min(0).max(1000).optional(),
});

export const GET = apiRoute({ permission: 'map:read', query }, async ({ rt, query }) => {
  const view = await loadPolicyView(rt.db.prisma, { all: true });
  return monitorPolicy(rt.store, rt.db.prisma, view, { since: isoOrUndefined(query.since), staleDays: query.staleDays, top: query.top });
});
