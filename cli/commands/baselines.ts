// `bulkhead baselines list [NAME] | show NAME[@V] | create NAME [--note T] | diff NAME[@V] NAME[@V]`
// Immutable, versioned snapshots of the approved rules.
import { createBaseline, diffBaselines, formatDiff, getBaseline, listBaselines } from '../../lib/policy/baselines';
import { loadPolicyView } from '../../lib/policy/labels';
import { describeRule } from '../../lib/policy/model';
import { policyRules } from '../../lib/policy/rules';
import { expireRules } from '../../lib/policy/workflow';
import { serializeBaseline } from '../../lib/export/baseline';
import { UserError, type CommandContext } from '../context';
import { table } from '../table';
import { who } from './policy-common';

const USAGE = 'bulkhead baselines list [NAME] | show NAME[@VERSION] [--json] | create NAME [--note TEXT] | diff NAME[@V] NAME[@V] [--json]';

export async function run(ctx: CommandContext, opts: { note?: string; json?: boolean }, args: string[]) {
  const [action = 'list', ...rest] = args;
  const rt = await ctx.runtime();
  const db = rt.db.prisma;
  switch (action) {
    case 'list': {
      const list = await listBaselines(db, rest[0]);
      if (opts.json) return void ctx.io.out(JSON.stringify(list, null, 2));
      if (!list.length) return void ctx.io.out('No baselines yet. Next: approve rules (bulkhead rules approve), then bulkhead baselines create NAME');
      ctx.io.out(table([['NAME', 'VERSION', 'RULES', 'CREATED', 'BY', 'NOTE'], ...list.map((b) => [b.name, String(b.version), String(b.ruleCount), b.createdAt.toISOString().slice(0, 16), b.createdBy, b.note ?? ''])]));
      ctx.io.out('\nNext: bulkhead baselines diff NAME@1 NAME@2 · bulkhead export --baseline NAME --format F -o FILE');
      return 0;
    }
    case 'show': {
      if (rest.length !== 1) throw new UserError(USAGE);
      const b = await getBaseline(db, rest[0]!);
      if (opts.json) return void ctx.io.out(serializeBaseline(b.doc, 'json'));
      ctx.io.out(`baseline ${b.name} v${b.version}: ${b.ruleCount} rules, created ${b.createdAt.toISOString()} by ${b.createdBy}${b.note ? ` (${b.note})` : ''}`);
      for (const r of b.doc.rules) ctx.io.out(`  ${r.id.slice(-8)}  ${describeRule(r)}  ${r.intent}`);
      return 0;
    }
    case 'create': {
      await ctx.authorize('policy:export');
      if (rest.length !== 1) throw new UserError('bulkhead baselines create NAME [--note TEXT]');
      await expireRules(db);
      const rules = await policyRules(db, 'approved');
      if (!rules.length) throw new UserError('no approved rules to snapshot: approve rules first (bulkhead rules approve)');
      const view = await loadPolicyView(db);
      const b = await createBaseline(db, { name: rest[0]!, note: opts.note ?? null, rules, view }, who(ctx, 'baselines create'));
      if (opts.json) return void ctx.io.out(JSON.stringify({ ...b, doc: undefined }, null, 2));
      ctx.io.out(`Created baseline ${b.name} v${b.version} with ${b.ruleCount} approved rules.`);
      if (b.version > 1) {
        const prev = await getBaseline(db, `${b.name}@${b.version - 1}`);
        ctx.io.out(formatDiff(diffBaselines(prev.doc, b.doc)));
      }
      ctx.io.out(`Next: bulkhead export --baseline ${b.name}@${b.version} --format F -o FILE`);
      return 0;
    }
    case 'diff': {
      if (rest.length !== 2) throw new UserError('bulkhead baselines diff NAME[@V] NAME[@V]');
      const a = await getBaseline(db, rest[0]!);
      const b = await getBaseline(db, rest[1]!);
      const d = diffBaselines(a.doc, b.doc);
      ctx.io.out(opts.json ? JSON.stringify(d, null, 2) : formatDiff(d));
      return 0;
    }
    default:
      throw new UserError(`unknown action "${action}". ${USAGE}`);
  }
}
