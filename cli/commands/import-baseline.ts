// `bulkhead import baseline FILE [--dry-run] [--json]`: rules of a baseline file (YAML or JSON,
// docs/baseline.schema.json) into the rule set. Approved rules stay approved (recorded as approved
// by the importer, who must be allowed to review), proposed stay proposed; rejected, expired and
// superseded rules are not imported. Re-importing the same file creates nothing new.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { baselineRules, parseBaseline } from '../../lib/export/baseline';
import { loadPolicyView } from '../../lib/policy/labels';
import { describeRule } from '../../lib/policy/model';
import { shortId } from '../../lib/policy/rules';
import { createRules } from '../../lib/policy/workflow';
import { UserError, type CommandContext } from '../context';
import { who } from './policy-common';

export async function importBaseline(ctx: CommandContext, opts: { dryRun?: boolean; json?: boolean; stdin?: boolean }, paths: string[]) {
  if (paths.length !== (opts.stdin ? 0 : 1)) throw new UserError('bulkhead import baseline FILE (YAML or JSON), or --stdin');
  await ctx.authorize('rules:propose');
  const file = opts.stdin ? '-' : paths[0]!;
  let text: string;
  if (file === '-') text = await ctx.stdin();
  else {
    if (ctx.actor.type === 'token') throw new UserError(`a file is read on the server; send it on standard input: bulkhead import baseline - < ${file}`);
    try {
      text = readFileSync(resolve(ctx.cwd, file), 'utf8');
    } catch (e) {
      throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const doc = parseBaseline(text, file === '-' ? 'standard input' : file);
  const rules = baselineRules(doc);
  const now = new Date();
  const take = rules.filter((r) => (r.status === 'approved' || r.status === 'proposed') && !(r.expires && r.expires <= now));
  const skipped = rules.length - take.length;
  if (take.some((r) => r.status === 'approved')) await ctx.authorize('rules:review');
  const db = (await ctx.runtime()).db.prisma;
  const view = await loadPolicyView(db, { all: true });
  const unknown = doc.workloads.filter((w) => !view.byName.has(w.name)).map((w) => w.name);
  const relabelled = doc.workloads.filter((w) => {
    const mine = view.byName.get(w.name);
    return mine && JSON.stringify(Object.entries(mine.labels).sort()) !== JSON.stringify(Object.entries(w.labels).sort());
  });
  const notes = [
    ...(skipped ? [`${skipped} rules not imported (rejected, expired or superseded)`] : []),
    ...(unknown.length ? [`${unknown.length} workloads of the file are not in the inventory: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', ...' : ''}`] : []),
    ...(relabelled.length ? [`${relabelled.length} workloads carry other labels here than in the file (rules select by the labels here): ${relabelled.slice(0, 10).map((w) => w.name).join(', ')}`] : []),
  ];
  if (opts.dryRun) {
    if (opts.json) ctx.io.out(JSON.stringify({ valid: true, rules: take.length, skipped, unknownWorkloads: unknown, relabelled: relabelled.map((w) => w.name) }, null, 2));
    else ctx.io.out([`${file}: valid baseline "${doc.metadata.name}", ${take.length} rules to import (dry run: nothing saved).`, ...notes.map((x) => `  note: ${x}`)].join('\n'));
    return 0;
  }
  const r = await createRules(
    db,
    take.map((x) => ({ from: x.from, to: x.to, ports: x.ports, intent: x.intent, owner: x.owner, application: x.owner, expires: x.expires, status: x.status as 'approved' | 'proposed' })),
    who(ctx, 'import baseline'),
    { origin: 'import', comment: `imported from ${file} (baseline ${doc.metadata.name}${doc.metadata.version ? ` v${doc.metadata.version}` : ''})` },
  );
  if (opts.json) {
    ctx.io.out(JSON.stringify({ created: r.created.map((x) => x.id), existing: r.existing.map((x) => x.id), skipped, notes }, null, 2));
    return 0;
  }
  const lines = [`Imported baseline "${doc.metadata.name}" from ${file}: ${r.created.length} rules created, ${r.existing.length} already present.`];
  for (const x of r.created.slice(0, 20)) lines.push(`  ${shortId(x.id)}  ${x.status.padEnd(8)}  ${describeRule(x)}`);
  for (const x of notes) lines.push(`  note: ${x}`);
  lines.push('Next: bulkhead rules list · bulkhead simulate --policy proposed --enforcement all');
  ctx.io.out(lines.join('\n'));
  return 0;
}
