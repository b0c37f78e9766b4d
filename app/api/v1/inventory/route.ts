// GET /api/v1/inventory: how much inventory there is, from which sources, and the last imports.
// POST: apply inventory in Bulkhead's JSON shape (the same as `bulkhead import inventory` reads):
//   { source, at?, prune?, dryRun?, workloads: [{ name, addresses: ["10.0.0.5" | {ip, from?, to?}], labels? }] }
// for automation that pushes a CMDB or IPAM view. Exports of vCenter, Kubernetes and EC2 go
// through the CLI, which reads those formats (docs/inventory.md).
import { createHash } from 'node:crypto';
import { fromInventoryJson, importInventory, parseTime } from '../../../../lib/inventory';
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
  const checksum = createHash('sha256').update(JSON.stringify(body.workloads)).digest('hex');
  const result = await importInventory(
    rt.db.prisma,
    rt.store,
    { kind: 'inventory-api', path: `api:${body.source}`, checksum, parsed, source: body.source, at, prune: body.prune, dryRun: body.dryRun, describe: `inventory from the API (${body.source})` },
    audit,
  );
  return { dryRun: Boolean(body.dryRun), errors: parsed.errors, ...result };
});
