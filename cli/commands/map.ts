// `bulkhead map [--policy] [--json]`: the map page's data from the terminal, through the readers
// its routes use: the map data of a window (lib/read/map.ts, as GET /api/v1/map sends it before
// its wire encoding) and, with --policy, the policy overlay (lib/read/overlay.ts, GET
// /api/v1/map/policy): the verdict of every dependency under the approved and proposed rules.
import { portLabel } from '../../lib/flow/ports';
import { edgeKey, toMapData } from '../../lib/read/map';
import { policyOverlay, type Verdict } from '../../lib/read/overlay';
import type { CommandContext } from '../context';
import { table } from '../table';
import { n } from './policy-common';
import { windowAnalysis, windowOption, type WindowOptions } from './read-common';
import { count } from '../../lib/words';
import { estateCounts } from '../../lib/analysis/counts';
import { DISCOVERY_DAYS } from '../../lib/analysis/window';
import { enforcementStates } from '../../lib/policy/enforcement';

export interface MapCliOptions extends WindowOptions {
  policy?: boolean;
  top?: string;
  json?: boolean;
}

const MEANING: Record<Verdict, string> = {
  allowed: 'an approved rule allows it',
  proposed: 'only a proposed rule allows it (approval pending)',
  blocked: 'the server is under approved policy and nothing approved allows this: enforcing would break it',
  norule: 'no rule allows it and the server is not under approved policy yet',
};
const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export async function run(ctx: CommandContext, opts: MapCliOptions) {
  await ctx.authorize('map:read');
  const rt = await ctx.runtime();
  const result = await windowAnalysis(ctx, rt, windowOption(opts, DISCOVERY_DAYS));
  const data = toMapData(result, await enforcementStates(rt.db.prisma));
  const title = `Map of ${minute(data.window.from)} to ${minute(data.window.to)} UTC`;
  if (!opts.policy) {
    if (opts.json) return void ctx.io.out(JSON.stringify(data, null, 2));
    const c = estateCounts(data);
    ctx.io.out(
      [
        `${title}: ${count(c.workloads, 'workload')} in ${count(c.applications, 'application')} (and ${count(c.groups, 'shared-service, management or scanner group', 'shared-service, management and scanner groups')}), ${count(data.endpoints.length, 'network or address', 'networks and addresses')}, ${count(c.dependencies, 'dependency')}.`,
        `Coverage: flows on ${count(data.coverage.daysWithData, 'UTC day')} of a ${data.coverage.days}-day window${data.coverage.converged ? ', converged' : ', not converged yet'}; ${count(data.coverage.scanners, 'scanner')} left out.`,
        '',
        'Next: bulkhead analyze --level application (the graph folded by application) · bulkhead map --policy (verdicts) · bulkhead edge CLIENT SERVER',
      ].join('\n'),
    );
    return 0;
  }
  const overlay = await policyOverlay(rt.db.prisma, result);
  if (opts.json) return void ctx.io.out(JSON.stringify(overlay, null, 2));
  const names = new Map(data.workloads.map((w) => [w.id, w.name]));
  const nameOf = (id: string) => names.get(id) ?? id;
  const verdicts: Verdict[] = ['allowed', 'proposed', 'blocked', 'norule'];
  const lines = [
    `${title}, under ${n(overlay.rules.approved)} approved and ${n(overlay.rules.proposed)} proposed rules:`,
    table([['VERDICT', 'DEPENDENCIES', 'MEANING'], ...verdicts.map((v) => [v, n(overlay.counts[v]), MEANING[v]])]).replace(/^/gm, '  '),
  ];
  const top = Number(opts.top ?? 20) || 20;
  for (const v of ['blocked', 'norule'] as const) {
    const edges = data.edges.filter((e) => overlay.verdicts[edgeKey(e)] === v).sort((a, b) => b.flows - a.flows);
    if (!edges.length) continue;
    lines.push('', `${v === 'blocked' ? 'Would be blocked' : 'Without a rule'} (${n(edges.length)}${edges.length > top ? `, the ${top} busiest` : ''}):`);
    lines.push(table([['CLIENT', 'SERVER', 'PORT', 'FLOWS'], ...edges.slice(0, top).map((e) => [nameOf(e.from), nameOf(e.to), portLabel(e.protocol, e.port), n(e.flows)])]).replace(/^/gm, '  '));
  }
  ctx.io.out(lines.join('\n'));
  return 0;
}
