// GET /api/v1/simulation?policy=approved|proposed|baseline:NAME[@V]&from&to&days&top&enforcement: what the
// policy would allow and block in the observed traffic of the window (evaluated in ClickHouse);
// enforcement=as-set (default: only enforced applications block, as exported) or all.
// POST { document: <baseline YAML/JSON text or object>, from?, to?, days?, top? }: the same for a
// baseline that is not stored (a file being edited, another site's policy).
import { simulate, type PolicyRef } from '../../../../lib/policy/service';
import { ENFORCEMENT_MODES } from '../../../../lib/policy/simulate';
import { apiRoute, ApiError, z } from '../../_lib/route';
import { isoOrUndefined } from '../_policy/common';

const windowFields = {
  from: z.string().optional(),
  to: z.string().optional(),
  days: z.coerce.number().positive().max(400).optional(),
  top: z.coerce.number().int().min(0).max(1000).optional(),
  enforcement: z.enum(ENFORCEMENT_MODES).optional(),
};

const query = z.object({ policy: z.string().max(300).optional(), ...windowFields });

function ref(policy: string | undefined): PolicyRef {
  const p = policy ?? 'approved';
  if (p === 'approved' || p === 'proposed' || p === 'all') return { kind: 'rules', which: p };
  if (p.startsWith('baseline:')) return { kind: 'baseline', ref: p.slice(9) };
  throw new ApiError(400, 'policy: approved, proposed, or baseline:NAME[@VERSION] (POST a document to simulate one that is not stored)');
}

export const GET = apiRoute({ permission: 'map:read', query }, async ({ rt, query }) =>
  simulate(rt, ref(query.policy), { from: isoOrUndefined(query.from), to: isoOrUndefined(query.to), days: query.days, top: query.top, enforcement: query.enforcement }),
);

const body = z.object({ document: z.union([z.string().min(1).max(20_000_000), z.record(z.string(), z.unknown())]), ...windowFields }).strict();

export const POST = apiRoute({ permission: 'map:read', body }, async ({ rt, body }) => {
  const text = typeof body.document === 'string' ? body.document : JSON.stringify(body.document);
  return simulate(rt, { kind: 'file', text, name: 'document' }, { from: isoOrUndefined(body.from), to: isoOrUndefined(body.to), days: body.days, top: body.top, enforcement: body.enforcement });
});
