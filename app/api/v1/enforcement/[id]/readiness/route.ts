// GET /api/v1/enforcement/:id/readiness?environment=ENV&from&to&days: the readiness gate of an
// application (id or name) in one environment: what its approved rules would block of the traffic
// observed to and from it (scanners left out), and the decision taken on each
// (lib/policy/readiness.ts). Owner-scoped like PUT /api/v1/enforcement/:id: it shows the
// application's traffic to whoever may enforce it.
import { enforcementReadiness } from '../../../../../../lib/policy/readiness';
import { apiRoute, z } from '../../../../_lib/route';
import { isoOrUndefined, routeApplication } from '../../../_policy/common';

const query = z.object({
  environment: z.string().max(253).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  days: z.coerce.number().positive().max(400).optional(),
});

export const GET = apiRoute({ permission: 'policy:enforce', application: routeApplication, query }, async ({ rt, params, query }) =>
  enforcementReadiness(rt, { application: params.id ?? '', environment: query.environment ?? null }, { from: isoOrUndefined(query.from), to: isoOrUndefined(query.to), days: query.days }),
);
