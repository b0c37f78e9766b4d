// GET /api/v1/export?format=F&status=approved|proposed|all&baseline=NAME[@V]&namespace&labelPrefix&domain:
// policy files as JSON ({ files: [{ name, content }], warnings }), or with download=1 the one file
// itself (formats with one file per host answer JSON), or with archive=tar.gz every file in one
// .tar.gz under the names a directory export writes (lib/export/archive.ts; the warnings travel in
// X-Bulkhead-Warnings, their count). Recorded in the audit log. When the rules
// would drop observed traffic of an enforced application, a warning says so with the figures
// (and `wouldBlock` holds them).
import { EXPORT_FORMATS, exportPolicy, writesDirectory, type ExportFormat } from '../../../../lib/export';
import { ARCHIVE_TYPE, archiveName, exportArchive } from '../../../../lib/export/archive';
import { exportBlockWarning } from '../../../../lib/policy/readiness';
import { exportDocument } from '../../../../lib/policy/service';
import { apiRoute, z } from '../../_lib/route';

const query = z.object({
  format: z.enum(EXPORT_FORMATS as unknown as [ExportFormat, ...ExportFormat[]]),
  status: z.enum(['approved', 'proposed', 'all']).optional(),
  baseline: z.string().max(200).optional(),
  namespace: z.string().max(63).optional(),
  labelPrefix: z.string().max(200).optional(),
  domain: z.string().max(200).optional(),
  json: z.enum(['0', '1']).optional(),
  download: z.enum(['0', '1']).optional(),
  archive: z.enum(['tar.gz']).optional(),
});

const TYPES: Record<string, string> = { yaml: 'application/yaml', json: 'application/json', nft: 'text/plain' };

export const GET = apiRoute({ permission: 'policy:export', query }, async ({ rt, query, audit }) => {
  const status = query.status ?? 'approved';
  const doc = await exportDocument(rt, { status, baseline: query.baseline });
  const result = exportPolicy(doc, query.format, { namespace: query.namespace, labelPrefix: query.labelPrefix, domain: query.domain, baselineFormat: query.json === '1' ? 'json' : 'yaml' });
  const wouldBlock = await exportBlockWarning(rt, doc);
  if (wouldBlock) result.warnings.push(wouldBlock.message);
  await audit({
    action: 'policy.export',
    target: { type: 'export', id: query.format },
    summary: `exported ${result.exported} ${query.baseline ? `rules of baseline ${query.baseline}` : `${status} rules`} as ${query.format}${query.archive ? ' (one archive)' : ''} through the API`,
    after: { format: query.format, status, baseline: query.baseline ?? null, rules: doc.rules.map((r) => r.id), warnings: result.warnings.length, ...(query.archive ? { archive: archiveName(query.format) } : {}) },
  });
  if (query.archive) {
    return new Response(new Uint8Array(await exportArchive(result.files)), {
      headers: { 'content-type': ARCHIVE_TYPE, 'content-disposition': `attachment; filename="${archiveName(query.format)}"`, 'x-bulkhead-warnings': String(result.warnings.length) },
    });
  }
  if (query.download === '1' && !writesDirectory(query.format)) {
    const f = result.files[0]!;
    const ext = f.name.split('.').pop() ?? '';
    return new Response(f.content, { headers: { 'content-type': `${TYPES[ext] ?? 'text/plain'}; charset=utf-8`, 'content-disposition': `attachment; filename="${f.name}"` } });
  }
  return { ...result, wouldBlock };
});
