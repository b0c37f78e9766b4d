// `bulkhead simulate [--from ISO] [--to ISO] [--days N] [--policy approved|proposed|baseline:NAME[@V]|FILE|-] [--json]`
// `bulkhead simulate --monitor [--since ISO] [--stale-days N]`: drift, stale rules, expired exceptions.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPolicyView } from '../../lib/policy/labels';
import { monitorPolicy } from '../../lib/policy/monitor';
import { simulate, type PolicyRef } from '../../lib/policy/service';
import { ENFORCEMENT_MODES, type EnforcementMode, type SimulationResult } from '../../lib/policy/simulate';
import { UserError, type CommandContext } from '../context';
import { table } from '../table';
import { n, numberOption, pct, timeOption } from './policy-common';
import { portLabel } from '../../lib/flow/ports';
import { count, endpointText } from '../../lib/words';

export interface SimulateOptions {
  from?: string;
  to?: string;
  days?: string;
  policy?: string;
  top?: string;
  json?: boolean;
  monitor?: boolean;
  since?: string;
  staleDays?: string;
  enforcement?: string;
}


export async function policyRef(ctx: CommandContext, text: string | undefined): Promise<PolicyRef> {
  const t = text ?? 'approved';
  if (t === 'approved' || t === 'proposed' || t === 'all') return { kind: 'rules', which: t };
  if (t.startsWith('baseline:')) return { kind: 'baseline', ref: t.slice('baseline:'.length) };
  if (t === '-') return { kind: 'file', text: await ctx.stdin(), name: 'standard input' };
  if (ctx.actor.type === 'token') throw new UserError(`--policy ${t}: a file is read on the server; send it on standard input instead: --policy - < ${t}`);
  const path = resolve(ctx.cwd, t);
  let body: string;
  try {
    body = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`--policy ${t}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give approved, proposed, baseline:NAME[@VERSION], a baseline file, or - for standard input`);
  }
  return { kind: 'file', text: body, name: t };
}

export async function run(ctx: CommandContext, opts: SimulateOptions) {
  const rt = await ctx.runtime();
  if (opts.monitor) return monitor(ctx, opts);
  const ref = await policyRef(ctx, opts.policy);
  const enforcement = opts.enforcement ?? 'as-set';
  if (!(ENFORCEMENT_MODES as readonly string[]).includes(enforcement)) throw new UserError(`--enforcement ${enforcement}: one of ${ENFORCEMENT_MODES.join(', ')}`);
  const result = await simulate(rt, ref, {
    enforcement: enforcement as EnforcementMode,
    from: timeOption(opts.from, '--from'),
    to: timeOption(opts.to, '--to'),
    days: numberOption(opts.days, '--days', { min: 1 / 24 }),
    top: numberOption(opts.top, '--top', { min: 0, integer: true }) ?? 20,
  });
  if (opts.json) {
    ctx.io.out(JSON.stringify(result, null, 2));
    return 0;
  }
  ctx.io.out(formatSimulation(result));
  return 0;
}

/** The probes of the scanners discovery found, set apart from the figures above. */
const scannerLine = (x: NonNullable<SimulationResult['scanners']>) =>
  `${n(x.flows)} flows from ${count(x.sources, 'scanning source')} set apart (discovery's verdict): ${n(x.blockedFlows)} would be blocked over ${count(x.blockedDependencies, 'probed port')}, which breaks nothing; not counted above`;

export function formatSimulation(r: SimulationResult): string {
  const t = r.totals;
  const e = r.enforcement;
  const lines = [
    `Policy "${r.policy.name}" (${r.policy.rules} rules) against ${r.window.from} .. ${r.window.to}:`,
    e.mode === 'all'
      ? '  enforced every workload (--enforcement all: the rules alone, whatever the applications\' states)'
      : `  enforced ${e.enforced.length ? e.enforced.join(', ') : 'nothing'}${e.test.length ? `; in test (logged, let through) ${e.test.join(', ')}` : ''} (as exported; --enforcement all: as if every workload were)`,
    `  flows    ${n(t.flows)} observed: ${n(t.allowedFlows)} allowed (${pct(t.flows ? t.allowedFlows / t.flows : 1)}${t.loggedFlows ? `, ${n(t.loggedFlows)} of them only logged` : ''}), ${n(t.blockedFlows)} would be blocked (${n(t.blockedAnsweredFlows)} of them answered: real traffic that would break)`,
    `  bytes    ${n(t.bytes)} observed: ${n(t.allowedBytes)} allowed, ${n(t.blockedBytes)} would be blocked`,
    `  coverage ${pct(r.coverage.ratio, 1)} of ${n(r.coverage.connections)} connections; ${pct(r.coverage.answered.ratio, 1)} of the ${n(r.coverage.answered.connections)} answered ones`,
  ];
  if (r.scanners?.flows) lines.push(`  scanners ${scannerLine(r.scanners)}`);
  if (!t.flows) lines.push('', 'No traffic in this window: choose another (--from, --to, --days) or check the collectors (bulkhead doctor).');
  if (!r.policy.rules) lines.push('', `This policy has no rules, so everything ${e.mode === 'all' ? '' : 'to or from an enforced application '}would be blocked: approve rules (bulkhead rules approve), or simulate the proposals (--policy proposed).`);
  if (e.mode === 'as-set' && !e.enforced.length && t.flows) lines.push('', 'No application is enforced, so nothing is blocked: --enforcement all shows what the rules alone would block.');
  const apps = r.applications.filter((a) => a.blockedFlows > 0).slice(0, 15);
  if (apps.length) {
    lines.push('', 'Would block, per application:');
    lines.push(
      table([
        ['APPLICATION', 'FLOWS', 'BLOCKED', 'ANSWERED', 'DEPENDENCIES'],
        ...apps.map((a) => [a.application, n(a.flows), `${n(a.blockedFlows)} (${pct(a.flows ? a.blockedFlows / a.flows : 0, 1)})`, n(a.blockedAnsweredFlows), n(a.blockedDependencies)]),
      ]).replace(/^/gm, '  '),
    );
    lines.push('  (ANSWERED: blocked flows that got an answer, real traffic that would break; the rest were refused or unanswered anyway, as scans are)');
  }
  if (r.blocked.length) {
    lines.push('', `Largest would-block dependencies (${r.blocked.length} of ${n(r.blockedDependencies)}):`);
    lines.push(
      table([
        ['FROM', 'TO', 'PORT', 'FLOWS', 'FAILED', 'LAST SEEN', 'EXAMPLE'],
        ...r.blocked.map((b) => [endpointText(b.from), endpointText(b.to), portLabel(b.protocol, b.port), n(b.flows), n(b.failedFlows), b.lastSeen.slice(0, 16), b.examples[0] ? `${b.examples[0].client} -> ${b.examples[0].server}` : '']),
      ]).replace(/^/gm, '  '),
    );
  }
  const idle = r.ruleHits.filter((h) => h.flows === 0).length;
  lines.push('', `${r.policy.rules - idle} rules allowed traffic in the window, ${idle} had none.`);
  lines.push(
    'Next: bulkhead rules list · bulkhead rules add --from SEL --to SEL --ports P --intent "..." (for traffic that must keep working) · bulkhead simulate --json (everything)',
  );
  return lines.join('\n');
}

async function monitor(ctx: CommandContext, opts: SimulateOptions) {
  const rt = await ctx.runtime();
  const db = rt.db.prisma;
  const view = await loadPolicyView(db, { all: true });
  const m = await monitorPolicy(rt.store, db, view, {
    since: timeOption(opts.since, '--since'),
    staleDays: numberOption(opts.staleDays, '--stale-days', { min: 1 }),
    top: numberOption(opts.top, '--top', { min: 0, integer: true }),
  });
  if (opts.json) {
    ctx.io.out(JSON.stringify(m, null, 2));
    return 0;
  }
  const lines = [`Monitor of the approved policy (${m.approvedRules} rules) at ${m.now}:`];
  if (!m.drift.since) lines.push('  drift    nothing approved yet: approve rules first (bulkhead rules approve)');
  else {
    lines.push(`  drift    since ${m.drift.since}: ${n(m.drift.blockedFlows)} of ${n(m.drift.flows)} flows would be blocked (${n(m.drift.blockedAnsweredFlows)} answered), ${n(m.drift.dependencies)} dependencies`);
    for (const b of m.drift.top.slice(0, 15)) lines.push(`           ${endpointText(b.from)} -> ${endpointText(b.to)} ${portLabel(b.protocol, b.port)}  ${n(b.flows)} flows, last ${b.lastSeen.slice(0, 16)}`);
  }
  lines.push(`  stale    ${m.stale.rules.length} approved rules without a hit in ${m.stale.days} days`);
  for (const s of m.stale.rules.slice(0, 15)) lines.push(`           ${s.id.slice(-8)}  ${s.rule}`);
  lines.push(`  expired  ${m.expired.now.length} exceptions expired now, ${m.expired.total} expired in all`);
  for (const e of m.expired.now) lines.push(`           ${e.rule} (expired ${e.expires})`);
  lines.push('Next: bulkhead propose (new traffic becomes proposals) · bulkhead rules reject ID --comment "unused" (stale rules)');
  ctx.io.out(lines.join('\n'));
  return 0;
}
