// Importing cloud flow-log files: every file once (ImportRun with its checksum), parsed by its
// cloud's parser, folded (./fold.ts), written through a FlowSink with back-pressure, with every
// bad line counted and named by file and line, and a summary at the end. The same importer
// serves `bulkhead import aws|gcp|azure PATH...`, `--watch DIR`, the API and the benchmark.
//
// An ImportRun is marked done only after the sink has stored the file's records, so a file is
// never recorded as imported when its records are not in the store. Ctrl-C stops after the
// current chunk, stores what was read, and records where it stopped: importing the same file
// again resumes there instead of storing the first part twice.
//
// Exactly once whatever kills the process: each file's records go to the store in chunks (what
// one chunk of the file's text folded into) under a deduplication token naming the file's
// checksum, where reading started and the chunk's number. A run killed with SIGKILL leaves its
// ImportRun "running" with a process that is gone (or, seen from another machine, a heartbeat
// that stopped); the next import of the file finds it stale,
// reads the file again from where that run started, and the store drops every chunk it already
// holds. A run whose heartbeat is fresh belongs to another process, and is left to it.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Db } from '../../lib/db';
import type { FlowRecord, Orientation } from '../../lib/flow/record';
import type { Store } from '../../lib/store';
import { FlowSink } from '../../lib/store/sink';
import { AzureConnections } from './azure';
import { expandPaths, isParquet, s3KeyTime, sha256File, type FoundFile } from './files';
import { Folder, type FolderOptions } from './fold';
import { parseFile } from './parse';
import type { CloudKind, Observation, ParseOutput, StatusRecord } from './types';
import { processAlive } from '../../lib/process';

export interface RejectedLine {
  file: string;
  line: number;
  reason: string;
  /** JSON path inside the value on that line, when the file is JSON */
  where?: string;
}

export interface CloudImportOptions {
  kind: CloudKind;
  /** AWS: the format of files without a header line (parseFormat) */
  fields?: readonly string[];
  /** time for AWS formats without start/end fields */
  at?: Date;
  /** import files again even when an earlier import stored them */
  force?: boolean;
  /** rejected lines kept for the summary (all are counted) */
  keepErrors?: number;
  fold?: FolderOptions;
  /** sink batch size (records per insert) */
  maxBatch?: number;
  /** the store's retention (days, 0 = forever): records older than it are counted, since ClickHouse drops them */
  retention?: { flowsDays: number; rollupDays: number };
  signal?: AbortSignal;
  /** a "running" import whose heartbeat is older than this died (default 2 minutes) */
  staleAfterMs?: number;
  /** compressed bytes read so far and the total of the files being imported */
  onProgress?: (p: { bytes: number; totalBytes: number; file: string; files: number }) => void;
}

export interface CloudImportSummary {
  kind: CloudKind;
  files: {
    imported: number;
    /** imported before (same checksum): not read again */
    alreadyImported: Array<{ path: string; at: string; records: number }>;
    /** not a flow log of this kind, or unreadable */
    skipped: Array<{ path: string; reason: string }>;
    /** continued where an interrupted import stopped */
    resumed: Array<{ path: string; from: number }>;
    /** read again after an import that died without a word (killed): chunks it stored were not stored twice */
    recovered: Array<{ path: string; startedAt: string }>;
    missing: Array<{ path: string; reason: string }>;
    /** left out of directory walks, by extension */
    ignored: Record<string, number>;
  };
  lines: number;
  /** flow records read (one per AWS/GCP line, one per Azure tuple) */
  flowRecords: number;
  /** AWS status records: NODATA (no traffic on the interface) and SKIPDATA (AWS could not capture some records) */
  status: { NODATA: number; SKIPDATA: number };
  /** where AWS says records are missing (first 20) */
  skipData: StatusRecord[];
  rejected: number;
  /** the first rejected lines with file, line and reason */
  rejects: RejectedLine[];
  /** rejected lines by reason (the text before the first colon) */
  rejectReasons: Record<string, number>;
  /** the same traffic logged by two observers (ENIs, reporters, NICs) or delivered twice */
  duplicates: number;
  /** reply directions joined to their requests (AWS, GCP) */
  merged: number;
  /** Azure connection-begin tuples joined to the connection's next report */
  azureBeginsFolded: number;
  /** records written to the store */
  stored: number;
  /** records the store refused (should be 0: the parsers check what the store checks) */
  storeRejected: number;
  /** records dated more than a day ahead of this clock: kept aside (flows_quarantine), not stored */
  quarantined: number;
  orientation: Partial<Record<Orientation, number>>;
  /** first and last time of the stored records */
  timeRange: { from: string; to: string } | null;
  /**
   * records older than the retention (BULKHEAD_FLOW_RETENTION_DAYS / _ROLLUP_): stored, but
   * ClickHouse drops them at its next merge (raw flows), and from the hourly rollups too
   */
  beyondRetention: { flows: number; rollups: number; flowsDays: number; rollupDays: number } | null;
  seconds: number;
  interrupted: boolean;
}

interface PendingRun {
  id: string;
  path: string;
  records: number;
  interrupted: boolean;
}

const reasonKey = (reason: string) => {
  const k = reason.split(':')[0]!;
  return k.length > 60 ? `${k.slice(0, 57)}...` : k;
};

/** How often a running import says it is alive (ImportRun.summary.heartbeat). */
const HEARTBEAT_MS = 10_000;

/**
 * Whether the process that wrote a run's heartbeat may still be running: on this machine the
 * kernel knows (a killed import is stale at once); on another, only the heartbeat's age tells.
 */
function writerAlive(s: { host?: string; pid?: number } | null): boolean {
  return !s?.pid || s.host !== hostname() || processAlive(s.pid);
}

export class CloudImporter {
  readonly summary: CloudImportSummary;
  /** the file being read: its run, its chunks' token prefix and the next chunk's number */
  private current: { runId: string; key: string; chunk: number; beat: number; skip: number } | null = null;
  private readonly sink: FlowSink;
  private readonly folder: Folder;
  private readonly azure = new AzureConnections();
  private batch: FlowRecord[] = [];
  private readonly pending: PendingRun[] = [];
  private readonly t0 = performance.now();
  private bytesDone = 0;
  private totalBytes = 0;
  private minTime = Number.POSITIVE_INFINITY;
  private maxTime = Number.NEGATIVE_INFINITY;
  private readonly keepErrors: number;
  private readonly cutoffs: { flows: number; rollups: number } | null;
  private old = { flows: 0, rollups: 0 };

  constructor(
    private readonly db: Db,
    store: Store,
    private readonly opts: CloudImportOptions,
  ) {
    // The import's own sink over the shared store: its flush waits for this import's records
    // only (not for UDP traffic in a serving process), and its counters are the import's. Its
    // admission window has no limit back: a person chose these files, and records older than the
    // retention are reported below (beyondRetention) rather than set aside.
    this.sink = new FlowSink(store, { maxBatch: opts.maxBatch ?? 50_000 });
    const ret = opts.retention;
    const now = Date.now();
    this.cutoffs = ret && (ret.flowsDays || ret.rollupDays) ? { flows: ret.flowsDays ? now - ret.flowsDays * 86_400_000 : 0, rollups: ret.rollupDays ? now - ret.rollupDays * 86_400_000 : 0 } : null;
    this.folder = new Folder((r) => {
      this.batch.push(r);
      if (r.start < this.minTime) this.minTime = r.start;
      if (r.end > this.maxTime) this.maxTime = r.end;
      if (this.cutoffs) {
        if (r.start < this.cutoffs.flows) this.old.flows++;
        if (r.start < this.cutoffs.rollups) this.old.rollups++;
      }
    }, opts.fold);
    this.keepErrors = opts.keepErrors ?? 100;
    this.summary = {
      kind: opts.kind,
      files: { imported: 0, alreadyImported: [], skipped: [], resumed: [], recovered: [], missing: [], ignored: {} },
      lines: 0,
      flowRecords: 0,
      status: { NODATA: 0, SKIPDATA: 0 },
      skipData: [],
      rejected: 0,
      rejects: [],
      rejectReasons: {},
      duplicates: 0,
      merged: 0,
      azureBeginsFolded: 0,
      stored: 0,
      storeRejected: 0,
      quarantined: 0,
      orientation: {},
      timeRange: null,
      beyondRetention: null,
      seconds: 0,
      interrupted: false,
    };
  }

  /** What a running import's ImportRun says of who runs it. */
  private alive() {
    return { heartbeat: new Date().toISOString(), host: hostname(), pid: process.pid };
  }

  private get stopped() {
    return Boolean(this.opts.signal?.aborted);
  }

  /** Import files and directories (relative to cwd). */
  async importPaths(paths: readonly string[], cwd: string): Promise<void> {
    const found = await expandPaths(paths, cwd);
    this.summary.files.missing.push(...found.missing);
    for (const [ext, n] of Object.entries(found.ignored)) this.summary.files.ignored[ext] = (this.summary.files.ignored[ext] ?? 0) + n;
    this.totalBytes += found.files.reduce((a, f) => a + f.size, 0);
    for (const f of found.files) {
      if (this.stopped) break;
      await this.importFile(f);
    }
  }

  /** Import one file (already found); counted into the summary. */
  async importFile(f: FoundFile): Promise<'imported' | 'already' | 'skipped'> {
    const kind = this.opts.kind;
    const path = resolve(f.path);
    if (!this.totalBytes) this.totalBytes = f.size;
    if (await isParquet(path)) {
      this.summary.files.skipped.push({ path, reason: 'Parquet delivery is not read: choose plain-text delivery for the flow log, or convert the files to text' });
      this.bytesDone += f.size;
      return 'skipped';
    }
    const checksum = await sha256File(path);
    // A file skipped before (not a flow log of this kind) is looked at again: cheap, and the
    // answer may differ with other options (--fields).
    const prior = await this.db.importRun.findFirst({ where: { checksum, kind, status: { not: 'skipped' } }, orderBy: { startedAt: 'desc' } });
    let skip = 0;
    if (prior && !this.opts.force) {
      if (prior.status === 'done') {
        this.summary.files.alreadyImported.push({ path, at: prior.finishedAt?.toISOString() ?? prior.startedAt.toISOString(), records: prior.records });
        this.bytesDone += f.size;
        return 'already';
      }
      const summary = prior.summary as { position?: number; heartbeat?: string; resumedFrom?: number; host?: string; pid?: number } | null;
      const heartbeat = Date.parse(summary?.heartbeat ?? '') || prior.startedAt.getTime();
      if (prior.status === 'interrupted' && typeof summary?.position === 'number') {
        skip = summary.position;
        this.summary.files.resumed.push({ path, from: skip });
      } else if (prior.status === 'running' && writerAlive(summary) && Date.now() - heartbeat < (this.opts.staleAfterMs ?? 120_000)) {
        this.summary.files.skipped.push({ path, reason: `being imported now by another process (started ${prior.startedAt.toISOString()}, last heard ${new Date(heartbeat).toISOString()}); it is recorded when that import finishes` });
        this.bytesDone += f.size;
        return 'skipped';
      } else {
        // died without a word (killed, or failed): read it again from where that run started;
        // the chunks it stored carry the same tokens and are not stored twice
        skip = summary?.resumedFrom ?? 0;
        await this.db.importRun.update({ where: { id: prior.id }, data: { status: 'interrupted', finishedAt: new Date(), summary: { ...(summary ?? {}), recoveredBy: 'a later import of the same file' } as never } });
        this.summary.files.recovered.push({ path, startedAt: prior.startedAt.toISOString() });
      }
    }

    const run = await this.db.importRun.create({ data: { kind, path, checksum, status: 'running', summary: { ...this.alive(), resumedFrom: skip || undefined } as never } });
    // --force stores the file again (its data was removed, say): chunks of a token of their own
    this.current = { runId: run.id, key: `${kind}:${checksum}:${skip}${this.opts.force ? `:${run.id}` : ''}`, chunk: 0, beat: Date.now(), skip };
    const errors: RejectedLine[] = [];
    const counts = { records: 0, rejected: 0, duplicates: 0, NODATA: 0, SKIPDATA: 0 };
    const s = this.summary;
    const out: ParseOutput = {
      observation: (o: Observation) => {
        counts.records++;
        const r = this.folder.add(o);
        if (r === 'duplicate') counts.duplicates++;
      },
      status: (st) => {
        counts[st.status]++;
        s.status[st.status]++;
        if (st.status === 'SKIPDATA' && s.skipData.length < 20) s.skipData.push(st);
      },
      reject: (line, reason, where) => {
        counts.rejected++;
        s.rejected++;
        const k = reasonKey(reason);
        s.rejectReasons[k] = (s.rejectReasons[k] ?? 0) + 1;
        const e: RejectedLine = { file: path, line, reason, ...(where ? { where } : {}) };
        if (s.rejects.length < this.keepErrors) s.rejects.push(e);
        if (errors.length < 20) errors.push(e);
      },
    };
    const fileBytesStart = this.bytesDone;
    let result;
    try {
      result = await parseFile(kind, { path, keyTime: s3KeyTime(path), at: this.opts.at?.getTime() }, out, {
        fields: this.opts.fields,
        azure: this.azure,
        skip,
        onBytes: (n) => {
          this.bytesDone += n;
        },
        between: () => this.pump(path),
        shouldStop: () => this.stopped,
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'Z_BUF_ERROR' || err.code === 'Z_DATA_ERROR' || /unexpected end of file|incorrect header check/i.test(err.message)) {
        // a truncated or corrupt .gz: keep what was read, say where it broke
        out.reject(0, `unreadable gzip data (${err.message}): the records before this point were read`);
        result = { lines: 0, position: 0, held: 0, skipped: null, interrupted: false };
      } else {
        await this.db.importRun.update({ where: { id: run.id }, data: { status: 'failed', finishedAt: new Date(), errors: [...errors, { file: path, line: 0, reason: err.message }] as never } });
        throw e;
      }
    }
    this.bytesDone = fileBytesStart + f.size;
    await this.pump(path);
    counts.records += result.held;
    if (result.skipped) {
      await this.db.importRun.update({ where: { id: run.id }, data: { status: 'skipped', finishedAt: new Date(), errors: [{ file: path, line: 0, reason: result.skipped }] as never } });
      s.files.skipped.push({ path, reason: result.skipped });
      return 'skipped';
    }
    s.files.imported++;
    s.lines += result.lines;
    s.flowRecords += counts.records;
    await this.db.importRun.update({
      where: { id: run.id },
      data: {
        records: counts.records,
        rejected: counts.rejected,
        duplicates: counts.duplicates,
        errors: errors as never,
        summary: { ...this.alive(), lines: result.lines, position: result.position, resumedFrom: skip || undefined, status: { NODATA: counts.NODATA, SKIPDATA: counts.SKIPDATA } } as never,
      },
    });
    this.pending.push({ id: run.id, path, records: counts.records, interrupted: result.interrupted });
    if (result.interrupted) s.interrupted = true;
    return 'imported';
  }

  /** Hand folded records to the sink as the next chunk of the current file; wait when it is full. */
  private async pump(file: string): Promise<void> {
    const c = this.current;
    // numbered whether or not it holds records: the same file read again numbers them alike
    const token = c ? `${c.key}:${c.chunk++}` : null;
    if (this.batch.length) {
      const b = this.batch;
      this.batch = [];
      const room = token ? this.sink.writeChunk(b, token) : this.sink.write(b);
      if (!room) await this.sink.drain();
    }
    if (c && Date.now() - c.beat > HEARTBEAT_MS) {
      c.beat = Date.now();
      await this.db.importRun.update({ where: { id: c.runId }, data: { summary: { ...this.alive(), resumedFrom: c.skip || undefined } as never } });
    }
    this.opts.onProgress?.({ bytes: this.bytesDone, totalBytes: this.totalBytes, file, files: this.summary.files.imported });
  }

  /**
   * Store everything read so far and mark its files done (or interrupted, with where to resume).
   * --watch calls it when no new file arrived for a while; finish() calls it at the end.
   */
  async settle(final = false): Promise<void> {
    // Azure connection starts wait for their end, which may be in the next hour's blob: between
    // --watch rounds only those an hour behind the newest tuple go out as they are.
    if (final) this.azure.flush((o) => this.folder.add(o));
    else this.azure.flushOlderThan(3600_000, (o) => this.folder.add(o));
    this.folder.flush();
    await this.pump('');
    await this.sink.flush();
    const done = this.pending.splice(0);
    for (const r of done) {
      await this.db.importRun.update({ where: { id: r.id }, data: { status: r.interrupted ? 'interrupted' : 'done', finishedAt: new Date() } });
    }
    this.refreshCounters();
  }

  private refreshCounters() {
    const s = this.summary;
    const st = this.sink.stats();
    s.stored = st.inserted;
    s.storeRejected = st.rejected;
    s.quarantined = st.quarantined;
    s.duplicates = this.folder.stats.duplicates;
    s.merged = this.folder.stats.merged;
    s.azureBeginsFolded = this.azure.beginsFolded;
    s.orientation = { ...this.folder.stats.orientation };
    s.timeRange = Number.isFinite(this.minTime) ? { from: new Date(this.minTime).toISOString(), to: new Date(this.maxTime).toISOString() } : null;
    s.seconds = Math.round((performance.now() - this.t0) / 10) / 100;
    const ret = this.opts.retention;
    s.beyondRetention = ret && (this.old.flows || this.old.rollups) ? { ...this.old, flowsDays: ret.flowsDays, rollupDays: ret.rollupDays } : null;
  }

  async finish(): Promise<CloudImportSummary> {
    await this.settle(true);
    await this.sink.close();
    this.refreshCounters();
    return this.summary;
  }
}
