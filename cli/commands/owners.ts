// `bulkhead owners ...`: who owns which application (owners approve their applications' rules).
import { applicationOwners, getApplication, setApplicationOwners } from '../../lib/auth/ownership';
import { UserError, type CommandContext } from '../context';
import { table } from '../table';

const USAGE = 'bulkhead owners list [APP] | set APP EMAIL... | add APP EMAIL... | remove APP EMAIL...';

export async function run(ctx: CommandContext, opts: { json?: boolean }, args: string[]) {
  const [action, appKey, ...emails] = args;
  const db = (await ctx.runtime()).db.prisma;
  if (action === 'list') {
    const apps = appKey ? [await getApplication(db, appKey)] : await db.application.findMany({ orderBy: { name: 'asc' } });
    const rows = await Promise.all(apps.map(async (a) => ({ id: a.id, name: a.name, owners: (await applicationOwners(db, a.id)).map((u) => u.email) })));
    if (opts.json) ctx.io.out(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) ctx.io.out('No applications yet: they appear once inventory is imported or discovery groups workloads.');
    else ctx.io.out(table([['APPLICATION', 'OWNERS'], ...rows.map((r) => [r.name, r.owners.join(', ') || '-'])]));
    return 0;
  }
  if (action !== 'set' && action !== 'add' && action !== 'remove') throw new UserError(action ? `unknown action "${action}". ${USAGE}` : USAGE);
  if (!appKey) throw new UserError(USAGE);
  await ctx.authorize('apps:owners');
  const app = await getApplication(db, appKey);
  const current = (await applicationOwners(db, app.id)).map((u) => u.email);
  const given = emails.map((e) => e.trim().toLowerCase());
  const next = action === 'set' ? given : action === 'add' ? [...current, ...given] : current.filter((e) => !given.includes(e));
  const r = await setApplicationOwners(db, app.id, next);
  await ctx.audit({ action: 'application.owners', target: { type: 'application', id: app.id }, summary: `owners of ${app.name}: ${r.after.join(', ') || 'none'}`, before: r.before, after: r.after });
  ctx.io.out(opts.json ? JSON.stringify({ application: app.name, owners: r.after }) : `${app.name}: ${r.after.join(', ') || 'no owners'}`);
  return 0;
}
