// `bulkhead workloads [list] [filters] | show ID` and `bulkhead applications [list] | show ID`:
// the workloads and applications pages from the terminal, through the readers their routes use
// (lib/read/apps.ts), over the window's shared analysis.
import type { NeighbourRow } from '../../lib/read/apps';
import { applicationDetail, appRef, listApplications, listWorkloads, workloadDetail } from '../../lib/read/apps';
import { confirmApplication } from '../../lib/applications/edit';
import { audit } from '../../lib/audit';
import type { AnalysisResult } from '../../lib/analysis/types';
import type { Db } from '../../lib/db';
import { UserError, type CommandContext } from '../context';
import { table } from '../table';
import { n, numberOption } from './policy-common';
import { windowAnalysis, windowOption, type WindowOptions } from './read-common';
import { notFound } from '../../lib/errors';
import { DISCOVERY_DAYS } from '../../lib/analysis/window';
import { count } from '../../lib/words';

export interface WorkloadsCliOptions extends WindowOptions {
  search?: string;
  app?: string;
  role?: string;
  env?: string;
  unconfirmed?: boolean;
  offset?: string;
  limit?: string;
  json?: boolean;
}

const pct = (x: number | null) => (x === null ? '-' : `${Math.round(x * 100)}%`);
const day = (iso: string) => iso.slice(0, 10);

function neighbours(title: string, rows: NeighbourRow[]): string[] {
  if (!rows.length) return [`${title}: none`];
  return [`${title} (${rows.length}):`, table([['NAME', 'KIND', 'PORTS', 'FLOWS', 'LAST SEEN', 'RHYTHM'], ...rows.map((r) => [r.name, r.kind, r.ports.join(' '), n(r.flows), day(r.lastSeen), r.periodicity])]).replace(/^/gm, '  ')];
}

async function analysisOf(ctx: CommandContext, opts: WindowOptions) {
  await ctx.authorize('map:read');
  const rt = await ctx.runtime();
  return { rt, result: await windowAnalysis(ctx, rt, windowOption(opts, DISCOVERY_DAYS)) };
}

export async function run(ctx: CommandContext, opts: WorkloadsCliOptions, args: string[]) {
  const [action = 'list', id, ...rest] = args;
  if (rest.length || (action === 'show' && !id) || (action === 'list' && id) || !['list', 'show'].includes(action)) throw new UserError('bulkhead workloads [list] [--search TEXT --app APP --role ROLE --env ENV --unconfirmed] | show NAME|ID');
  const offset = numberOption(opts.offset, '--offset', { min: 0, integer: true }) ?? 0;
  const limit = numberOption(opts.limit, '--limit', { min: 1, max: 1000, integer: true }) ?? 100;
  const { rt, result } = await analysisOf(ctx, opts);
  const db = rt.db.prisma;
  if (action === 'show') {
    const d = await workloadDetail(db, result, id!);
    if (!d) throw notFound(`no workload called ${id}`);
    if (opts.json) return void ctx.io.out(JSON.stringify(d, null, 2));
    const w = d.workload;
    const lines = [
      `${w.name} (${w.kind}, from ${w.source}): ${w.addresses.join(', ') || 'no address'}`,
      `  application ${w.application ?? '-'}  role ${w.role ?? '-'}${w.roleSource ? ` (${w.roleSource})` : ''}  environment ${w.environment ?? '-'}  confidence ${pct(w.confidence)}`,
      `  labels: ${w.labels.map((l) => `${l.key}=${l.value}${l.source === 'inferred' && !l.confirmed ? ' (suggested)' : ''}`).join(', ') || 'none'}`,
      '',
      'Address history:',
      table([['ADDRESS', 'FROM', 'TO', 'SOURCE'], ...d.history.map((h) => [h.ip, h.validFrom, h.validTo ?? 'now', h.source])]).replace(/^/gm, '  '),
      '',
      ...neighbours('Depends on', d.dependsOn),
      '',
      ...neighbours('Used by', d.usedBy),
    ];
    ctx.io.out(lines.join('\n'));
    return 0;
  }
  const list = await listWorkloads(db, result, { q: opts.search, app: opts.app, role: opts.role, env: opts.env, unconfirmed: opts.unconfirmed, offset, limit });
  if (opts.json) return void ctx.io.out(JSON.stringify(list, null, 2));
  if (!list.workloads.length) {
    ctx.io.out(list.total ? `${list.total} workloads; none from --offset ${offset}.` : 'No workloads match: import inventory (bulkhead import inventory FILE) or change the filters.');
    return 0;
  }
  ctx.io.out(
    [
      table([
        ['WORKLOAD', 'ADDRESSES', 'APPLICATION', 'ROLE', 'ENVIRONMENT', 'CONFIDENCE', 'DEPENDENCIES', 'LABELS'],
        ...list.workloads.map((w) => [w.name, w.addresses.join(' '), w.application ?? '-', w.role ?? '-', w.environment ?? '-', pct(w.confidence), String(w.degree), w.labels.map((l) => `${l.key}=${l.value}`).join(',')]),
      ]),
      '',
      `${offset + 1}-${offset + list.workloads.length} of ${list.total} workloads${offset + list.workloads.length < list.total ? ` (next: --offset ${offset + list.workloads.length})` : ''}`,
    ].join('\n'),
  );
  return 0;
}

const APPLICATIONS_USAGE = 'bulkhead applications [list] | show ID | confirm ID... | confirm --inferred';

/**
 * Confirm applications discovery inferred (the applications page's Confirm): their members' app
 * and env labels become facts, so rules naming them can be approved. `ids` null: every inferred
 * application of the window nobody confirmed yet, for a person who accepts discovery's grouping
 * as a whole (as `rules approve --all` accepts its proposals).
 */
async function confirmApplications(ctx: CommandContext, db: Db, result: AnalysisResult, ids: string[] | null, json: boolean) {
  const list = ids ?? (await listApplications(db, result)).applications.filter((a) => a.source === 'inferred' && !a.record?.confirmed).map((a) => a.id);
  const refs = list.map((x) => {
    const ref = appRef(result, x);
    if (!ref) throw notFound(`no application ${x} in this window (bulkhead applications list names them)`);
    return ref;
  });
  const done = [];
  for (const ref of refs) {
    const r = await confirmApplication(db, ref, (e, tx) => audit(tx, { actor: ctx.actor, via: 'cli', ip: null, userAgent: 'bulkhead applications confirm', ...e }).then(() => undefined));
    done.push({ application: ref.id, workloads: r.workloads, labelsChanged: r.labelsChanged, keptOwnLabel: r.keptOwnLabel ?? 0 });
  }
  if (json) ctx.io.out(JSON.stringify({ confirmed: done }, null, 2));
  else if (!done.length) ctx.io.out('No inferred application left to confirm in this window.');
  else
    for (const d of done)
      ctx.io.out(`confirmed ${d.application}: ${count(d.workloads, 'workload')}, ${count(d.labelsChanged, 'label')} changed${d.keptOwnLabel ? `; ${count(d.keptOwnLabel, 'member')} kept an app label of its own (inventory or a person's)` : ''}`);
  return 0;
}

export async function runApplications(ctx: CommandContext, opts: WindowOptions & { json?: boolean; inferred?: boolean }, args: string[]) {
  const [action = 'list', id, ...rest] = args;
  const confirming = action === 'confirm' && (opts.inferred ? !id : !!id);
  if (!confirming && (rest.length || (action === 'show' && !id) || (action === 'list' && id) || !['list', 'show'].includes(action) || opts.inferred)) throw new UserError(APPLICATIONS_USAGE);
  if (confirming) await ctx.authorize('inventory:write');
  const { rt, result } = await analysisOf(ctx, opts);
  const db = rt.db.prisma;
  if (confirming) return confirmApplications(ctx, db, result, opts.inferred ? null : [id!, ...rest], !!opts.json);
  if (action === 'show') {
    const d = await applicationDetail(db, result, id!);
    if (!d) throw notFound(`no application ${id} in this window (bulkhead applications list names them)`);
    if (opts.json) return void ctx.io.out(JSON.stringify(d, null, 2));
    const a = d.application;
    const lines = [
      `${a.id}: ${a.kind}, ${count(a.members, 'workload')}, ${a.source === 'label' ? 'labelled' : 'inferred'} (confidence ${pct(a.confidence)})${a.record?.confirmed ? ', confirmed' : ''}`,
      `  owners: ${a.owners.map((o) => o.email).join(', ') || 'none'}  rules: ${Object.entries(a.rules).map(([s, c]) => `${c} ${s}`).join(', ') || 'none'}`,
      ...a.evidence.map((e) => `  - ${e}`),
      '',
      'Members:',
      table([['WORKLOAD', 'ROLE', 'ADDRESSES', 'SERVES', 'DEPENDENCIES'], ...d.members.map((m) => [m.name, `${m.role} (${m.roleSource})`, m.addresses.join(' '), m.serves.join(' '), String(m.degree)])]).replace(/^/gm, '  '),
      '',
      ...neighbours('Depends on', d.dependsOn),
      '',
      ...neighbours('Used by', d.usedBy),
      '',
      `${count(d.internal, 'dependency')} between its own workloads.`,
    ];
    ctx.io.out(lines.join('\n'));
    return 0;
  }
  const list = await listApplications(db, result);
  if (opts.json) return void ctx.io.out(JSON.stringify(list, null, 2));
  if (!list.applications.length) {
    ctx.io.out('No applications in this window: import inventory and flows, or load the demo (bulkhead demo).');
    return 0;
  }
  ctx.io.out(
    table([
      ['APPLICATION', 'KIND', 'MEMBERS', 'ROLES', 'SOURCE', 'CONFIDENCE', 'DEPENDS ON', 'USED BY', 'OWNERS'],
      ...list.applications.map((a) => [
        a.id,
        a.kind,
        String(a.members),
        Object.entries(a.roles).map(([r, c]) => `${r}:${c}`).join(' '),
        a.source,
        pct(a.confidence),
        String(a.dependsOn),
        String(a.usedBy),
        a.owners.map((o) => o.email).join(',') || '-',
      ]),
    ]),
  );
  return 0;
}
