// `bulkhead import aws|gcp|azure PATH... [--fields F] [--at T] [--watch DIR] [--force]`
// `bulkhead import inventory FILE... [--format F] [--source S] [--at T] [--prune] [--dry-run]`
// `bulkhead import inventory --from-flows [--since 7d]`
// Thin: the importers live in collectors/cloud and collectors/inventory, the rules in lib/.
import { relative, resolve } from 'node:path';
import { parseFormat } from '../../collectors/cloud/aws';
import { CloudImporter, type CloudImportSummary } from '../../collectors/cloud/importer';
import { CLOUD_KINDS, type CloudKind } from '../../collectors/cloud/types';
import { watchDirectory } from '../../collectors/cloud/watch';
import { createHash } from 'node:crypto';
import { fromFlows, INVENTORY_FORMATS, parseInventory, readInventoryFile, type InventoryFormat } from '../../collectors/inventory';
import { sha256File } from '../../collectors/cloud/files';
import { applyInventory, importInventory, type ApplyResult } from '../../lib/inventory';
import { UserError, type CommandContext } from '../context';
import type { Progress } from '../io';

export interface ImportOptions {
  fields?: string;
  at?: string;
  watch?: string;
  interval?: string;
  force?: boolean;
  json?: boolean;
  errors?: string;
  format?: string;
  source?: string;
  prune?: boolean;
  dryRun?: boolean;
  fromFlows?: boolean;
  since?: string;
  stdin?: boolean;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function parseAt(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text);
  if (!Number.isFinite(d.getTime())) throw new UserError(`--at: "${text}" is not a time (ISO-8601, e.g. 2026-03-01T12:00:00Z)`);
  return d;
}

/** "7d", "12h", "30m" or an ISO time, back from now. */
export function parseSince(text: string | undefined, fallbackDays = 7): Date {
  if (!text) return new Date(Date.now() - fallbackDays * 86_400_000);
  const m = /^(\d+)\s*([dhm])$/.exec(text.trim());
  if (m) return new Date(Date.now() - Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm']);
  const d = parseAt(text)!;
  return d;
}

export async function run(ctx: CommandContext, opts: ImportOptions, args: string[]) {
  const [what, ...paths] = args;
  // policy baselines have their own permissions (docs/policy.md)
  if (what === 'baseline') return (await import('./import-baseline')).importBaseline(ctx, opts, paths);
  await ctx.authorize('inventory:write');
  if (what === 'inventory') return importInventoryCommand(ctx, opts, paths);
  if (!CLOUD_KINDS.includes(what as CloudKind)) {
    throw new UserError(`bulkhead import: "${what ?? ''}" is not something to import; use aws, gcp, azure (flow logs), inventory or baseline (bulkhead help import)`);
  }
  return importFlowLogs(ctx, what as CloudKind, opts, paths);
}

async function importFlowLogs(ctx: CommandContext, kind: CloudKind, opts: ImportOptions, paths: string[]) {
  if (paths.length === 0 && !opts.watch) throw new UserError(`bulkhead import ${kind}: name files or directories to import, or --watch DIR`);
  let fields: string[] | undefined;
  if (opts.fields !== undefined) {
    if (kind !== 'aws') throw new UserError('--fields is for AWS flow logs (GCP and Azure records name their fields)');
    try {
      fields = parseFormat(opts.fields);
    } catch (e) {
      throw new UserError(`--fields: ${(e as Error).message}`);
    }
  }
  const at = parseAt(opts.at);
  const keep = opts.errors !== undefined ? Number(opts.errors) : 20;
  if (!Number.isInteger(keep) || keep < 0) throw new UserError('--errors: a number of rejected lines to list');
  const rt = await ctx.runtime();
  let bar: Progress | null = null;
  let lastTotal = 0;
  const importer = new CloudImporter(rt.db.prisma, rt.store, {
    kind,
    fields,
    at,
    force: opts.force,
    keepErrors: Math.max(keep, 100),
    retention: ctx.config.retention,
    signal: ctx.signal,
    onProgress: ({ bytes, totalBytes }) => {
      if (opts.watch && !paths.length) return;
      const kib = (n: number) => Math.ceil(n / 1024);
      if (!bar) bar = ctx.io.progress(`import ${kind}`, kib(totalBytes), 'KiB');
      if (totalBytes !== lastTotal) lastTotal = totalBytes;
      bar.update(Math.min(kib(bytes), kib(totalBytes)), kib(totalBytes));
    },
  });
  try {
    if (paths.length) await importer.importPaths(paths, ctx.cwd);
    if (opts.watch && !ctx.signal.aborted) {
      await importer.settle();
      (bar as Progress | null)?.stop();
      bar = null;
      const dir = resolve(ctx.cwd, opts.watch);
      const interval = opts.interval !== undefined ? Number(opts.interval) : 5;
      if (!(interval > 0)) throw new UserError('--interval: seconds between looks at the directory (> 0)');
      ctx.io.err(`watching ${dir} for new ${kind} flow-log files every ${interval} s (Ctrl-C stops and prints the summary)`);
      await watchDirectory(dir, ctx.cwd, importer, {
        intervalMs: interval * 1000,
        signal: ctx.signal,
        onSettled: ({ files }) => {
          const s = importer.summary;
          ctx.io.err(`${new Date().toISOString()}  +${files.length} file${files.length === 1 ? '' : 's'}: ${fmt(s.stored)} records stored so far, ${fmt(s.rejected)} rejected lines`);
        },
        onChanged: (p) => ctx.io.err(`${p} changed after it was imported: not read again (flow-log deliveries do not change; import it under a new name if it should count)`),
      });
    }
  } finally {
    const s = await importer.finish();
    (bar as Progress | null)?.stop();
    if (opts.json) ctx.io.out(JSON.stringify({ ...s, rejects: s.rejects.slice(0, keep) }, null, 2));
    else ctx.io.out(formatSummary(s, keep, ctx.cwd));
    await ctx.audit({
      action: 'inventory.import',
      target: { type: 'flows', id: kind },
      summary: `imported ${kind} flow logs: ${s.files.imported} files, ${s.stored} records stored, ${s.rejected} lines rejected${s.interrupted ? ' (interrupted)' : ''}`,
      after: { files: s.files.imported, lines: s.lines, stored: s.stored, rejected: s.rejected, duplicates: s.duplicates, already: s.files.alreadyImported.length },
    });
  }
  const s = importer.summary;
  return s.files.missing.length ? 1 : 0;
}

const pct = (n: number, total: number) => (total ? `${Math.round((n / total) * 100)}%` : '0%');
const shortPath = (p: string, cwd: string) => {
  const r = relative(cwd, p);
  return r && !r.startsWith('..') ? r : p;
};

export function formatSummary(s: CloudImportSummary, keep: number, cwd: string): string {
  const L: string[] = [];
  const files = s.files;
  const rate = s.seconds > 0 ? ` (${fmt(Math.round(s.lines / s.seconds))} lines/s)` : '';
  L.push(`${s.kind}: ${fmt(files.imported)} file${files.imported === 1 ? '' : 's'}, ${fmt(s.lines)} lines in ${s.seconds} s${rate}${s.interrupted ? ' (interrupted: importing again resumes)' : ''}`);
  L.push(`  flow records read   ${fmt(s.flowRecords)}`);
  const folded = [
    s.duplicates && `${fmt(s.duplicates)} duplicates folded (the same traffic logged at two interfaces or reporters, or delivered twice)`,
    s.merged && `${fmt(s.merged)} replies joined to their requests`,
    s.azureBeginsFolded && `${fmt(s.azureBeginsFolded)} connection starts joined to their reports`,
  ].filter(Boolean);
  L.push(`  stored              ${fmt(s.stored)} records${folded.length ? `: ${folded.join('; ')}` : ''}`);
  if (s.storeRejected) L.push(`  refused by store    ${fmt(s.storeRejected)}`);
  if (s.quarantined) L.push(`  quarantined         ${fmt(s.quarantined)} (dated more than a day ahead of this clock; kept aside in flows_quarantine, not stored)`);
  if (s.status.NODATA || s.status.SKIPDATA) {
    L.push(`  status records      ${fmt(s.status.NODATA)} NODATA (no traffic on the interface), ${fmt(s.status.SKIPDATA)} SKIPDATA (AWS could not capture some records)`);
    const seen = new Set<string>();
    for (const k of s.skipData) {
      const line = `${k.interfaceId || '(interface not in the format)'} ${new Date(k.start).toISOString()} .. ${new Date(k.end).toISOString()}`;
      if (seen.has(line) || seen.size >= 5) continue;
      seen.add(line);
      L.push(`    records missing: ${line}`);
    }
  }
  L.push(`  rejected lines      ${fmt(s.rejected)}`);
  for (const r of s.rejects.slice(0, keep)) L.push(`    ${shortPath(r.file, cwd)}:${r.line}${r.where ? ` ${r.where}` : ''}  ${r.reason}`);
  if (s.rejected > Math.min(keep, s.rejects.length)) {
    L.push(`    ... ${fmt(s.rejected - Math.min(keep, s.rejects.length))} more (--errors N lists more); by reason:`);
    for (const [k, n] of Object.entries(s.rejectReasons).sort((a, b) => b[1] - a[1]).slice(0, 8)) L.push(`      ${fmt(n).padStart(9)}  ${k}`);
  }
  if (files.skipped.length) {
    L.push(`  skipped files       ${fmt(files.skipped.length)}`);
    for (const f of files.skipped.slice(0, keep)) L.push(`    ${shortPath(f.path, cwd)}  ${f.reason}`);
  }
  if (files.alreadyImported.length) {
    L.push(`  already imported    ${fmt(files.alreadyImported.length)} file${files.alreadyImported.length === 1 ? '' : 's'} (same content imported before, not stored again; --force imports again)`);
    for (const f of files.alreadyImported.slice(0, 5)) L.push(`    ${shortPath(f.path, cwd)}  on ${f.at}, ${fmt(f.records)} records`);
  }
  for (const f of files.recovered) L.push(`  read again          ${shortPath(f.path, cwd)} (an import started ${f.startedAt} died; what it stored is not stored twice)`);
  for (const f of files.resumed) L.push(`  resumed             ${shortPath(f.path, cwd)} after ${fmt(f.from)} (an earlier import stopped there)`);
  for (const f of files.missing) L.push(`  not found           ${f.path}: ${f.reason}`);
  const ignored = Object.entries(files.ignored);
  if (ignored.length) L.push(`  ignored             ${ignored.map(([e, n]) => `${n} ${e || '(no extension)'}`).join(', ')} in the directories (not flow-log files)`);
  const o = s.orientation;
  const total = Object.values(o).reduce((a, b) => a + (b ?? 0), 0);
  if (total) {
    L.push(
      `  client/server by    ${Object.entries(o)
        .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
        .map(([k, n]) => `${k} ${pct(n ?? 0, total)}`)
        .join(', ')}`,
    );
  }
  if (s.timeRange) L.push(`  time range          ${s.timeRange.from} .. ${s.timeRange.to}`);
  const old = s.beyondRetention;
  if (old) {
    const parts = [
      old.flows && `${fmt(old.flows)} records are older than the raw-flow retention (${old.flowsDays} days): ClickHouse drops them at its next merge`,
      old.rollups && `${fmt(old.rollups)} are older than the rollup retention (${old.rollupDays} days) and leave the map too`,
    ].filter(Boolean);
    L.push(`  NOTE                ${parts.join('; ')}. To keep old logs: BULKHEAD_FLOW_RETENTION_DAYS / BULKHEAD_ROLLUP_RETENTION_DAYS (0 = forever).`);
  }
  L.push('');
  if (s.stored > 0) L.push('Next: `bulkhead import inventory FILE` names the workloads behind these addresses; `bulkhead networks add NAME CIDR --kind partner` names ranges that are not workloads.');
  else if (s.rejected > 0) L.push('Nothing stored: see the rejected lines above (a custom AWS format without its header line needs --fields).');
  else L.push('Nothing new stored.');
  return L.join('\n');
}

async function importInventoryCommand(ctx: CommandContext, opts: ImportOptions, paths: string[]) {
  const at = parseAt(opts.at) ?? new Date();
  if (opts.format !== undefined && !INVENTORY_FORMATS.includes(opts.format as InventoryFormat)) {
    throw new UserError(`--format: "${opts.format}" is not one of ${INVENTORY_FORMATS.join(', ')}`);
  }
  const rt = await ctx.runtime();
  const db = rt.db.prisma;
  if (opts.fromFlows) {
    const since = parseSince(opts.since);
    const res = await fromFlows(rt.store, db, { since });
    const r = await applyInventory(db, opts.dryRun ? null : rt.store, res.observations, { source: opts.source ?? 'flows', at, additive: true, dryRun: opts.dryRun });
    ctx.io.out(formatInventory(`VM identity in flows since ${since.toISOString()}`, 'flows', res.observations.length, r, res, opts));
    if (!opts.dryRun) {
      await ctx.audit({ action: 'inventory.import', target: { type: 'inventory', id: 'flows' }, summary: `VM identity from flows: ${r.workloads.created} new workloads, ${r.bindings.opened} addresses bound`, after: { workloads: r.workloads, bindings: r.bindings } });
    }
    return 0;
  }
  if (paths.length === 0 && !opts.stdin) throw new UserError('bulkhead import inventory: name an inventory file (JSON, CSV, govc/PowerCLI, kubectl, aws ec2 JSON), or --stdin, or --from-flows');
  let code = 0;
  const inputs: Array<string | null> = opts.stdin ? [null] : paths;
  for (const p of inputs) {
    const file = p === null ? '(standard input)' : resolve(ctx.cwd, p);
    let inv;
    let checksum: string;
    try {
      if (p === null) {
        const text = await ctx.stdin();
        inv = parseInventory(text, opts.format as InventoryFormat | undefined);
        checksum = createHash('sha256').update(text).digest('hex');
      } else {
        inv = await readInventoryFile(file, opts.format as InventoryFormat | undefined);
        checksum = await sha256File(file);
      }
    } catch (e) {
      ctx.io.err(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      code = 1;
      continue;
    }
    const source = opts.source ?? inv.format;
    const { result } = inv;
    const r = await importInventory(
      db,
      rt.store,
      {
        kind: `inventory-${inv.format}`,
        path: file,
        checksum,
        file,
        format: inv.format,
        parsed: result,
        source,
        at,
        prune: opts.prune,
        dryRun: opts.dryRun,
        describe: `imported ${inv.format} inventory ${p === null ? 'from standard input' : file}`,
      },
      ctx.audit,
    );
    ctx.io.out(formatInventory(p === null ? file : shortPath(file, ctx.cwd), inv.format, result.observations.length, r, result, opts));
  }
  return code;
}

function formatInventory(what: string, format: string, observed: number, r: ApplyResult, res: { errors: Array<{ where: string; reason: string }>; skipped: Array<{ what: string; reason: string }> }, opts: ImportOptions): string {
  const L: string[] = [];
  L.push(`${what} (${format}${opts.dryRun ? ', dry run: nothing written' : ''}): ${fmt(observed)} workloads listed`);
  const w = r.workloads;
  L.push(`  workloads     ${fmt(w.created)} new, ${fmt(w.updated)} updated${w.renamed ? ` (${fmt(w.renamed)} renamed)` : ''}, ${fmt(w.unchanged)} unchanged`);
  const b = r.bindings;
  L.push(`  addresses     ${fmt(b.opened)} bound, ${fmt(b.moved)} moved from another workload, ${fmt(b.closed)} released, ${fmt(b.extended)} extended, ${fmt(b.trimmed)} trimmed by explicit intervals`);
  L.push(`  labels        ${fmt(r.labels.set)} set, ${fmt(r.labels.unchanged)} unchanged${r.labels.keptUser ? `, ${fmt(r.labels.keptUser)} set by people kept` : ''}`);
  const bad = res.errors.length + r.refused.length;
  if (bad) {
    L.push(`  refused       ${fmt(bad)}`);
    for (const e of res.errors.slice(0, 20)) L.push(`    ${e.where}  ${e.reason}`);
    for (const e of r.refused.slice(0, 20)) L.push(`    ${e.name}  ${e.reason}`);
  }
  if (res.skipped.length) {
    L.push(`  left out      ${fmt(res.skipped.length)}`);
    for (const s of res.skipped.slice(0, 10)) L.push(`    ${s.what}  ${s.reason}`);
  }
  if (r.conflicts.length) {
    L.push(`  conflicts     ${fmt(r.conflicts.length)}${r.conflicts.length >= 200 ? ' (the first 200)' : ''}`);
    for (const c of r.conflicts.slice(0, 20)) L.push(`    ${c.workload}${c.ip ? ` ${c.ip}` : ''}  ${c.message}`);
  }
  const moves = r.notes.filter((n) => n.message.startsWith('moved'));
  if (moves.length) {
    L.push('  moves');
    for (const n of moves.slice(0, 10)) L.push(`    ${n.ip} -> ${n.workload}: ${n.message}`);
  }
  if (r.synced !== null) L.push(`  identity      ${fmt(r.synced)} address bindings in ClickHouse for (address, time) -> workload`);
  L.push('', 'Next: `bulkhead networks lookup ADDRESS --at TIME` shows who held an address; the dependency map now names these workloads.');
  return L.join('\n');
}
