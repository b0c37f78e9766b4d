// `bulkhead ingest pcap FILE...`: the flow records in packet captures of NetFlow/IPFIX/sFlow
// export traffic, stored in ClickHouse like the UDP collectors store them (same decoder, same
// orientation). Files are read in order with one template state. Every file is recorded as an
// ImportRun with its checksum: a capture ingested before is read again only for its templates
// (so the data of a later file still decodes), unless --force.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CaptureDecoder, summaryLines } from '../../collectors/capture';
import { EXTRAS_POLICIES, type ExtrasPolicy } from '../../collectors/normalize';
import { CaptureError } from '../../collectors/pcap';
import type { FlowRecord } from '../../lib/flow/record';
import { invalidReason } from '../../lib/store/flow-rows';
import { UserError, type CommandContext } from '../context';
import { parsePorts } from './decode';

interface IngestOptions {
  port?: string;
  force?: boolean;
  extras?: string;
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function run(ctx: CommandContext, opts: IngestOptions, args: string[]) {
  const [kind, ...rest] = args;
  if (kind !== 'pcap') throw new UserError(`bulkhead ingest: unknown source "${kind ?? ''}"; use \`bulkhead ingest pcap FILE...\` (cloud flow logs and inventory: \`bulkhead import\`)`);
  if (rest.length === 0) throw new UserError('bulkhead ingest pcap: name at least one capture file (templates first: TEMPLATES.pcap DATA.pcap)');
  const files = rest.map((f) => resolve(ctx.cwd, f));
  for (const f of files) if (!existsSync(f)) throw new UserError(`${f}: no such file`);
  const ports = parsePorts(opts.port);
  const extras = (opts.extras ?? 'identity') as ExtrasPolicy;
  if (!EXTRAS_POLICIES.includes(extras)) throw new UserError(`--extras: "${opts.extras}" is not one of ${EXTRAS_POLICIES.join(', ')}`);
  const rt = await ctx.runtime();
  const db = rt.db.prisma;
  const { sink } = rt;
  const dec = new CaptureDecoder({}, extras);
  const total = files.reduce((a, f) => a + statSync(f).size, 0);
  const bar = ctx.io.progress('ingest pcap', Math.ceil(total / 1024), 'KiB');
  let before = 0;
  const refusedReasons: Record<string, number> = {};
  let refused = 0;
  let stored = 0;
  // Records older than the retention are stored but removed by the table's TTL at the next merge.
  const retentionDays = ctx.config.retention.flowsDays;
  const oldest = retentionDays > 0 ? Date.now() - retentionDays * 86_400_000 : 0;
  let expired = 0;
  const already: string[] = [];
  const runs: Array<{ id: string; path: string; records: number; refused: number }> = [];
  try {
    for (const file of files) {
      if (ctx.signal.aborted) break;
      const checksum = await sha256(file);
      const prior = await db.importRun.findFirst({ where: { kind: 'pcap', checksum, status: 'done' }, orderBy: { startedAt: 'desc' } });
      const emit = !prior || Boolean(opts.force);
      if (!emit) already.push(`${file} (ingested ${prior!.finishedAt?.toISOString() ?? prior!.startedAt.toISOString()}; read again for its templates only; --force stores it again)`);
      const run = emit ? await db.importRun.create({ data: { kind: 'pcap', path: file, checksum, status: 'running' } }) : null;
      let fileRefused = 0;
      const errors: Array<{ file: string; line: number; reason: string }> = [];
      try {
        const res = await dec.readFile(
          file,
          async (records: FlowRecord[]) => {
            const ok: FlowRecord[] = [];
            for (const r of records) {
              const why = invalidReason(r);
              if (why) {
                fileRefused++;
                const field = why.split(':')[0]!;
                refusedReasons[field] = (refusedReasons[field] ?? 0) + 1;
                if (errors.length < 20) errors.push({ file, line: 0, reason: why });
              } else {
                ok.push(r);
                if (r.start < oldest) expired++;
              }
            }
            stored += ok.length;
            if (ok.length && !sink.write(ok)) await sink.drain();
          },
          { ports, emit, signal: ctx.signal, onProgress: (bytes) => bar.update(Math.floor((before + bytes) / 1024)) },
        );
        refused += fileRefused;
        if (run) {
          runs.push({ id: run.id, path: file, records: res.records, refused: fileRefused });
          await db.importRun.update({ where: { id: run.id }, data: { records: res.records - fileRefused, rejected: fileRefused, errors: errors as never, summary: { packets: res.packets, datagrams: res.datagrams, otherDatagrams: res.otherDatagrams, problems: res.problems } as never } });
        }
      } catch (e) {
        if (run) await db.importRun.update({ where: { id: run.id }, data: { status: 'failed', finishedAt: new Date(), errors: [{ file, line: 0, reason: (e as Error).message }] as never } });
        if (e instanceof CaptureError) throw new UserError(e.message);
        throw e;
      }
      before += statSync(file).size;
    }
    // Stored means in ClickHouse: only then are the runs done.
    await sink.flush();
    for (const r of runs) await db.importRun.update({ where: { id: r.id }, data: { status: ctx.signal.aborted ? 'interrupted' : 'done', finishedAt: new Date() } });
  } finally {
    bar.stop();
  }
  const summary = dec.finish();
  for (const line of summaryLines(summary)) ctx.io.err(line);
  for (const a of already) ctx.io.err(`already ingested: ${a}`);
  if (refused) ctx.io.err(`${refused.toLocaleString('en-US')} records refused by validation (${Object.entries(refusedReasons).map(([k, v]) => `${k}: ${v}`).join(', ')})`);
  if (expired) ctx.io.err(`warning: ${expired.toLocaleString('en-US')} of these records are older than the flow retention (${retentionDays} days): ClickHouse removes them at its next merge. To keep old captures, set BULKHEAD_FLOW_RETENTION_DAYS=0 (or more days) before ingesting.`);
  ctx.io.err(`${stored.toLocaleString('en-US')} flow records stored.${stored ? ' Next: open the map in the web app, or `bulkhead serve` to keep collecting.' : ''}`);
  return 0;
}
