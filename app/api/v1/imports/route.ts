// GET /api/v1/imports: what was imported (flow-log files, captures, inventory), newest first,
// with status, counts and the first rejected lines: the answer to "did my files arrive?".
// Imports themselves run in the CLI (`bulkhead import`), which reads the files where they are.
import { apiRoute, z } from '../../_lib/route';

export const dynamic = 'force-dynamic';

const query = z.object({
  kind: z.string().max(40).optional(),
  status: z.enum(['running', 'done', 'failed', 'interrupted', 'skipped']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const GET = apiRoute({ permission: 'map:read', query }, async ({ rt, query }) => {
  const where = { ...(query.kind ? { kind: query.kind } : {}), ...(query.status ? { status: query.status } : {}) };
  const [runs, byStatus] = await Promise.all([
    rt.db.prisma.importRun.findMany({ where, orderBy: { startedAt: 'desc' }, take: query.limit }),
    rt.db.prisma.importRun.groupBy({ by: ['kind', 'status'], where, _count: { _all: true }, _sum: { records: true, rejected: true, duplicates: true } }),
  ]);
  return {
    totals: byStatus.map((g) => ({ kind: g.kind, status: g.status, runs: g._count._all, records: g._sum.records ?? 0, rejected: g._sum.rejected ?? 0, duplicates: g._sum.duplicates ?? 0 })),
    runs: runs.map((r) => ({
      id: r.id,
      kind: r.kind,
      path: r.path,
      status: r.status,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      records: r.records,
      rejected: r.rejected,
      duplicates: r.duplicates,
      errors: r.errors,
      summary: r.summary,
    })),
    hint: runs.length ? null : 'Nothing imported yet: bulkhead import aws|gcp|azure PATH..., bulkhead import inventory FILE.',
  };
});
