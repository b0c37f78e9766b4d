// GET /api/v1/inventory: how much inventory there is, from which sources, and the last imports.
// POST: apply inventory in Bulkhead's JSON shape (the same as `bulkhead import inventory` reads):
//   { source, at?, prune?, dryRun?, workloads: [{ name, addresses: ["10.0.0.5" | {ip, from?, to?}], labels? }] }
// for automation that pushes a CMDB or IPAM view. Exports of vCenter, Kubernetes and EC2 go
// through the CLI, which reads those formats (docs/inventory.md).
import { createHash } from 'node:crypto';
import { applyInventory, fromInventoryJson, parseTime } from '../../../../lib/inventory';
import { ApiError, apiRoute, z } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ permission: 'map:read' }, async ({ rt }) => {
  const db = rt.db.prisma;
  const [workloads, bySource, openBindings, bindings, imports] = await Promise.all([
    db.workload.count(),
    db.workload.groupBy({ by: ['source'], _count: { _all: true } }),
    db.addressBinding.count({ where: { validTo: null } }),
    db.addressBinding.count(),
    db.importRun.findMany({ where: { kind: { startsWith: 'inventory' } }, orderBy: { startedAt: 'desc' }, take: 20 }),
  ]);
  return {
    workloads,
    bySource: bySource.map((s) => ({ source: s.source, workloads: s._count._all })).sort((a, b) => b.workloads - a.workloads),
    bindings: { open: openBindings, total: bindings },
    imports: imports.map((r) => ({ id: r.id, kind: r.kind, path: r.path, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, workloads: r.records, refused: r.rejected, summary: r.summary })),
    hint: workloads ? null : 'No inventory yet: bulkhead import inventory FILE (JSON, CSV, govc/PowerCLI, kubectl, aws ec2 JSON), or POST workloads here.',
  };
});

const body = z
  .object({
    source: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,59}$/, 'a short lower-case name such as cmdb or ipam-east'),
    at: z.string().optional(),
    prune: z.boolean().optional(),
    dryRun: z.boolean().optional(),
    workloads: z.array(z.unknown()).max(200_000),
  })
  .strict();

export const POST = apiRoute({ permission: 'inventory:write', body }, async ({ rt, body, audit }) => {
  const at = body.at === undefined ? new Date() : parseTime(body.at);
  if (!at) throw new ApiError(400, `at: "${body.at}" is not an ISO-8601 time`);
  const parsed = fromInventoryJson(body.workloads);
  const db = rt.db.prisma;
  const checksum = createHash('sha256').update(JSON.stringify(body.workloads)).digest('hex');
  const run = body.dryRun ? null : await db.importRun.create({ data: { kind: 'inventory-api', path: `api:${body.source}`, checksum, status: 'running' } });
  try {
    const result = await applyInventory(db, body.dryRun ? null : rt.store, parsed.observations, { source: body.source, at, prune: body.prune, dryRun: body.dryRun });
    if (run) {
      await db.importRun.update({
        where: { id: run.id },
        data: {
          status: 'done',
          finishedAt: new Date(),
          records: parsed.observations.length,
          rejected: parsed.errors.length + result.refused.length,
          errors: [...parsed.errors, ...result.refused.map((r) => ({ where: r.name, reason: r.reason }))].slice(0, 50) as never,
          summary: { source: body.source, at: at.toISOString(), workloads: result.workloads, bindings: result.bindings, labels: result.labels } as never,
        },
      });
      await audit({
        action: 'inventory.import',
        target: { type: 'inventory', id: body.source },
        summary: `inventory from the API (${body.source}): ${result.workloads.created} new, ${result.workloads.updated} updated workloads; ${result.bindings.opened} bound, ${result.bindings.moved} moved, ${result.bindings.closed} released addresses`,
        after: { workloads: result.workloads, bindings: result.bindings, labels: result.labels },
      });
    }
    return { dryRun: Boolean(body.dryRun), errors: parsed.errors, ...result };
  } catch (e) {
    if (run) await db.importRun.update({ where: { id: run.id }, data: { status: 'failed', finishedAt: new Date(), errors: [{ reason: (e as Error).message }] as never } });
    throw e;
  }
});
