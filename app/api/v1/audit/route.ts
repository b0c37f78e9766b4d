// GET /api/v1/audit: one page of audit events, newest first, with filters
// (from, to, action or area prefix "rule.", actor, actorId, outcome, targetType, targetId, ip)
// and a cursor for the next page.
import { auditCursorSchema, auditQuerySchema, queryAudit } from '../../../../lib/audit';
import { apiRoute, z } from '../../_lib/route';

export const GET = apiRoute(
  { permission: 'audit:read', query: auditQuerySchema.extend({ cursor: auditCursorSchema.optional(), limit: z.coerce.number().int().min(1).max(500).optional() }) },
  async ({ rt, query }) => {
    const { cursor, limit, ...filter } = query;
    return queryAudit(rt.db.prisma, filter, { cursor: cursor ?? null, limit: limit ?? 100 });
  },
);
