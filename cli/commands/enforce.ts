// `bulkhead enforce APP [--env ENV] --state visibility|test|enforced` and `bulkhead enforce --list`:
// how far exports enforce an application's rules per environment (lib/policy/enforcement.ts).
import { getApplication, mayActOnApplication } from '../../lib/auth/ownership';
import { ENFORCEMENT_STATES, listEnforcement, setEnforcement } from '../../lib/policy/enforcement';
import { UserError, type CommandContext } from '../context';
import { who } from './policy-common';
import { table } from '../table';

export interface EnforceOptions {
  env?: string;
  state?: string;
  list?: boolean;
  json?: boolean;
}

const USAGE = `bulkhead enforce APP [--env ENV] --state ${ENFORCEMENT_STATES.join('|')}  |  bulkhead enforce --list [--json]`;
const envText = (e: string) => e || '-';

export async function run(ctx: CommandContext, opts: EnforceOptions, args: string[]) {
  const db = (await ctx.runtime()).db.prisma;
  const [appKey] = args;
  if (opts.list) {
    if (opts.state || opts.env) throw new UserError(`--list takes no --state or --env. ${USAGE}`);
    const rows = await listEnforcement(db, appKey ? { applications: [(await getApplication(db, appKey)).id] } : {});
    if (opts.json) ctx.io.out(JSON.stringify(rows, null, 2));
    else if (!rows.length) ctx.io.out('No applications with workloads yet: every workload is in visibility (nothing enforced).');
    else {
      ctx.io.out(
        table([
          ['APPLICATION', 'ENV', 'STATE', 'WORKLOADS', 'CHANGED BY', 'CHANGED'],
          ...rows.map((r) => [r.application, envText(r.environment), r.state, String(r.workloads), r.changedBy ?? '-', r.updatedAt?.toISOString() ?? '-']),
        ]),
      );
    }
    return 0;
  }
  if (!appKey || !opts.state) throw new UserError(USAGE);
  await ctx.authorize('policy:enforce');
  const app = await getApplication(db, appKey);
  if (!(await mayActOnApplication(db, ctx.actor, 'policy:enforce', app.id))) {
    await ctx.audit({ action: 'auth.denied', target: { type: 'application', id: app.id }, summary: `policy:enforce: ${ctx.actor.name} does not own ${app.name}`, outcome: 'denied' });
    throw new UserError(`${ctx.actor.name} may set the enforcement state only of applications they own; ${app.name} is not one`, 3);
  }
  const c = await setEnforcement(db, { application: app.id, environment: opts.env ?? null, state: opts.state }, who(ctx, 'enforce'));
  if (opts.json) ctx.io.out(JSON.stringify(c, null, 2));
  else {
    const name = `${c.application}${c.environment ? `@${c.environment}` : ''}`;
    ctx.io.out(c.changed ? `${name}: ${c.from} -> ${c.to}` : `${name}: already ${c.to}`);
    if (c.changed && c.to !== 'visibility') ctx.io.err('The enforcement points change when the policy is exported and loaded again (bulkhead export).');
  }
  return 0;
}
