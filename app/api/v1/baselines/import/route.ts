// POST /api/v1/baselines/import { document: <YAML/JSON text or object>, dryRun? }: the rules of a
// baseline into the rule set (approved stay approved, recorded as approved by the caller, who
// must hold rules:review everywhere; proposed stay proposed). Re-importing creates nothing new.
import { baselineRules, parseBaseline } from '../../../../../lib/export/baseline';
import { scopeOf } from '../../../../../lib/auth/permissions';
import { createRules } from '../../../../../lib/policy/workflow';
import { apiRoute, ApiError, z } from '../../../_lib/route';
import { whoOf } from '../../_policy/common';

const body = z.object({ document: z.union([z.string().min(1).max(20_000_000), z.record(z.string(), z.unknown())]), dryRun: z.boolean().optional() }).strict();

export const POST = apiRoute({ permission: 'rules:propose', body }, async (ctx) => {
  const text = typeof ctx.body.document === 'string' ? ctx.body.document : JSON.stringify(ctx.body.document);
  const doc = parseBaseline(text, 'document');
  const now = new Date();
  const take = baselineRules(doc).filter((r) => (r.status === 'approved' || r.status === 'proposed') && !(r.expires && r.expires <= now));
  if (take.some((r) => r.status === 'approved') && scopeOf(ctx.principal.role, 'rules:review') !== 'all') {
    throw new ApiError(403, 'the document holds approved rules: importing them approves them, which needs rules:review on every application');
  }
  if (ctx.body.dryRun) return { valid: true, name: doc.metadata.name, rules: take.length, skipped: doc.rules.length - take.length };
  const r = await createRules(
    ctx.rt.db.prisma,
    take.map((x) => ({ from: x.from, to: x.to, ports: x.ports, intent: x.intent, owner: x.owner, application: x.owner, expires: x.expires, status: x.status as 'approved' | 'proposed' })),
    whoOf(ctx),
    { origin: 'import', comment: `imported through the API (baseline ${doc.metadata.name})` },
  );
  return { created: r.created.map((x) => x.id), existing: r.existing.map((x) => x.id), skipped: doc.rules.length - take.length };
});
