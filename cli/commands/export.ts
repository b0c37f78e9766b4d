// `bulkhead export --format F [--status approved|proposed|all] [--baseline NAME[@V]] [--at TIME] [-o FILE|DIR|FILE.tar.gz]`
// Policy files for the enforcement points (lib/export), from the current rules or a stored baseline;
// an output name ending in .tar.gz (or .tgz) gets the files as one archive, as the web app downloads them.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { baselineFormatOf, baselineJsonSchema, EXPORT_FORMATS, exportPolicy, FORMAT_DESCRIPTIONS, writesDirectory, type ExportFormat } from '../../lib/export';
import { exportArchive, isArchivePath } from '../../lib/export/archive';
import { checkNftables } from '../../lib/export/nft-check';
import { exportBlockWarning } from '../../lib/policy/readiness';
import { exportDocument } from '../../lib/policy/service';
import { UserError, type CommandContext } from '../context';
import { timeOption } from './policy-common';

export interface ExportOptions {
  format?: string;
  status?: string;
  baseline?: string;
  output?: string;
  namespace?: string;
  labelPrefix?: string;
  domain?: string;
  name?: string;
  check?: boolean;
  schema?: boolean;
  at?: string;
}

export async function run(ctx: CommandContext, opts: ExportOptions) {
  if (opts.schema) {
    ctx.io.out(JSON.stringify(baselineJsonSchema(), null, 2));
    return 0;
  }
  await ctx.authorize('policy:export');
  const format = opts.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format)) {
    throw new UserError(`--format: one of\n${EXPORT_FORMATS.map((f) => `  ${f.padEnd(14)} ${FORMAT_DESCRIPTIONS[f]}`).join('\n')}`);
  }
  const status = (opts.status ?? 'approved') as 'approved' | 'proposed' | 'all';
  if (!['approved', 'proposed', 'all'].includes(status)) throw new UserError('--status: approved, proposed or all');
  if (opts.output && ctx.actor.type === 'token') throw new UserError('-o writes on the server; leave it out and redirect standard output instead (nftables: one ruleset per host, separated)');
  const rt = await ctx.runtime();
  const doc = await exportDocument(rt, { status, baseline: opts.baseline, name: opts.name, at: timeOption(opts.at, '--at') });
  const out = opts.output ? resolve(ctx.cwd, opts.output) : null;
  const result = exportPolicy(doc, format, {
    namespace: opts.namespace,
    labelPrefix: opts.labelPrefix,
    domain: opts.domain,
    baselineFormat: format === 'baseline' && out && !isArchivePath(out) ? baselineFormatOf(out) : 'yaml',
  });
  // what the enforced applications would lose of their observed traffic (docs/policy.md, "Readiness")
  const blocking = await exportBlockWarning(rt, doc);
  if (blocking) result.warnings.push(blocking.message);
  for (const w of result.warnings) ctx.io.err(`warning: ${w}`);
  const source = opts.baseline ? `baseline ${doc.metadata.name} v${doc.metadata.version}` : `${status} rules`;
  if (!doc.rules.length) ctx.io.err(`note: no ${source} to export; the files hold only the default deny of enforced applications. ${status === 'approved' ? 'Approve rules first (bulkhead rules approve) or export --status proposed.' : 'Run bulkhead propose first.'}`);

  let written: string[] = [];
  if (!out) {
    ctx.io.out(result.files.length === 1 ? result.files[0]!.content : result.files.map((f) => `# ===== ${f.name} =====\n${f.content}`).join('\n'));
  } else if (isArchivePath(out)) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, await exportArchive(result.files));
    written = [out];
  } else if (writesDirectory(format)) {
    let isFile = false;
    try {
      isFile = statSync(out).isFile();
    } catch {
      /* does not exist yet */
    }
    if (isFile) throw new UserError(`-o ${opts.output}: ${format} writes one file per host into a directory; ${out} is a file`);
    mkdirSync(out, { recursive: true });
    for (const f of result.files) writeFileSync(join(out, f.name), f.content);
    written = result.files.map((f) => join(out, f.name));
  } else {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, result.files[0]!.content);
    written = [out];
  }
  await ctx.audit({
    action: 'policy.export',
    target: { type: 'export', id: format },
    summary: `exported ${result.exported} ${source} as ${format}${out ? ` to ${out}` : ' to standard output'}`,
    after: { format, status, baseline: opts.baseline ?? null, rules: doc.rules.map((r) => r.id), files: written.length ? written : ['stdout'], warnings: result.warnings.length },
  });
  if (out) ctx.io.err(`Wrote ${written.length === 1 ? written[0] : `${written.length} files to ${out}`}${isArchivePath(out) ? ` (${result.files.length === 1 ? 'one file' : `${result.files.length} files`} in the archive)` : ''}: ${result.exported} rules (${source}), ${result.warnings.length} warnings.`);

  if (opts.check) {
    if (format !== 'nftables') throw new UserError('--check runs nft -c on nftables exports; other formats are checked by their own tools (kubectl apply --dry-run=server, terraform validate)');
    const checks = checkNftables(result.files);
    const bad = checks.filter((c) => !c.ok);
    for (const c of bad) ctx.io.err(`nft -c ${c.file}: ${c.error}`);
    ctx.io.err(`nft -c: ${checks.length - bad.length} of ${checks.length} rulesets valid.`);
    return bad.length ? 1 : 0;
  }
  return 0;
}
