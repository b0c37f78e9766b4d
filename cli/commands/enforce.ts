// `bulkhead enforce APP [--env ENV] --state visibility|test|enforced [--force]` and `bulkhead enforce --list`:
// how far exports enforce an application's rules per environment (lib/policy/enforcement.ts);
// `--readiness` and `--decide ID --allow|--accept-block`: the gate before enforced (lib/policy/readiness.ts).
import { getApplication, mayActOnApplication } from '../../lib/auth/ownership';
import { ENFORCEMENT_STATES, listEnforcement } from '../../lib/policy/enforcement';
import { decideDependency, enforce, enforcementReadiness, type Readiness } from '../../lib/policy/readiness';
import { count, endpointText } from '../../lib/words';
import { UserError, type CommandContext } from '../context';
import { n, who } from './policy-common';
import { table } from '../table';

export interface EnforceOptions {
  env?: string;
  state?: string;
  list?: boolean;
  readiness?: boolean;
  decide?: string;
  allow?: boolean;
  acceptBlock?: boolean;
  comment?: string;
  force?: boolean;
  json?: boolean;
}

const USAGE = [
  `bulkhead enforce APP [--env ENV] --state ${ENFORCEMENT_STATES.join('|')} [--force]`,
  'bulkhead enforce APP [--env ENV] --readiness [--json]',
  'bulkhead enforce APP [--env ENV] --decide ID[,ID...] --allow|--accept-block [--comment TEXT]',
  'bulkhead enforce --list [--json]',
].join('  |  ');
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
  const modes = [opts.state !== undefined, !!opts.readiness, opts.decide !== undefined].filter(Boolean).length;
  if (!appKey || modes !== 1) throw new UserError(USAGE);
  if (opts.decide === undefined && (opts.allow || opts.acceptBlock || opts.comment !== undefined)) throw new UserError(`--allow, --accept-block and --comment go with --decide ID. ${USAGE}`);
  if (opts.force && opts.state === undefined) throw new UserError(`--force goes with --state enforced. ${USAGE}`);
  await ctx.authorize('policy:enforce');
  const app = await getApplication(db, appKey);
  if (!(await mayActOnApplication(db, ctx.actor, 'policy:enforce', app.id))) {
    await ctx.audit({ action: 'auth.denied', target: { type: 'application', id: app.id }, summary: `policy:enforce: ${ctx.actor.name} does not own ${app.name}`, outcome: 'denied' });
    throw new UserError(`${ctx.actor.name} may set the enforcement state only of applications they own; ${app.name} is not one`, 3);
  }
  const rt = await ctx.runtime();
  if (opts.readiness) {
    const r = await enforcementReadiness(rt, { application: app.id, environment: opts.env ?? null });
    ctx.io.out(opts.json ? JSON.stringify(r, null, 2) : formatReadiness(r));
    return 0;
  }
  if (opts.decide !== undefined) {
    if (!!opts.allow === !!opts.acceptBlock) throw new UserError(`--decide ${opts.decide} takes one of --allow or --accept-block`);
    const ids = opts.decide.split(',').map((x) => x.trim()).filter(Boolean);
    const d = await decideDependency(rt, { application: app.id, environment: opts.env ?? null, dependency: ids, decision: opts.allow ? 'allow' : 'accept-block', comment: opts.comment ?? null }, who(ctx, 'enforce'));
    if (opts.json) ctx.io.out(JSON.stringify(d, null, 2));
    else {
      const name = `${d.application}${d.environment ? `@${d.environment}` : ''}`;
      for (const dep of d.dependencies) ctx.io.out(`${name}: ${d.decision} ${dep.id} ${dep.direction} ${endpointText(dep.from)} -> ${endpointText(dep.to)} ${dep.service}`);
      if (d.rules.length) ctx.io.out(`Proposed ${d.rules.map((r) => `rule ${r.id.slice(-8)} (${r.status})`).join(', ')}: ${d.rules.length === 1 ? 'it allows' : 'they allow'} the traffic once approved (bulkhead rules approve ID).`);
      ctx.io.out(d.ready ? `Every dependency is decided: ${name} may be enforced.` : `${n(d.undecided)} still undecided (bulkhead enforce ${d.application}${d.environment ? ` --env ${d.environment}` : ''} --readiness).`);
    }
    return 0;
  }
  const c = await enforce(rt, { application: app.id, environment: opts.env ?? null, state: opts.state! }, who(ctx, 'enforce'), { force: !!opts.force });
  if (opts.json) ctx.io.out(JSON.stringify(c, null, 2));
  else {
    const name = `${c.application}${c.environment ? `@${c.environment}` : ''}`;
    ctx.io.out(c.changed ? `${name}: ${c.from} -> ${c.to}` : `${name}: already ${c.to}`);
    if (c.changed && c.to !== 'visibility') ctx.io.err('The enforcement points change when the policy is exported and loaded again (bulkhead export).');
  }
  return 0;
}

export function formatReadiness(r: Readiness): string {
  const name = `${r.application}${r.environment ? `@${r.environment}` : ''}`;
  const lines = [`Readiness of ${name} (now ${r.state}) to be enforced: ${count(r.rules, 'approved rule')} against the traffic of ${r.window.from} .. ${r.window.to}`];
  if (!r.dependencies.length) lines.push('  The approved rules would block nothing it sends or receives.');
  else {
    lines.push(`  Would block ${count(r.dependencies.length, 'dependency', 'dependencies')}, ${n(r.undecided)} undecided:`);
    lines.push(
      table([
        ['ID', 'DIRECTION', 'FROM', 'TO', 'PORT', 'FLOWS', 'BYTES', 'LAST SEEN', 'DECISION'],
        ...r.dependencies.map((d) => [d.id, d.direction, endpointText(d.from), endpointText(d.to), d.service, n(d.flows), n(d.bytes), d.lastSeen.slice(0, 16), d.decision ? `${d.decision.decision} (${d.decision.by})` : 'UNDECIDED']),
      ]).replace(/^/gm, '  '),
    );
  }
  if (r.scanners.dependencies) lines.push(`  Left out: ${count(r.scanners.dependencies, 'dependency', 'dependencies')} (${count(r.scanners.flows, 'flow')}) sent by scanners.`);
  if (r.unanswered.dependencies) lines.push(`  Left out: ${count(r.unanswered.dependencies, 'dependency', 'dependencies')} (${count(r.unanswered.flows, 'flow')}) with no attempt ever answered: blocking them breaks nothing that works.`);
  const env = r.environment ? ` --env ${r.environment}` : '';
  lines.push(
    r.ready
      ? `Ready: bulkhead enforce ${r.application}${env} --state enforced`
      : `Not ready. Decide each: bulkhead enforce ${r.application}${env} --decide ID --allow|--accept-block [--comment TEXT]`,
  );
  return lines.join('\n');
}
