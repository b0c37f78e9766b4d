// `bulkhead analyze [--from ISO] [--to ISO] [--days N] [--json] [--level L] [--no-save]`
// Thin: lib/analysis does the work; this prints it (JSON: docs/discovery.md) and saves the
// inferred applications, roles and environments as suggestions for review.
import { roleAllows } from '../../lib/auth/permissions';
import { analyze } from '../../lib/analysis/analyze';
import { toAnalysisJson } from '../../lib/analysis/json';
import { graphAtLevel } from '../../lib/analysis/levels';
import { saveSuggestions } from '../../lib/analysis/suggestions';
import type { AnalysisResult, Level, Periodicity, SaveResult } from '../../lib/analysis/types';
import { LEVELS, PERIODICITIES } from '../../lib/analysis/types';
import { UserError, type CommandContext } from '../context';
import { estateCounts } from '../../lib/analysis/counts';
import { count } from '../../lib/words';

export interface AnalyzeCliOptions {
  from?: string;
  to?: string;
  days?: string;
  json?: boolean;
  level?: string;
  application?: string;
  save?: boolean;
  labels?: boolean;
  names?: boolean;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const day = (d: Date) => d.toISOString().replace(':00.000Z', 'Z').replace('T00:00Z', '');
const bytes = (n: number) => (n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

export async function run(ctx: CommandContext, opts: AnalyzeCliOptions) {
  await ctx.authorize('map:read');
  let days: number | undefined;
  if (opts.days !== undefined) {
    days = Number(opts.days);
    if (!(days > 0)) throw new UserError(`--days: "${opts.days}" is not a positive number of days`);
  }
  const level = opts.level as Level | undefined;
  if (level !== undefined && !LEVELS.includes(level)) throw new UserError(`--level: "${opts.level}" is not one of ${LEVELS.join(', ')}`);
  const useLabels = opts.labels !== false;
  const useNames = opts.names !== false;
  const rt = await ctx.runtime();
  const bar = ctx.io.progress('Analyzing', 7, 'steps');
  let result: AnalysisResult;
  try {
    result = await analyze(rt, { from: opts.from, to: opts.to, days, useLabels, useNames, onStep: (_s, done) => bar.update(done) });
  } finally {
    bar.stop();
  }

  // Suggestions are saved when they can be trusted to respect labels, and when the caller may
  // change inventory; a viewer gets the analysis without writing anything.
  let saved: SaveResult | null = null;
  let notSaved: string | null = null;
  if (opts.save === false) notSaved = '--no-save';
  else if (!useLabels) notSaved = 'labels were ignored (--no-labels)';
  else if (!roleAllows(ctx.actor.role, 'inventory:write')) notSaved = `${ctx.actor.role}s may not change inventory`;
  else {
    saved = await saveSuggestions(rt.db.prisma, result);
    if (saved.labelsWritten || saved.labelsRemoved || saved.applicationsCreated || saved.networksWritten || saved.networksRemoved) {
      await ctx.audit({
        action: 'discovery.suggest',
        target: { type: 'analysis', id: `${result.window.from.toISOString()}/${result.window.to.toISOString()}` },
        summary: `discovery suggested ${saved.labelsWritten} labels (${saved.labelsRemoved} withdrawn), ${saved.applicationsCreated} new applications and ${saved.networksWritten} networks of unknown clients (${saved.networksRemoved} withdrawn)`,
        after: saved,
      });
    }
  }

  if (level) {
    const g = graphAtLevel(result, level, { application: opts.application });
    if (opts.json) {
      ctx.io.out(JSON.stringify(g, null, 2));
      return 0;
    }
    ctx.io.out(levelText(g.level, g.nodes, g.edges));
    return 0;
  }
  if (opts.json) {
    ctx.io.out(JSON.stringify(toAnalysisJson(result), null, 2));
    return 0;
  }
  ctx.io.out(summary(result, saved, notSaved));
  return 0;
}

function levelText(level: Level, nodes: ReturnType<typeof graphAtLevel>['nodes'], edges: ReturnType<typeof graphAtLevel>['edges']): string {
  const label = new Map(nodes.map((n) => [n.id, n.label]));
  const out = [`${fmt(nodes.length)} nodes, ${fmt(edges.length)} edges at ${level} level`, ''];
  const sorted = [...edges].sort((a, b) => b.flows - a.flows);
  for (const e of sorted.slice(0, 200)) {
    out.push(`${(label.get(e.from) ?? e.from).padEnd(34)} -> ${(label.get(e.to) ?? e.to).padEnd(34)} ${e.ports.slice(0, 6).join(' ')}${e.ports.length > 6 ? ' ...' : ''}  ${fmt(e.flows)} flows, ${e.periodicity}`);
  }
  if (sorted.length > 200) out.push(`... and ${fmt(sorted.length - 200)} more (--json for all)`);
  return out.join('\n');
}

export function summary(r: AnalysisResult, saved: SaveResult | null, notSaved: string | null): string {
  const c = r.coverage;
  const out: string[] = [];
  out.push(`Discovery over ${day(r.window.from)} .. ${day(r.window.to)} (${c.days} days; flows on ${c.daysWithData} days from ${c.sources.length} source${c.sources.length === 1 ? '' : 's'}; computed in ${((r.timings.total ?? 0) / 1000).toFixed(1)} s)`);
  for (const n of c.notes) out.push(`  ! ${n}`);
  out.push('');
  const counts = estateCounts(r);
  const ext = r.endpoints.length;
  out.push(`Workloads      ${fmt(counts.workloads)} in the window, ${fmt(counts.activeWorkloads)} with dependencies`);
  out.push(`Dependencies   ${fmt(counts.dependencies)}${ext ? ` (with ${count(ext, 'outside endpoint')}: networks, internet, addresses)` : ''}`);
  const per = new Map<Periodicity, number>();
  for (const e of r.edges) per.set(e.periodicity, (per.get(e.periodicity) ?? 0) + 1);
  out.push(`Rhythm         ${PERIODICITIES.map((p) => `${p} ${fmt(per.get(p) ?? 0)}`).join(', ')}`);
  const apps = r.applications.filter((a) => a.kind === 'application');
  const inferred = apps.filter((a) => a.source === 'inferred').length;
  const low = r.workloads.filter((w) => w.applicationSource === 'inferred' && w.confidence < 0.6).length;
  out.push(`Applications   ${fmt(counts.applications)} (${fmt(apps.length - inferred)} from labels, ${fmt(inferred)} inferred) and ${count(counts.groups, 'shared-service, management or scanner group', 'shared-service, management and scanner groups')}; ${count(low, 'workload assignment')} below 0.6 confidence`);
  const core = r.applications.filter((a) => a.kind === 'core-service');
  const nameOf = new Map(r.workloads.map((w) => [w.id, w.name]));
  const list = (ids: string[]) => `${ids.slice(0, 4).map((id) => nameOf.get(id) ?? id).join(', ')}${ids.length > 4 ? `, +${ids.length - 4}` : ''}`;
  out.push(`Core services  ${core.length ? core.map((a) => `${a.name} (${list(a.members)})`).join('; ') : 'none recognised'}`);
  const stations = r.workloads.filter((w) => w.management);
  const mgmtEdges = r.edges.filter((e) => e.flags.management).length;
  out.push(`Management     ${fmt(mgmtEdges)} management paths${stations.length ? `; jump hosts: ${stations.map((w) => w.name).join(', ')}` : ''}`);
  const sc = c.excluded.scanners;
  out.push(`Excluded       ${sc.length ? `${sc.length} scanner${sc.length === 1 ? '' : 's'} (${sc.slice(0, 3).map((s) => `${s.name}: ${s.reason}, ${fmt(s.targets)} probes on ${fmt(s.hosts)} hosts, ${Math.round(s.failedRatio * 100)}% unanswered${s.scope === 'probes' ? ', its own service traffic kept' : ''}`).join('; ')})` : 'no scanners'}; ${fmt(c.excluded.ephemeralConversations)} conversations of ephemeral-port noise`);
  if (r.clientNetworks.length) {
    out.push(`Networks       ${fmt(r.clientNetworks.length)} suggested for unknown clients: ${r.clientNetworks.slice(0, 4).map((n) => `${n.cidr} (${n.addresses.length} addresses; ${n.reaches[0] ?? ''})`).join('; ')}${r.clientNetworks.length > 4 ? ', ...' : ''}`);
  }
  out.push(`Convergence    ${c.converged ? 'converged' : 'not converged'}: ${c.convergence.slice(-7).reduce((s, d) => s + d.newEdges, 0)} new dependencies in the last 7 days of data`);
  if (apps.length) {
    out.push('', 'Applications (largest first)');
    const sorted = [...apps].sort((a, b) => b.members.length - a.members.length || a.id.localeCompare(b.id));
    for (const a of sorted.slice(0, 25)) {
      const roles = Object.entries(a.roles).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`).join(', ');
      const traffic = r.edges.filter((e) => a.members.includes(e.to)).reduce((s, e) => s + e.bytes, 0);
      out.push(`  ${a.id.padEnd(28)} ${String(a.members.length).padStart(4)} workloads  ${a.source === 'label' ? 'labels  ' : `inferred ${a.confidence.toFixed(2)}`}  ${roles}${traffic ? `  (${bytes(traffic)} in)` : ''}`);
    }
    if (sorted.length > 25) out.push(`  ... and ${sorted.length - 25} more (bulkhead analyze --json)`);
  }
  out.push('');
  if (saved) {
    out.push(`Saved ${fmt(saved.labelsWritten)} suggested labels (app, role, env; unconfirmed${saved.labelsRemoved ? `; ${fmt(saved.labelsRemoved)} withdrawn` : ''}) and ${fmt(saved.applicationsCreated)} suggested applications. Labels from inventory or people were not touched.`);
    if (r.clientNetworks.length) out.push(`Suggested networks of unknown clients are listed by \`bulkhead networks list\`; accept, rename or narrow one with \`bulkhead networks accept NAME [--as NEW] [--cidr CIDR]\`.`);
  }
  else if (notSaved) out.push(`Suggestions not saved: ${notSaved}.`);
  out.push('Next:');
  if (!r.edges.length) {
    out.push('  Collect flows first: point exporters at `bulkhead serve`, import flow logs (bulkhead import aws|gcp|azure), or load the demo (bulkhead demo).');
  } else {
    out.push('  1. Review the applications and roles: in the web app (Applications), or `bulkhead analyze --json` / `--level application`.');
    out.push('     Confirm or correct the suggestions; labels you set always win over inference.');
    if (!c.converged || c.shorterThanCycle) out.push('  2. Keep collecting until discovery converges over a full cycle, then:');
    out.push(`  ${!c.converged || c.shorterThanCycle ? '3' : '2'}. bulkhead propose   draft the allow-list rules for owners to review`);
  }
  return out.join('\n');
}
