// `bulkhead rules list|show|approve|reject|narrow|add`: review the allow rules.
import { describeRule, formatPorts, formatSelector, parsePortsText, parseSelectorText, PolicyError, RULE_STATUSES, type Rule, type RuleStatus } from '../../lib/policy/model';
import { findRule, listRules, ruleHistory, shortId } from '../../lib/policy/rules';
import { applicationNames } from '../../lib/read/rules';
import { approveRules, createRules, narrowRule, rejectRules, type NarrowChange, type ReviewOutcome } from '../../lib/policy/workflow';
import { applicationScope } from '../../lib/auth/ownership';
import { loadUnitRules, matchesDirection, planUnitApproval, unitName, type ReviewDirection } from '../../lib/policy/review';
import { UserError, type CommandContext } from '../context';
import { table } from '../table';
import { n, numberOption, requireReview, timeOption, who } from './policy-common';

const USAGE =
  'bulkhead rules list [--status S] [--app APP [--env ENV [--direction in|out|both]]] [--json] | show ID\n' +
  '               | approve ID...|--app APP [--env ENV]|--all [--comment C] [--expires T]\n' +
  '               | reject ID... --comment C | narrow ID [--from SEL] [--to SEL] [--ports P] [--expires T|never] --comment C\n' +
  '               | add --from SEL --to SEL --ports P --intent TEXT [--app APP]';

export interface RulesOptions {
  status?: string;
  app?: string;
  kind?: string;
  json?: boolean;
  all?: boolean;
  comment?: string;
  expires?: string;
  from?: string;
  to?: string;
  ports?: string;
  intent?: string;
  limit?: string;
  env?: string;
  direction?: string;
}

export async function run(ctx: CommandContext, opts: RulesOptions, args: string[]) {
  const [action = 'list', ...ids] = args;
  switch (action) {
    case 'list':
      return list(ctx, opts);
    case 'show':
      return show(ctx, opts, ids);
    case 'approve':
      return approve(ctx, opts, ids);
    case 'reject':
      return reject(ctx, opts, ids);
    case 'narrow':
      return narrow(ctx, opts, ids);
    case 'add':
      return add(ctx, opts);
    default:
      throw new UserError(`unknown action "${action}".\n${USAGE}`);
  }
}

function statuses(text: string | undefined): RuleStatus[] {
  if (!text) return ['proposed', 'approved'];
  if (text === 'all') return [...RULE_STATUSES];
  const s = text.split(',').map((x) => x.trim()) as RuleStatus[];
  for (const x of s) if (!RULE_STATUSES.includes(x)) throw new UserError(`--status: "${x}" is not one of ${RULE_STATUSES.join(', ')}, all`);
  return s;
}

/** The direction to list (--direction), only with --app and --env. */
function directionOption(opts: RulesOptions): 'in' | 'out' | 'both' | null {
  if (opts.env === undefined) {
    if (opts.direction) throw new UserError('--direction lists one application in one environment: give --app APP --env ENV');
    return null;
  }
  if (!opts.app) throw new UserError('--env goes with --app APP');
  const d = opts.direction ?? 'both';
  if (d !== 'in' && d !== 'out' && d !== 'both') throw new UserError(`--direction: "${d}" is not one of in, out, both`);
  return d;
}

async function list(ctx: CommandContext, opts: RulesOptions) {
  const db = (await ctx.runtime()).db.prisma;
  const direction = directionOption(opts);
  const directions = new Map<string, ReviewDirection>();
  let rules: Rule[];
  if (direction) {
    const unit = await loadUnitRules(db, { application: opts.app!, environment: opts.env! }, statuses(opts.status));
    const kept = unit.rules.filter((i) => matchesDirection(i.direction, direction));
    for (const i of kept) directions.set(i.rule.id, i.direction);
    rules = kept.map((i) => i.rule);
  } else rules = await listRules(db, { status: statuses(opts.status), application: opts.app });
  if (opts.kind) rules = rules.filter((r) => r.evidence?.kind === opts.kind);
  const apps = await applicationNames((await ctx.runtime()).db.prisma);
  if (opts.json) {
    ctx.io.out(JSON.stringify(rules.map((r) => ({ ...r, application: r.applicationId ? (apps.get(r.applicationId) ?? null) : null, rule: describeRule(r), ...(direction ? { direction: directions.get(r.id) } : {}) })), null, 2));
    return 0;
  }
  if (!rules.length) {
    ctx.io.out(opts.status || opts.app ? 'No rules match.' : 'No rules yet. Next: bulkhead propose (discovery over the last 30 days, then proposals from its graph)');
    return 0;
  }
  const limit = numberOption(opts.limit, '--limit', { min: 1, integer: true }) ?? rules.length;
  const rows = rules.slice(0, limit).map((r) => [
    shortId(r.id),
    ...(direction ? [directions.get(r.id)!] : []),
    r.status,
    r.applicationId ? (apps.get(r.applicationId) ?? '?') : '-',
    r.evidence?.kind ?? r.origin,
    formatSelector(r.from),
    formatSelector(r.to),
    formatPorts(r.ports),
    r.evidence ? n(r.evidence.flows) : '-',
    r.expires ? r.expires.toISOString().slice(0, 10) : '',
  ]);
  ctx.io.out(table([['ID', ...(direction ? ['DIRECTION'] : []), 'STATUS', 'APP', 'KIND', 'FROM', 'TO', 'PORTS', 'FLOWS', 'EXPIRES'], ...rows]));
  const by: Record<string, number> = {};
  for (const r of rules) by[r.status] = (by[r.status] ?? 0) + 1;
  ctx.io.out(
    `\n${rules.length > limit ? `${limit} of ` : ''}${rules.length} rules: ${Object.entries(by).map(([k, v]) => `${v} ${k}`).join(', ')}.` +
      `\nNext: bulkhead rules show ID (evidence and history) · bulkhead rules approve ID... | --app APP · bulkhead simulate --policy proposed --enforcement all`,
  );
  return 0;
}

async function show(ctx: CommandContext, opts: RulesOptions, ids: string[]) {
  if (ids.length !== 1) throw new UserError('bulkhead rules show ID');
  const db = (await ctx.runtime()).db.prisma;
  const r = await findRule(db, ids[0]!);
  const history = await ruleHistory(db, r.id);
  const app = r.applicationId ? (await applicationNames((await ctx.runtime()).db.prisma)).get(r.applicationId) : null;
  if (opts.json) {
    ctx.io.out(JSON.stringify({ ...r, application: app ?? null, rule: describeRule(r), history }, null, 2));
    return 0;
  }
  const e = r.evidence;
  const lines = [
    `rule ${r.id} (${shortId(r.id)})`,
    `  ${describeRule(r)}`,
    `  status      ${r.status}${r.expires ? ` until ${r.expires.toISOString()}` : ''}`,
    `  intent      ${r.intent}`,
    `  application ${app ?? '-'}   origin ${r.origin}`,
  ];
  if (e) {
    lines.push(
      `  evidence    ${e.kind}: ${n(e.edges)} dependencies, ${n(e.flows)} flows, ${n(e.bytes)} bytes, ${e.firstSeen} .. ${e.lastSeen} (window ${e.window.from} .. ${e.window.to})`,
      `  why         ${e.explanation}`,
      ...e.examples.map((x) => `              ${x}`),
    );
    if (e.inferredLabels.length) lines.push(`  note        relies on inferred labels not yet confirmed: ${e.inferredLabels.join(', ')}`);
  }
  lines.push('  history');
  for (const h of history) lines.push(`    ${h.at.toISOString()}  ${h.actor}  ${h.action}${h.fromStatus || h.toStatus ? ` ${h.fromStatus ?? '-'} -> ${h.toStatus ?? '-'}` : ''}${h.comment ? `  "${h.comment}"` : ''}`);
  ctx.io.out(lines.join('\n'));
  return 0;
}

/** The rules named by ids, --app, or --all, that the actor may review; refuses for ones they may not when named. */
async function target(ctx: CommandContext, opts: RulesOptions, ids: string[], statuses: RuleStatus[]): Promise<Rule[]> {
  const db = (await ctx.runtime()).db.prisma;
  if (ids.length) {
    const rules: Rule[] = [];
    for (const id of ids) rules.push(await findRule(db, id));
    for (const r of rules) await requireReview(ctx, r.applicationId, `rule ${shortId(r.id)}`);
    return rules;
  }
  if (!opts.app && !opts.all) throw new UserError(`name rules by id, or --app APP, or --all\n${USAGE}`);
  await ctx.authorize('rules:review');
  const rules = await listRules(db, { status: statuses, application: opts.app });
  const { mayActOnApplication } = await import('../../lib/auth/ownership');
  const mine: Rule[] = [];
  for (const r of rules) if (await mayActOnApplication(db, ctx.actor, 'rules:review', r.applicationId)) mine.push(r);
  if (mine.length < rules.length) ctx.io.err(`${rules.length - mine.length} rules of applications ${ctx.actor.name} does not own were left out.`);
  return mine;
}

async function approve(ctx: CommandContext, opts: RulesOptions, ids: string[]) {
  if (opts.env !== undefined) return approveUnit(ctx, opts, ids);
  const rules = await target(ctx, opts, ids, ['proposed']);
  if (!rules.length) {
    ctx.io.out('Nothing to approve.');
    return 0;
  }
  const expires = opts.expires === undefined ? undefined : opts.expires === 'never' ? null : timeOption(opts.expires, '--expires');
  const db = (await ctx.runtime()).db.prisma;
  const out = await approveRules(db, rules.map((r) => r.id), who(ctx, 'rules approve'), { comment: opts.comment ?? null, expires, separationOfDuties: (await ctx.runtime()).config.review.separationOfDuties });
  return report(ctx, opts, out, 'approved', 'Next: bulkhead baselines create NAME (snapshot the approved rules) · bulkhead export --format F -o FILE');
}

/**
 * Every proposed rule of app@env in both directions (lib/policy/review.ts): the actor approves
 * those of their applications and agrees, as the sending side, to the unit's outbound rules of
 * others; the rest, and rules over unconfirmed inferred applications, are refused with why.
 */
async function approveUnit(ctx: CommandContext, opts: RulesOptions, ids: string[]) {
  if (ids.length || !opts.app) throw new UserError('bulkhead rules approve --app APP --env ENV (every proposed rule of APP in ENV, both directions)');
  await ctx.authorize('rules:review');
  const db = (await ctx.runtime()).db.prisma;
  const { rules: items } = await loadUnitRules(db, { application: opts.app, environment: opts.env! }, ['proposed']);
  if (!items.length) {
    ctx.io.out(`Nothing to approve: ${unitName(opts.app, opts.env!)} has no proposed rules in either direction.`);
    return 0;
  }
  const scope = await applicationScope(db, ctx.actor, 'rules:review');
  const app = await db.application.findUnique({ where: { name: opts.app }, select: { id: true } });
  const plan = planUnitApproval(items, scope, app?.id ?? null, await applicationNames(db));
  const expires = opts.expires === undefined ? undefined : opts.expires === 'never' ? null : timeOption(opts.expires, '--expires');
  const done: ReviewOutcome[] = plan.approve.length || plan.endorse.size
    ? await approveRules(db, [...plan.approve, ...plan.endorse], who(ctx, 'rules approve'), { comment: opts.comment ?? null, expires, endorse: plan.endorse, separationOfDuties: (await ctx.runtime()).config.review.separationOfDuties })
    : [];
  const out = [...done, ...plan.refused];
  const code = report(ctx, opts, out, 'approved', 'Next: bulkhead simulate --policy approved · bulkhead enforce APP --env ENV --readiness');
  const gated = out.filter((o) => o.reason === 'unconfirmed').length;
  if (!opts.json && gated) ctx.io.err(`${gated} rules rely on applications discovery inferred and nobody confirmed: confirm them (bulkhead applications confirm ID, or --inferred for all; or Confirm on the application's page) or rewrite the rules (bulkhead rules narrow ID --from/--to).`);
  return code;
}

async function reject(ctx: CommandContext, opts: RulesOptions, ids: string[]) {
  if (!opts.comment) throw new UserError('bulkhead rules reject ID... --comment "why"');
  const rules = await target(ctx, opts, ids, ['proposed']);
  const db = (await ctx.runtime()).db.prisma;
  const out = await rejectRules(db, rules.map((r) => r.id), who(ctx, 'rules reject'), { comment: opts.comment });
  return report(ctx, opts, out, 'rejected', 'A rejected proposal is not proposed again; traffic it would have allowed shows in bulkhead simulate.');
}

async function narrow(ctx: CommandContext, opts: RulesOptions, ids: string[]) {
  if (ids.length !== 1) throw new UserError('bulkhead rules narrow ID [--from SEL] [--to SEL] [--ports P] [--intent TEXT] [--expires T|never] --comment "why"');
  if (!opts.comment) throw new UserError('bulkhead rules narrow: say why with --comment');
  const db = (await ctx.runtime()).db.prisma;
  const rule = await findRule(db, ids[0]!);
  await requireReview(ctx, rule.applicationId, `rule ${shortId(rule.id)}`);
  const change: NarrowChange = {};
  if (opts.from) change.from = parseSelectorText(opts.from, '--from');
  if (opts.to) change.to = parseSelectorText(opts.to, '--to');
  if (opts.ports) change.ports = parsePortsText(opts.ports, '--ports');
  if (opts.intent) change.intent = opts.intent;
  if (opts.expires !== undefined) change.expires = opts.expires === 'never' ? null : timeOption(opts.expires, '--expires')!;
  if (!Object.keys(change).length) throw new UserError('bulkhead rules narrow: nothing to change (--from, --to, --ports, --intent, --expires)');
  const r = await narrowRule(db, rule.id, change, who(ctx, 'rules narrow'), { comment: opts.comment });
  if (opts.json) ctx.io.out(JSON.stringify({ id: r.id, outcome: r.outcome, before: describeRule(r.before), after: describeRule(r.after) }, null, 2));
  else ctx.io.out(r.outcome === 'unchanged' ? `rule ${shortId(r.id)}: nothing changed` : `rule ${shortId(r.id)} ${r.outcome} (${r.toStatus}):\n  was ${describeRule(r.before)}\n  now ${describeRule(r.after)}`);
  return 0;
}

async function add(ctx: CommandContext, opts: RulesOptions) {
  await ctx.authorize('rules:propose');
  if (!opts.from || !opts.to || !opts.ports || !opts.intent) throw new UserError('bulkhead rules add --from SEL --to SEL --ports P --intent "the business reason" [--app APP] [--expires T]');
  const db = (await ctx.runtime()).db.prisma;
  const draft = {
    from: parseSelectorText(opts.from, '--from'),
    to: parseSelectorText(opts.to, '--to'),
    ports: parsePortsText(opts.ports, '--ports'),
    intent: opts.intent.trim(),
    owner: opts.app ?? null,
    application: opts.app ?? null,
    expires: opts.expires ? timeOption(opts.expires, '--expires')! : null,
  };
  if (draft.expires && draft.expires <= new Date()) throw new PolicyError(`--expires ${draft.expires.toISOString()} is not in the future`);
  const r = await createRules(db, [draft], who(ctx, 'rules add'), { origin: 'manual' });
  const rule = r.created[0] ?? r.existing[0]!;
  ctx.io.out(opts.json ? JSON.stringify(rule, null, 2) : `${r.created.length ? 'proposed' : 'already exists as'} rule ${shortId(rule.id)}: ${describeRule(rule)}\nNext: bulkhead rules approve ${shortId(rule.id)}`);
  return 0;
}

function report(ctx: CommandContext, opts: RulesOptions, out: Array<{ id: string; rule: string; outcome: string; note?: string }>, verb: string, next: string) {
  if (opts.json) {
    ctx.io.out(JSON.stringify(out, null, 2));
    return out.some((o) => o.outcome === 'refused') ? 1 : 0;
  }
  for (const o of out) ctx.io.out(`${shortId(o.id)}  ${o.outcome.padEnd(9)}  ${o.rule}${o.note ? `  (${o.note})` : ''}`);
  const done = out.filter((o) => o.outcome === verb).length;
  const refused = out.filter((o) => o.outcome === 'refused').length;
  const endorsed = out.filter((o) => o.outcome === 'endorsed').length;
  ctx.io.out(`${done} rules ${verb}, ${endorsed ? `${endorsed} agreed to as the sending side, ` : ''}${refused ? `${refused} refused, ` : ''}${out.length - done - refused - endorsed} unchanged.\n${next}`);
  return refused ? 1 : 0;
}
