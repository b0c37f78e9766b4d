// GET /api/v1/enforcement: every application and environment with its enforcement state
// (visibility, test, enforced), who set it last and how many workloads carry it.
// PUT /api/v1/enforcement/:application changes one (./[id]/route.ts).
import { listEnforcement } from '../../../../lib/policy/enforcement';
import { apiRoute } from '../../_lib/route';

export const GET = apiRoute({ permission: 'map:read' }, async ({ rt }) => ({ enforcement: await listEnforcement(rt.db.prisma) }));
