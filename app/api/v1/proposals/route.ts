// POST /api/v1/proposals { from?, to?, days?, granularity?, ports?, rangeGap?, cover?, dryRun? }:
// discovery over the window, then allow rules proposed from its graph and saved (re-proposing
// updates, never duplicates, never touches approved rules). Answers the run's summary.
import { describeRule } from '../../../../lib/policy/model';
import { PORT_GENERALISATIONS } from '../../../../lib/policy/ports';
import { GRANULARITIES } from '../../../../lib/policy/propose';
import { proposeFromDiscovery } from '../../../../lib/policy/service';
import { apiRoute, z } from '../../_lib/route';
import { isoOrUndefined, whoOf } from '../_policy/common';

const body = z
  .object({
    from: z.string().optional(),
    to: z.string().optional(),
    days: z.number().positive().max(400).optional(),
    granularity: z.enum(GRANULARITIES as unknown as [string, ...string[]]).optional(),
    ports: z.enum(PORT_GENERALISATIONS as unknown as [string, ...string[]]).optional(),
    rangeGap: z.number().int().min(1).max(1000).optional(),
    cover: z.number().min(0.01).max(1).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

export const POST = apiRoute({ permission: 'rules:propose', body }, async (ctx) => {
  const { rt, body } = ctx;
  const run = await proposeFromDiscovery(
    rt,
    {
      from: isoOrUndefined(body.from),
      to: isoOrUndefined(body.to),
      days: body.days,
      granularity: body.granularity as never,
      ports: body.ports as never,
      rangeGap: body.rangeGap,
      coverThreshold: body.cover,
      dryRun: body.dryRun,
    },
    whoOf(ctx),
  );
  return { ...run, proposals: { ...run.proposals, rules: run.proposals.rules.map((r) => ({ ...r, rule: describeRule(r) })) } };
});
