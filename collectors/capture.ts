// Decoding flow telemetry out of packet captures, for `bulkhead decode` and `bulkhead ingest
// pcap`: the UDP payloads of one or more pcap/pcapng files, in order, through one decoder state,
// so templates learned in an earlier file decode the data of a later one. Capture time stands in
// for arrival time (sFlow records are stamped with it; templates wait by it).
import { statSync } from 'node:fs';
import type { ExporterStatus } from '../lib/flow/collector-status';
import type { FlowRecord } from '../lib/flow/record';
import { ExporterTable } from './exporter-stats';
import { decode, DecoderState, detectVersion, type DecoderOptions } from './flowdecode';
import { decoderExtras, FlowNormalizer, type ExtrasPolicy } from './normalize';
import { readCapture, type CaptureStats } from './pcap';

export interface CaptureFileResult {
  path: string;
  bytes: number;
  packets: number;
  /** UDP datagrams carrying NetFlow/IPFIX/sFlow */
  datagrams: number;
  records: number;
  /** UDP datagrams of other protocols (or to ports not asked for), skipped */
  otherDatagrams: number;
  /** packets that are not UDP */
  skippedPackets: number;
  problems: string[];
}

export interface CaptureErrorLine {
  file: string;
  /** packet number in the file, from 1 (as Wireshark counts) */
  packet: number;
  exporter: string;
  message: string;
}

export interface CaptureSummary {
  files: CaptureFileResult[];
  records: number;
  exporters: ExporterStatus[];
  /** decode errors, the first 50 with file and packet; errorCount has them all */
  errors: CaptureErrorLine[];
  errorCount: number;
  /** data sets whose template never appeared in the files */
  noTemplate: number;
}

export interface CaptureReadOptions {
  /** only datagrams to these UDP destination ports (default: every UDP datagram that looks like flow telemetry) */
  ports?: number[];
  /** records of this file go to onRecords (false: read it for its templates only) */
  emit?: boolean;
  /** called now and then with the bytes of this file read so far */
  onProgress?: (bytes: number) => void;
  signal?: AbortSignal;
}

const KEEP_ERRORS = 50;

export class CaptureDecoder {
  readonly state: DecoderState;
  readonly normalizer: FlowNormalizer;
  readonly table = new ExporterTable();
  private readonly files: CaptureFileResult[] = [];
  private readonly errors: CaptureErrorLine[] = [];
  private errorCount = 0;
  private records = 0;
  private lastTime = 0;

  constructor(options: DecoderOptions = {}, extras: ExtrasPolicy = 'all') {
    this.state = new DecoderState({ extras: decoderExtras(extras), ...options });
    this.normalizer = new FlowNormalizer(undefined, extras);
  }

  /** Decode one file; records go to `onRecords` in batches (one per datagram), awaited when it returns a promise. */
  async readFile(path: string, onRecords: (records: FlowRecord[]) => void | Promise<void>, opts: CaptureReadOptions = {}): Promise<CaptureFileResult> {
    const stats: CaptureStats = { packets: 0, datagrams: 0, skipped: 0, problems: [] };
    const result: CaptureFileResult = { path, bytes: statSync(path).size, packets: 0, datagrams: 0, records: 0, otherDatagrams: 0, skippedPackets: 0, problems: stats.problems };
    const ports = opts.ports?.length ? new Set(opts.ports) : null;
    let n = 0;
    for await (const d of readCapture(path, stats)) {
      if (opts.signal?.aborted) break;
      n = stats.packets;
      if ((ports && !ports.has(d.dstPort)) || (!ports && detectVersion(d.payload) === null)) {
        result.otherDatagrams++;
        continue;
      }
      result.datagrams++;
      // Captures of the same exporter in several files: time must not go backwards for template expiry.
      const time = d.time || this.lastTime;
      this.lastTime = Math.max(this.lastTime, time);
      const r = decode(d.payload, { address: d.srcAddr, port: d.srcPort, receivedAt: time }, this.state);
      this.table.observe(d.srcAddr, d.payload.length, r, time);
      for (const e of r.errors) {
        if (e.code === 'no-template') continue;
        this.errorCount++;
        if (this.errors.length < KEEP_ERRORS) this.errors.push({ file: path, packet: n, exporter: d.srcAddr, message: e.message });
      }
      if (r.records.length && opts.emit !== false) {
        const out: FlowRecord[] = new Array(r.records.length);
        for (let i = 0; i < r.records.length; i++) out[i] = this.normalizer.toRecord(r.records[i]!);
        result.records += out.length;
        this.records += out.length;
        const p = onRecords(out);
        if (p) await p;
      }
      if (opts.onProgress && (result.datagrams & 255) === 0) opts.onProgress(stats.bytes ?? 0);
    }
    result.packets = stats.packets;
    result.skippedPackets = stats.skipped;
    this.files.push(result);
    opts.onProgress?.(result.bytes);
    return result;
  }

  /** After the last file: data still waiting for a template never gets one. */
  finish(): CaptureSummary {
    const rep = this.state.expire(Number.POSITIVE_INFINITY);
    if (rep.droppedNoTemplate.size) this.table.expired(rep.droppedNoTemplate, this.lastTime);
    return { files: this.files, records: this.records, exporters: this.table.snapshot(), errors: this.errors, errorCount: this.errorCount, noTemplate: this.table.totals().noTemplate };
  }
}

/** The summary as lines for people (stderr). */
export function summaryLines(s: CaptureSummary): string[] {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines: string[] = [];
  for (const f of s.files) {
    const other = f.otherDatagrams ? `, ${fmt(f.otherDatagrams)} other UDP datagrams skipped` : '';
    lines.push(`${f.path}: ${fmt(f.packets)} packets, ${fmt(f.datagrams)} flow datagrams, ${fmt(f.records)} records${other}`);
    for (const p of f.problems) lines.push(`  ${p}`);
  }
  for (const e of s.exporters) {
    const parts = [`${fmt(e.datagrams)} datagrams`, `${fmt(e.records)} records`];
    if (e.templates) parts.push(`${fmt(e.templates)} templates`);
    if (e.options) parts.push(`${fmt(e.options)} options records`);
    if (e.counterSamples) parts.push(`${fmt(e.counterSamples)} counter samples`);
    if (e.decodeErrors) parts.push(`${fmt(e.decodeErrors)} decode errors`);
    if (e.noTemplateDrops) parts.push(`${fmt(e.noTemplateDrops)} data sets without template`);
    if (e.lost) parts.push(`${fmt(e.lost)} ${e.lostUnit} lost per sequence numbers`);
    lines.push(`exporter ${e.exporter} ${e.version}: ${parts.join(', ')}`);
  }
  for (const e of s.errors) lines.push(`error: ${e.file} packet ${e.packet} from ${e.exporter}: ${e.message}`);
  if (s.errorCount > s.errors.length) lines.push(`... and ${fmt(s.errorCount - s.errors.length)} more decode errors`);
  if (s.noTemplate) lines.push(`${fmt(s.noTemplate)} data sets had no template in these files: give the file with the templates first (bulkhead decode TEMPLATES.pcap DATA.pcap)`);
  lines.push(`${fmt(s.records)} records from ${s.files.length} file(s), ${fmt(s.errorCount)} decode errors`);
  return lines;
}
