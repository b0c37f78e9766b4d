// The one entry point through which every collector and importer writes flows.
//
// Records are validated one by one (a bad record is refused and counted, never fails the batch
// around it), gathered into batches bounded in size and age, and inserted with at most
// `concurrency` inserts in flight, so encoding the next batch overlaps the engine's work on the
// previous one. When more than `highWaterMark` records wait, write() returns false: file
// importers await drain(); UDP collectors, which cannot slow the network down, drop and count.
//
// Times are checked at the door (./admission.ts): records outside the window are quarantined
// (counted per exporter, kept aside in flows_quarantine, never in the flow tables), and a batch is
// cut so that no insert spans more than MAX_DAYS_PER_INSERT days. A batch the engine refuses for
// its content is split to find the bad records, which are refused and counted; it never holds up
// the batches behind it.
import type { FlowRecord } from '../flow/record';
import { MAX_DAYS_PER_INSERT, splitByDays, timeRefusal, type TimeWindow } from './admission';
import { invalidReason } from './flow-rows';

/** A record kept aside, and why. */
export interface QuarantinedRecord {
  record: FlowRecord;
  reason: string;
}

export interface FlowWriter {
  /** `token`: the same token twice stores the records once (chunks of an import; see writeChunk) */
  insertFlows(records: readonly FlowRecord[], token?: string): Promise<void>;
  /** where quarantined records are kept; without it they are only counted */
  insertQuarantine?(items: readonly QuarantinedRecord[]): Promise<void>;
}

export interface SinkOptions {
  /** records per insert (default 50,000) */
  maxBatch?: number;
  /** oldest record waits at most this long before its batch goes (default 1,000 ms) */
  maxDelayMs?: number;
  /** inserts in flight at once (default 2) */
  concurrency?: number;
  /** waiting records above which write() returns false (default 500,000) */
  highWaterMark?: number;
  /**
   * waiting records above which writeOrDrop() drops (default: the high-water mark, at most
   * 200,000). Lower than for files because a UDP collector's memory must stay bounded while the
   * store is behind; file importers just wait.
   */
  dropAbove?: number;
  /** first retry delay after a failed insert; doubles up to 10 s (default 200 ms) */
  retryDelayMs?: number;
  /** the admission window (default: a day ahead, no limit back); null: no time check */
  timeWindow?: TimeWindow | null;
  /** the clock the window is measured from (default Date.now) */
  now?: () => number;
  /** quarantined records kept per second at most; the rest is counted only (default 1,000) */
  quarantineKeepPerSecond?: number;
  /** called for every refused record, with the reason naming the field */
  onReject?: (record: FlowRecord, reason: string) => void;
  /** called when an insert fails (it is retried or bisected) */
  onError?: (error: Error, batchSize: number) => void;
}

export interface SinkStats {
  /** records that passed validation */
  accepted: number;
  /** records refused by validation or by the store, by field */
  rejected: number;
  rejectReasons: Record<string, number>;
  /** records refused because the sink was over its high-water mark (writeOrDrop) */
  dropped: number;
  /** records whose times are outside the admission window, in total and per exporter */
  quarantined: number;
  quarantinedByExporter: Record<string, number>;
  /** quarantined records counted but not kept (over quarantineKeepPerSecond, or the keeping failed) */
  quarantineNotKept: number;
  inserted: number;
  batches: number;
  failedInserts: number;
  retries: number;
  /** records waiting or in flight */
  pending: number;
  lastInsertMs: number | null;
  lastError: string | null;
}

/** A ClickHouse exception (bad data) as opposed to a connection problem worth retrying as is. */
function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^\d+$/.test(code);
}

const DEFAULT_WINDOW: TimeWindow = { aheadMs: 86_400_000, behindMs: null };

/** An insert: records, and for a chunk of an import its deduplication token. */
interface Batch {
  records: FlowRecord[];
  token?: string;
}

export class FlowSink {
  private readonly opts: Required<Omit<SinkOptions, 'onReject' | 'onError' | 'timeWindow'>> & Pick<SinkOptions, 'onReject' | 'onError'> & { timeWindow: TimeWindow | null };
  private quarantine: QuarantinedRecord[] = [];
  /** writeChunk is gathering a chunk: no cut by size in the middle of it */
  private chunking = false;
  /** quarantine inserts in flight (flush waits for them too) */
  private readonly aside = new Set<Promise<void>>();
  private quarantineSecond = 0;
  private quarantineThisSecond = 0;
  private current: FlowRecord[] = [];
  private readonly queue: Batch[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private readonly s: SinkStats = {
    accepted: 0, rejected: 0, rejectReasons: {}, dropped: 0, quarantined: 0, quarantinedByExporter: {}, quarantineNotKept: 0, inserted: 0, batches: 0,
    failedInserts: 0, retries: 0, pending: 0, lastInsertMs: null, lastError: null,
  };

  constructor(
    private readonly writer: FlowWriter,
    options: SinkOptions = {},
  ) {
    this.opts = {
      maxBatch: options.maxBatch ?? 50_000,
      maxDelayMs: options.maxDelayMs ?? 1_000,
      concurrency: options.concurrency ?? 2,
      highWaterMark: options.highWaterMark ?? 500_000,
      dropAbove: options.dropAbove ?? Math.min(options.highWaterMark ?? 500_000, 200_000),
      retryDelayMs: options.retryDelayMs ?? 200,
      timeWindow: options.timeWindow === undefined ? DEFAULT_WINDOW : options.timeWindow,
      now: options.now ?? Date.now,
      quarantineKeepPerSecond: options.quarantineKeepPerSecond ?? 1_000,
      onReject: options.onReject,
      onError: options.onError,
    };
  }

  /**
   * A chunk of an import, stored as its own insert(s) under a deduplication token: the same
   * chunk (same token) written again after a crash is stored once. The token must name the
   * chunk's content (a file's checksum and the chunk's place in it); a chunk spanning many days
   * is cut by days and its parts numbered. Returns false like write().
   */
  writeChunk(records: readonly FlowRecord[], token: string): boolean {
    this.cut();
    this.chunking = true;
    try {
      this.admit(records);
    } finally {
      this.chunking = false;
    }
    const chunk = this.current;
    this.current = [];
    splitByDays(chunk, MAX_DAYS_PER_INSERT).forEach((part, i) => part.length && this.queue.push({ records: part, token: `${token}#${i}` }));
    this.cut();
    return this.s.pending < this.opts.highWaterMark;
  }

  /** Validate and buffer records. Returns false when the caller should await drain() before writing more. */
  write(records: FlowRecord | readonly FlowRecord[]): boolean {
    this.admit(Array.isArray(records) ? (records as readonly FlowRecord[]) : [records as FlowRecord]);
    return this.s.pending < this.opts.highWaterMark;
  }

  /** Validate, quarantine and buffer; how many were quarantined. */
  private admit(list: readonly FlowRecord[]): number {
    if (this.closed) throw new Error('FlowSink is closed');
    const w = this.opts.timeWindow;
    const now = w ? this.opts.now() : 0;
    let quarantined = 0;
    for (const r of list) {
      const reason = invalidReason(r);
      if (reason) {
        this.reject(r, reason);
        continue;
      }
      const late = w ? timeRefusal(r, w, now) : null;
      if (late) {
        quarantined++;
        this.keepAside(r, late, now);
        continue;
      }
      this.current.push(r);
      this.s.accepted++;
      this.s.pending++;
      if (this.current.length >= this.opts.maxBatch && !this.chunking) this.cut();
    }
    if ((this.current.length > 0 || this.quarantine.length > 0) && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.cut();
      }, this.opts.maxDelayMs);
      this.timer.unref?.();
    }
    return quarantined;
  }

  private keepAside(r: FlowRecord, reason: string, now: number) {
    this.s.quarantined++;
    this.s.quarantinedByExporter[r.exporter] = (this.s.quarantinedByExporter[r.exporter] ?? 0) + 1;
    const second = Math.floor(now / 1000);
    if (second !== this.quarantineSecond) {
      this.quarantineSecond = second;
      this.quarantineThisSecond = 0;
    }
    if (!this.writer.insertQuarantine || this.quarantineThisSecond >= this.opts.quarantineKeepPerSecond) {
      this.s.quarantineNotKept++;
      return;
    }
    this.quarantineThisSecond++;
    this.quarantine.push({ record: r, reason });
  }

  /** Whether writeOrDrop() would drop now (a UDP source can skip preparing records it would lose). */
  get dropping(): boolean {
    return this.s.pending >= this.opts.dropAbove;
  }

  /** Count records a UDP source dropped without preparing them, because `dropping` said so. */
  countDropped(n: number): void {
    this.s.dropped += n;
  }

  /**
   * For sources that cannot wait (UDP): over the high-water mark the records are dropped and
   * counted. Returns how many were taken (stored or quarantined) and how many of those were
   * quarantined, for the exporter's statistics.
   */
  writeOrDrop(records: readonly FlowRecord[]): { taken: number; quarantined: number } {
    if (this.s.pending >= this.opts.dropAbove) {
      this.s.dropped += records.length;
      return { taken: 0, quarantined: 0 };
    }
    return { taken: records.length, quarantined: this.admit(records) };
  }

  /** Resolves once the waiting records fall below half the high-water mark. */
  drain(): Promise<void> {
    if (this.s.pending < this.opts.highWaterMark / 2) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Send what is buffered now and wait until everything written so far is stored (or refused). */
  async flush(): Promise<void> {
    this.cut();
    if (this.s.pending > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await Promise.all([...this.aside]);
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  stats(): SinkStats {
    return { ...this.s, rejectReasons: { ...this.s.rejectReasons }, quarantinedByExporter: { ...this.s.quarantinedByExporter } };
  }

  private reject(r: FlowRecord, reason: string) {
    this.s.rejected++;
    const field = reason.split(':')[0]!;
    this.s.rejectReasons[field] = (this.s.rejectReasons[field] ?? 0) + 1;
    this.opts.onReject?.(r, reason);
  }

  private cut() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.current.length > 0) {
      for (const part of splitByDays(this.current, MAX_DAYS_PER_INSERT)) this.queue.push({ records: part });
      this.current = [];
    }
    if (this.quarantine.length) {
      const items = this.quarantine;
      this.quarantine = [];
      // kept aside on the side: never waits for, nor holds up, the flow inserts
      const p = this.writer.insertQuarantine!(items)
        .catch((e) => {
          this.s.quarantineNotKept += items.length;
          this.opts.onError?.(e instanceof Error ? e : new Error(String(e)), items.length);
        })
        .finally(() => this.aside.delete(p));
      this.aside.add(p);
    }
    this.pump();
  }

  private pump() {
    while (this.inFlight < this.opts.concurrency && this.queue.length > 0) {
      const batch = this.queue.shift()!;
      this.inFlight++;
      void this.send(batch.records, batch.token).finally(() => {
        this.inFlight--;
        this.pump();
        this.notify();
      });
    }
  }

  private notify() {
    if (this.s.pending < this.opts.highWaterMark / 2 && this.drainWaiters.length) {
      const w = this.drainWaiters;
      this.drainWaiters = [];
      w.forEach((f) => f());
    }
    if (this.s.pending === 0 && this.idleWaiters.length) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      w.forEach((f) => f());
    }
  }

  /** Insert a batch: retry connection failures with backoff; split batches the engine refuses to find the bad rows. */
  private async send(batch: FlowRecord[], token?: string): Promise<void> {
    let delay = this.opts.retryDelayMs;
    for (;;) {
      const t0 = performance.now();
      try {
        await this.writer.insertFlows(batch, token);
        this.s.lastInsertMs = Math.round(performance.now() - t0);
        this.s.inserted += batch.length;
        this.s.batches++;
        this.s.pending -= batch.length;
        return;
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        this.s.failedInserts++;
        this.s.lastError = err.message.split('\n')[0]!;
        this.opts.onError?.(err, batch.length);
        if (isDataError(e)) {
          if (batch.length === 1) {
            this.s.pending--;
            this.reject(batch[0]!, `store: ${this.s.lastError}`);
            return;
          }
          const mid = batch.length >> 1;
          await this.send(batch.slice(0, mid), token && `${token}.0`);
          await this.send(batch.slice(mid), token && `${token}.1`);
          return;
        }
        this.s.retries++;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }
}
