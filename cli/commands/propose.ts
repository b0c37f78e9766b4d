// `bulkhead propose [--from ISO] [--to ISO] [--days N] [--granularity G] [--ports P] [--dry-run] [--json]`
// Discovery over the window, then label-based allow rules proposed from its graph (lib/policy).
import { GRANULARITIES, type Granularity } from '../../lib/policy/propose';
import { PORT_GENERALISATIONS, type PortGeneralisation } from '../../lib/policy/ports';
import { describeRule } from '../../lib/policy/model';
import { proposeFromDiscovery } from '../../lib/policy/service';
import { UserError, type CommandContext } from '../context';
import { n, numberOption, timeOption, who } from './policy-common';

export interface ProposeOptions {
  from?: string;
  to?: string;
  days?: string;
  granularity?: string;
  ports?: string;
  rangeGap?: string;
  cover?: string;
  dryRun?: boolean;
  json?: boolean;
}

export async function run(ctx: CommandContext, opts: ProposeOptions) {
  await ctx.authorize('rules:propose');
  const granularity = (opts.granularity ?? 'role') as Granularity;
  if (!GRANULARITIES.includes(granularity)) throw new UserError(`--granularity: one of ${GRANULARITIES.join(', ')}`);
  const ports = (opts.ports ?? 'exact') as PortGeneralisation;
  if (!PORT_GENERALISATIONS.includes(ports)) throw new UserError(`--ports: one of ${PORT_GENERALISATIONS.join(', ')}`);
  const rt = await ctx.runtime();
  const bar = opts.json ? null : ctx.io.progress('propose', 10, 'steps');
  const run = await proposeFromDiscovery(
    rt,
    {
      from: timeOption(opts.from, '--from'),
      to: timeOption(opts.to, '--to'),
      days: numberOption(opts.days, '--days', { min: 1 }),
      granularity,
      ports,
      rangeGap: numberOption(opts.rangeGap, '--range-gap', { min: 1, max: 1000, integer: true }),
      coverThreshold: numberOption(opts.cover, '--cover', { min: 0.01, max: 1 }),
      dryRun: opts.dryRun,
      onStep: (_s, done, total) => bar?.update(done, total),
    },
    who(ctx, 'propose'),
  );
  bar?.stop();
  if (opts.json) {
    ctx.io.out(JSON.stringify({ ...run, proposals: { ...run.proposals, rules: run.proposals.rules.map((r) => ({ ...r, rule: describeRule(r) })) } }, null, 2));
    return 0;
  }
  const p = run.proposals;
  const kinds: Record<string, number> = {};
  for (const r of p.rules) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  const lines = [
    `Discovery ${run.window.from} .. ${run.window.to}: ${n(run.analysis.workloads)} workloads, ${n(run.analysis.applications)} applications, ${n(run.analysis.edges)} dependencies (${(run.analysis.ms / 1000).toFixed(1)} s).`,
    ...run.analysis.notes.map((x) => `  note: ${x}`),
    `${n(p.rules.length)} rules proposed (granularity ${p.options.granularity}, ports ${p.options.ports}): ${Object.entries(kinds).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}.`,
  ];
  if (p.scanners.workloads.length || p.scanners.addresses.length) lines.push(`Scanners never get rules: ${[...p.scanners.workloads, ...p.scanners.addresses].join(', ')}.`);
  if (p.skipped.unsupportedProtocol.length) lines.push(`${p.skipped.unsupportedProtocol.length} dependencies use protocols a rule cannot name (not TCP/UDP/ICMP); add them by hand if they matter.`);
  if (run.saved) {
    const s = run.saved;
    lines.push(
      `Saved: ${s.created} new, ${s.updated} updated, ${s.reopened} reopened, ${s.superseded} superseded, ${s.unchanged} unchanged; ${s.coveredByApproved} already approved, ${s.keptRejected} rejected before, ${s.keptEdited} edited by people (left as they are). Open proposals: ${s.proposed}.`,
    );
    if (run.labels.written || run.labels.removed) lines.push(`Inferred labels saved as suggestions: ${run.labels.written} written, ${run.labels.removed} removed.`);
    lines.push(
      '',
      'Next:',
      '  bulkhead rules list                          review the proposals (--app APP for one application)',
      '  bulkhead simulate --policy proposed          what the proposals would block as exported today',
      '    --enforcement all                          ... and once every application is enforced',
      '  bulkhead blast-radius                        how far a compromised workload reaches, flat vs proposed',
      '  bulkhead rules approve --app APP | ID...     approve (owners: their applications)',
    );
  } else {
    lines.push('Dry run: nothing saved.');
    for (const r of p.rules.slice(0, 30)) lines.push(`  ${r.kind.padEnd(12)} ${describeRule(r)}`);
    if (p.rules.length > 30) lines.push(`  ... ${p.rules.length - 30} more (--json for all)`);
  }
  ctx.io.out(lines.join('\n'));
  return 0;
}
