// `bulkhead blast-radius [WORKLOAD] [--json]`: what a compromised workload can reach under the
// flat network, the proposed policy, the approved policy and the approved policy as the
// enforcement states apply it today, in one hop and over many.
import { blastReport } from '../../lib/policy/service';
import { UserError, type CommandContext } from '../context';
import { table } from '../table';
import { pct } from './policy-common';

export async function run(ctx: CommandContext, opts: { json?: boolean; top?: string }, args: string[]) {
  if (args.length > 1) throw new UserError('bulkhead blast-radius [WORKLOAD]');
  const rt = await ctx.runtime();
  const r = await blastReport(rt, { workload: args[0] });
  if (opts.json) {
    ctx.io.out(JSON.stringify(r, null, 2));
    return 0;
  }
  const f1 = (x: number) => x.toFixed(1);
  const lines: string[] = [];
  if (!r.workloads) {
    ctx.io.out('No workloads with an address: import inventory first (bulkhead import inventory FILE, or bulkhead demo).');
    return 0;
  }
  if (args[0] && r.proposed.workload) {
    const p = r.proposed.workload;
    const a = r.approved.workload!;
    lines.push(`Blast radius of ${p.name} (${Object.entries(p.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'no labels'}):`);
    lines.push(
      table([
        ['', 'ONE HOP', 'ANY HOPS'],
        ['flat network', String(r.flat.oneHop), String(r.flat.multiHop)],
        ['proposed policy', String(p.oneHop.length), String(p.multiHop.length)],
        ['approved policy', String(a.oneHop.length), String(a.multiHop.length)],
        ['approved, as enforced now', String(r.enforced.workload!.oneHop.length), String(r.enforced.workload!.multiHop.length)],
      ]).replace(/^/gm, '  '),
    );
    lines.push('', `Reachable in one hop under the proposed policy (${p.oneHop.length}):`);
    for (const x of p.oneHop.slice(0, 40)) lines.push(`  ${x.name}  ${x.ports.join(' ')}`);
    if (p.oneHop.length > 40) lines.push(`  ... ${p.oneHop.length - 40} more (--json)`);
    const further = p.multiHop.filter((x) => x.hops > 1);
    if (further.length) {
      lines.push('', `Further by lateral movement (${further.length}):`);
      for (const x of further.slice(0, 20)) lines.push(`  ${x.name}  ${x.hops} hops via ${x.path.slice(1, -1).join(' -> ')}`);
    }
    lines.push('', `${p.reachableFrom} workloads can reach ${p.name} in one hop under the proposed policy.`);
  } else {
    lines.push(`Blast radius over ${r.workloads} workloads (mean workloads reachable from a compromised one):`);
    lines.push(
      table([
        ['', 'ONE HOP', 'REDUCTION', 'ANY HOPS', 'REDUCTION', 'RULES'],
        ['flat network', f1(r.flat.oneHop), '-', f1(r.flat.multiHop), '-', '-'],
        ['proposed policy', f1(r.proposed.oneHop.mean), pct(r.proposed.reduction.oneHop, 1), f1(r.proposed.multiHop.mean), pct(r.proposed.reduction.multiHop, 1), String(r.proposed.rules)],
        ['approved policy', f1(r.approved.oneHop.mean), pct(r.approved.reduction.oneHop, 1), f1(r.approved.multiHop.mean), pct(r.approved.reduction.multiHop, 1), String(r.approved.rules)],
        ['approved, as enforced now', f1(r.enforced.oneHop.mean), pct(r.enforced.reduction.oneHop, 1), f1(r.enforced.multiHop.mean), pct(r.enforced.reduction.multiHop, 1), String(r.enforced.rules)],
      ]).replace(/^/gm, '  '),
    );
    lines.push(
      `  (as enforced now: ${r.enforced.applicationsEnforced} application${r.enforced.applicationsEnforced === 1 ? '' : 's'} enforced; the others drop nothing, so they still reach each other: bulkhead enforce --list)`,
    );
    if (!r.approved.rules) lines.push('  (no approved rules yet: the approved policy denies everything, so it reaches nothing)');
    lines.push('', 'Widest reach under the proposed policy:');
    lines.push(table([['WORKLOAD', 'ONE HOP', 'ANY HOPS'], ...r.proposed.widest.map((w) => [w.name, String(w.oneHop), String(w.multiHop)])]).replace(/^/gm, '  '));
    const apps = r.proposed.applications.slice(0, 15);
    lines.push('', 'Per application (proposed policy, mean one hop / any hops):');
    lines.push(table([['APPLICATION', 'WORKLOADS', 'ONE HOP', 'ANY HOPS', 'REDUCTION'], ...apps.map((a) => [a.application, String(a.workloads), f1(a.oneHop), f1(a.multiHop), pct(a.reductionOneHop, 1)])]).replace(/^/gm, '  '));
    if (r.proposed.external.length) {
      lines.push('', 'Reachable from outside (one hop):');
      for (const e of r.proposed.external.slice(0, 10)) lines.push(`  ${e.source}: ${e.reach} workloads`);
    }
    lines.push('', 'Next: bulkhead blast-radius WORKLOAD (what one workload reaches, and how) · bulkhead rules list --app APP');
  }
  ctx.io.out(lines.join('\n'));
  return 0;
}
