// GET /api/v1/audit/export: the matching audit events as JSON lines (application/x-ndjson), oldest
// first, streamed in batches, for a SIEM. The export itself is recorded in the audit log.
import { auditQuerySchema, exportAuditJsonl } from '../../../../../lib/audit';
import { apiRoute } from '../../../_lib/route';

export const GET = apiRoute({ permission: 'audit:read', query: auditQuerySchema }, async ({ rt, query, audit }) => {
  await audit({ action: 'audit.export', target: { type: 'audit' }, summary: 'exported the audit log as JSON lines', after: { filter: query } });
  const lines = exportAuditJsonl(rt.db.prisma, query);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await lines.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '');
  return new Response(body, {
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'content-disposition': `attachment; filename="bulkhead-audit-${stamp}.jsonl"`, 'cache-control': 'no-store' },
  });
});
