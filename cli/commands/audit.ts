// `bulkhead audit list|export`: the audit log from the terminal; export writes JSON lines (one
// event per line, oldest first) to standard output for a SIEM.
import { auditQuerySchema, exportAuditJsonl, queryAudit } from '../../lib/audit';
import { UserError, type CommandContext } from '../context';
import { table } from '../table';

interface Opts {
  from?: string;
  to?: string;
  action?: string;
  actor?: string;
  outcome?: string;
  ip?: string;
  limit?: string;
}

export async function run(ctx: CommandContext, opts: Opts, args: string[]) {
  const [action] = args;
  if (action !== 'list' && action !== 'export') throw new UserError('bulkhead audit list [filters] | audit export [filters] > audit.jsonl (bulkhead help audit)');
  const parsed = auditQuerySchema.safeParse({ from: opts.from, to: opts.to, action: opts.action, actor: opts.actor, outcome: opts.outcome, ip: opts.ip });
  if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  const filter = parsed.data;
  const db = (await ctx.runtime()).db.prisma;

  if (action === 'list') {
    const limit = opts.limit !== undefined ? Number(opts.limit) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UserError(`--limit: 1 to 500, got "${opts.limit}"`);
    const { events, next } = await queryAudit(db, filter, { limit });
    if (events.length === 0) {
      ctx.io.out('No events match.');
      return 0;
    }
    ctx.io.out(
      table([
        ['WHEN (UTC)', 'WHO', 'ACTION', 'OUTCOME', 'FROM', 'WHAT'],
        ...events.map((e) => [e.at.slice(0, 19).replace('T', ' '), e.actor.name, e.action, e.outcome, e.ip ?? e.via ?? '-', e.summary ?? (e.target ? `${e.target.type} ${e.target.id ?? ''}` : '')]),
      ]),
    );
    if (next) ctx.io.err(`(more: narrow with --from/--to/--action, or export them all: bulkhead audit export)`);
    return 0;
  }

  await ctx.audit({ action: 'audit.export', target: { type: 'audit' }, summary: 'exported the audit log as JSON lines', after: { filter } });
  let n = 0;
  for await (const line of exportAuditJsonl(db, filter)) {
    if (ctx.signal.aborted) break;
    ctx.io.out(line.slice(0, -1));
    n++;
  }
  ctx.io.err(`${n} events exported`);
  return 0;
}
