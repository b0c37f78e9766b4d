// AWS VPC and Transit Gateway flow logs: the default format (version 2) and custom formats of
// versions 2 to 8, as S3 delivers them (a header line names the fields; objects may be
// concatenated, so a header can come back mid-file), as CloudWatch Logs delivers them
// (subscription payloads, `aws logs` CLI output, {"message": ...} lines, export-task text with a
// timestamp before each record), with `-` for fields that do not apply, NODATA/SKIPDATA status
// records, pkt-srcaddr/pkt-dstaddr behind NAT gateways and TGW ENIs, flow-direction, tcp-flags,
// traffic-path and the ECS fields. Field list: docs/cloud-flow-logs.md.
//
// The hot path (one text line of a known layout) splits on single spaces and indexes the
// tokens; it falls back to a whitespace regex only when a line has empty tokens.
import { isIP } from 'node:net';
import type { Direction, FlowRecord } from '../../lib/flow/record';
import type { FileContext, ParseOutput } from './types';

const V2 = ['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status'];
const V3 = ['vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr'];
const V4 = ['region', 'az-id', 'sublocation-type', 'sublocation-id'];
const V5 = ['pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path'];
const V6_TGW = [
  'resource-type', 'tgw-id', 'tgw-attachment-id', 'tgw-src-vpc-account-id', 'tgw-dst-vpc-account-id', 'tgw-src-vpc-id', 'tgw-dst-vpc-id',
  'tgw-src-subnet-id', 'tgw-dst-subnet-id', 'tgw-src-eni', 'tgw-dst-eni', 'tgw-src-az-id', 'tgw-dst-az-id', 'tgw-pair-attachment-id',
  'packets-lost-no-route', 'packets-lost-blackhole', 'packets-lost-mtu-exceeded', 'packets-lost-ttl-expired',
];
const V7 = [
  'ecs-cluster-arn', 'ecs-cluster-name', 'ecs-container-instance-arn', 'ecs-container-instance-id', 'ecs-container-id',
  'ecs-second-container-id', 'ecs-service-name', 'ecs-task-definition-arn', 'ecs-task-arn', 'ecs-task-id',
];
const V8 = ['reject-reason'];

/** Every field name a flow-log format can use (hyphenated, as in the format string and the S3 header). */
export const AWS_FIELDS: ReadonlySet<string> = new Set([...V2, ...V3, ...V4, ...V5, ...V6_TGW, ...V7, ...V8]);

/** The Transit Gateway flow log default format. */
export const TGW_DEFAULT = [
  'version', 'resource-type', 'account-id', 'tgw-id', 'tgw-attachment-id', 'tgw-src-vpc-account-id', 'tgw-dst-vpc-account-id',
  'tgw-src-vpc-id', 'tgw-dst-vpc-id', 'tgw-src-subnet-id', 'tgw-dst-subnet-id', 'tgw-src-eni', 'tgw-dst-eni', 'tgw-src-az-id',
  'tgw-dst-az-id', 'tgw-pair-attachment-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start',
  'end', 'log-status', 'type', 'packets-lost-no-route', 'packets-lost-blackhole', 'packets-lost-mtu-exceeded',
  'packets-lost-ttl-expired', 'tcp-flags', 'region', 'flow-direction', 'pkt-src-aws-service', 'pkt-dst-aws-service',
];

/**
 * Layouts recognized without a header or --fields, by field count: the default format, "all
 * fields up to version N" in the documented order (what the console proposes), and the TGW
 * default. Any other custom format needs its header line or --fields.
 */
export const KNOWN_LAYOUTS: ReadonlyMap<number, { name: string; fields: readonly string[] }> = new Map([
  [14, { name: 'default format (version 2)', fields: V2 }],
  [21, { name: 'all fields of versions 2-3', fields: [...V2, ...V3] }],
  [25, { name: 'all fields of versions 2-4', fields: [...V2, ...V3, ...V4] }],
  [29, { name: 'all fields of versions 2-5', fields: [...V2, ...V3, ...V4, ...V5] }],
  [36, { name: 'Transit Gateway default format', fields: TGW_DEFAULT }],
  [39, { name: 'all VPC fields of versions 2-7', fields: [...V2, ...V3, ...V4, ...V5, ...V7] }],
  [40, { name: 'all VPC fields of versions 2-8', fields: [...V2, ...V3, ...V4, ...V5, ...V7, ...V8] }],
]);

/** Fields kept in FlowRecord.extras when present (others have their own columns or are dropped). */
const EXTRA_FIELDS = [
  'subnet-id', 'region', 'az-id', 'sublocation-type', 'sublocation-id', 'pkt-src-aws-service', 'pkt-dst-aws-service', 'traffic-path',
  'resource-type', 'tgw-id', 'tgw-attachment-id', 'tgw-src-vpc-id', 'tgw-dst-vpc-id', 'tgw-src-eni', 'tgw-dst-eni', 'tgw-pair-attachment-id',
  'ecs-cluster-name', 'ecs-service-name', 'ecs-task-id', 'ecs-container-id', 'reject-reason',
];
const LOST_FIELDS = ['packets-lost-no-route', 'packets-lost-blackhole', 'packets-lost-mtu-exceeded', 'packets-lost-ttl-expired'];

/** A flow-log window is at most 10 minutes (+60 s capture delay); beyond an hour the times are wrong. */
const MAX_WINDOW_MS = 3600_000;

/** Parses a format: "${version} ${srcaddr} ...", "version srcaddr ...", or comma separated. */
export function parseFormat(text: string): string[] {
  const fields = text
    .replace(/\$\{([^}]*)\}/g, '$1')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((f) => f.toLowerCase().replace(/_/g, '-'));
  const unknown = fields.filter((f) => !AWS_FIELDS.has(f));
  if (unknown.length) throw new Error(`unknown flow-log field${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${[...AWS_FIELDS].join(' ')})`);
  if (!fields.length) throw new Error('empty field list');
  return fields;
}

/** Token index of each field the parser reads, -1 when the format lacks it (a fixed shape: fast property reads). */
interface Ix {
  status: number;
  pktSrc: number;
  pktDst: number;
  src: number;
  dst: number;
  iface: number;
  tgwAttachment: number;
  start: number;
  end: number;
  srcPort: number;
  dstPort: number;
  protocol: number;
  packets: number;
  bytes: number;
  flags: number;
  action: number;
  direction: number;
  account: number;
  region: number;
  vpc: number;
  tgwSrcVpc: number;
  instance: number;
}

interface Layout {
  fields: readonly string[];
  /** where it came from, for messages: "header line 3", "--fields", "default format (version 2)" */
  origin: string;
  ix: Ix;
  extras: Array<[string, number]>;
  lost: Array<[string, number]>;
}

function layoutOf(fields: readonly string[], origin: string): Layout {
  const i: Record<string, number> = {};
  fields.forEach((f, k) => (i[f] ??= k));
  const at = (f: string) => i[f] ?? -1;
  const ix: Ix = {
    status: at('log-status'),
    pktSrc: at('pkt-srcaddr'),
    pktDst: at('pkt-dstaddr'),
    src: at('srcaddr'),
    dst: at('dstaddr'),
    iface: at('interface-id'),
    tgwAttachment: at('tgw-attachment-id'),
    start: at('start'),
    end: at('end'),
    srcPort: at('srcport'),
    dstPort: at('dstport'),
    protocol: at('protocol'),
    packets: at('packets'),
    bytes: at('bytes'),
    flags: at('tcp-flags'),
    action: at('action'),
    direction: at('flow-direction'),
    account: at('account-id'),
    region: at('region'),
    vpc: at('vpc-id'),
    tgwSrcVpc: at('tgw-src-vpc-id'),
    instance: at('instance-id'),
  };
  return {
    fields,
    origin,
    ix,
    extras: EXTRA_FIELDS.filter((f) => i[f] !== undefined).map((f) => [f, i[f]!]),
    lost: LOST_FIELDS.filter((f) => i[f] !== undefined).map((f) => [f, i[f]!]),
  };
}

const layoutCache = new Map<number, Layout>();
function knownLayout(n: number): Layout | undefined {
  let l = layoutCache.get(n);
  if (!l) {
    const k = KNOWN_LAYOUTS.get(n);
    if (!k) return undefined;
    l = layoutOf(k.fields, k.name);
    layoutCache.set(n, l);
  }
  return l;
}

const isDigits = (s: string) => s.length > 0 && s.length < 16 && int(s) >= 0;
/** A token as a non-negative integer, or NaN ('-' is handled by callers); no regex: it runs ~8 times a line. */
function int(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return Number.NaN;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

function isHeader(tokens: readonly string[]): boolean {
  const first = tokens[0]!;
  return !isDigits(first) && first !== '-' && tokens.every((t) => AWS_FIELDS.has(t));
}

/** "2019-08-26T19:48:53.000Z" as CloudWatch export tasks write before each record */
function leadingTimestamp(tok: string): number | undefined {
  if (tok.length < 20 || tok.charCodeAt(4) !== 45 || tok.charCodeAt(10) !== 84) return undefined;
  const t = Date.parse(tok);
  return Number.isFinite(t) ? t : undefined;
}

export interface AwsParserOptions {
  /** --fields: the format of files without a header line */
  fields?: readonly string[];
  /** text files: decide from the first lines whether the file is a flow log at all */
  sniff?: boolean;
}

/** Unreadable lines at the start of a text file, with nothing readable, that make it "not a flow log". */
const SNIFF_LINES = 3;
function notFlowLogReason(held: ReadonlyArray<[number, string, string | undefined]>): string {
  const [n, reason] = held[0]!;
  return `not an AWS flow log: ${held.length === 1 ? 'its only line is' : `its first ${held.length} lines are`} neither a header nor a record (line ${n}: ${reason})`;
}

/**
 * Parser for one file (a header line sets the layout for the lines after it). Call line() for
 * each text line or CloudWatch message, json() for each JSON value of a JSON file.
 */
export class AwsParser {
  private layout: Layout | null;
  private readonly configured: Layout | null;
  /**
   * Set when the file is not an AWS flow log: its first JSON value is not flow-log JSON, or
   * (text) its first lines are neither a header nor a record. The importer then skips the file
   * with this reason instead of rejecting every line of, say, a README.
   */
  notFlowLog: string | null = null;
  private docs = 0;
  records = 0;
  /** text files: rejects held until the file shows it is a flow log (a header or a record) */
  private held: Array<[number, string, string | undefined]> | null = null;
  private readonly out: ParseOutput;

  constructor(
    private readonly ctx: FileContext,
    out: ParseOutput,
    opts: AwsParserOptions = {},
  ) {
    this.configured = opts.fields ? layoutOf(opts.fields, '--fields') : null;
    this.layout = this.configured;
    if (opts.sniff) {
      this.held = [];
      const held = this.held;
      this.out = {
        observation: (o) => {
          this.release();
          out.observation(o);
        },
        status: (st) => {
          this.release();
          out.status(st);
        },
        reject: (n, reason, where) => {
          if (!this.held) return out.reject(n, reason, where);
          held.push([n, reason, where]);
          if (held.length >= SNIFF_LINES) this.notFlowLog = notFlowLogReason(held);
        },
      };
    } else this.out = out;
    this.realOut = out;
  }

  private readonly realOut: ParseOutput;

  /** The file showed it is a flow log: report the rejects held so far. */
  private release() {
    if (!this.held) return;
    const h = this.held;
    this.held = null;
    for (const [n, reason, where] of h) this.realOut.reject(n, reason, where);
  }

  private lastExporter = { account: '', region: '', text: 'aws' };
  /** aws:<account>[/<region>], built once per account and region rather than once per line */
  private exporter(account: string | undefined, region: string | undefined): string {
    const c = this.lastExporter;
    if ((account ?? '') !== c.account || (region ?? '') !== c.region) {
      this.lastExporter = { account: account ?? '', region: region ?? '', text: account ? (region ? `aws:${account}/${region}` : `aws:${account}`) : 'aws' };
    }
    return this.lastExporter.text;
  }

  /** End of a text file: if nothing in it was a flow-log line, it is not a flow log. */
  finish(): void {
    if (this.held && this.held.length) this.notFlowLog = notFlowLogReason(this.held);
  }

  /** One text line (or CloudWatch message). `eventTime`: the CloudWatch event's timestamp. */
  line(text: string, n: number, eventTime?: number, where?: string): void {
    if (text.length === 0) return;
    let tokens = text.split(' ');
    if (tokens.includes('')) {
      const trimmed = text.trim();
      if (!trimmed) return;
      tokens = trimmed.split(/\s+/);
    }
    // A header line: the S3 object's own description of its fields wins over --fields.
    if (isHeader(tokens)) {
      this.layout = layoutOf(tokens, `header line ${n}`);
      this.release();
      return;
    }
    let layout = this.layout;
    if (!layout) {
      // No header and no --fields: a known layout by field count (possibly after a CloudWatch
      // export-task timestamp), and only if the first field is a version number.
      layout = knownLayout(tokens.length) ?? null;
      if (!layout && tokens.length > 1 && knownLayout(tokens.length - 1)) {
        const ts = leadingTimestamp(tokens[0]!);
        if (ts !== undefined) {
          layout = knownLayout(tokens.length - 1)!;
          tokens = tokens.slice(1);
          eventTime ??= ts;
        }
      }
      if (!layout || !isDigits(tokens[0]!)) {
        this.out.reject(
          n,
          `${tokens.length} field${tokens.length === 1 ? '' : 's'} and no header line: not a known layout (the default format has 14 fields, starting with the version); give the format with --fields`,
          where,
        );
        return;
      }
    } else if (tokens.length !== layout.fields.length) {
      const ts = tokens.length === layout.fields.length + 1 ? leadingTimestamp(tokens[0]!) : undefined;
      if (ts === undefined) {
        this.out.reject(n, `${tokens.length} fields where the format (${layout.origin}) has ${layout.fields.length}`, where);
        return;
      }
      tokens = tokens.slice(1);
      eventTime ??= ts;
    }
    this.record(tokens, layout, n, eventTime, where);
  }

  /** One JSON value of a JSON file: a CloudWatch subscription payload, `aws logs` output, {"message"} or an array of these. */
  json(doc: unknown, n: number): void {
    const first = this.docs++ === 0;
    const events = cloudWatchEvents(doc);
    if (events === null) {
      const reason = `JSON without logEvents, events or message: not a CloudWatch Logs payload or export${describeKeys(doc)}`;
      if (first) this.notFlowLog = reason;
      else this.out.reject(n, reason);
      return;
    }
    events.forEach((e, k) => {
      if (typeof e.message !== 'string') {
        this.out.reject(n, 'event without a "message" string', `${e.path}`);
        return;
      }
      const t = typeof e.timestamp === 'number' ? e.timestamp : typeof e.timestamp === 'string' ? Date.parse(e.timestamp) : undefined;
      this.line(e.message, n, Number.isFinite(t) ? t : undefined, e.path || (events.length > 1 ? `[${k}]` : undefined));
    });
  }

  private record(t: string[], L: Layout, n: number, eventTime: number | undefined, where: string | undefined): void {
    // A line of a known layout shows the file is a flow log, whatever its values are worth.
    if (this.held) this.release();
    const x = L.ix;
    const status = x.status < 0 ? 'OK' : t[x.status]!;
    const pktSrc = x.pktSrc < 0 ? undefined : t[x.pktSrc];
    const pktDst = x.pktDst < 0 ? undefined : t[x.pktDst];
    const ifSrc = x.src < 0 ? undefined : t[x.src];
    const ifDst = x.dst < 0 ? undefined : t[x.dst];
    // pkt-* are the packet's own addresses behind a NAT gateway or a TGW ENI: the real endpoints.
    const src = pktSrc !== undefined && pktSrc !== '-' ? pktSrc : ifSrc;
    const dst = pktDst !== undefined && pktDst !== '-' ? pktDst : ifDst;
    const interfaceId = nz(x.iface < 0 ? undefined : t[x.iface]) ?? nz(x.tgwAttachment < 0 ? undefined : t[x.tgwAttachment]) ?? '';

    let start: number;
    let end: number;
    const s = tok(t, x.start);
    const e = tok(t, x.end);
    if (s === undefined && e === undefined) {
      const fallback = eventTime ?? this.ctx.keyTime ?? this.ctx.at;
      if (fallback === undefined) {
        this.out.reject(n, 'the format has no start or end field, and no time is known (no CloudWatch timestamp, no time in the S3 key): pass --at TIME', where);
        return;
      }
      start = end = fallback;
    } else {
      start = s === undefined ? int(e!) * 1000 : int(s) * 1000;
      end = e === undefined ? start : int(e) * 1000;
      if (!Number.isFinite(start)) return this.out.reject(n, `start: "${s}" is not Unix seconds`, where);
      if (!Number.isFinite(end)) return this.out.reject(n, `end: "${e}" is not Unix seconds`, where);
      if (end < start) return this.out.reject(n, `end (${iso(end)}) is before start (${iso(start)})`, where);
      if (end - start > MAX_WINDOW_MS) return this.out.reject(n, `start ${iso(start)} is ${span(end - start)} before end ${iso(end)}: not a flow-log capture window (at most 10 minutes)`, where);
    }

    if (src === undefined || dst === undefined || src === '-' || dst === '-') {
      if (status === 'NODATA' || status === 'SKIPDATA') {
        this.out.status({ status, interfaceId, start, end });
        return;
      }
      if (src === undefined || dst === undefined) {
        this.out.reject(n, 'the format has no srcaddr/dstaddr fields: nothing to map', where);
        return;
      }
      this.out.reject(n, `${src === '-' ? 'srcaddr' : 'dstaddr'}: "-" in a record with log-status ${status}`, where);
      return;
    }
    const fs = isIP(src);
    const fd = isIP(dst);
    if (fs === 0) return this.out.reject(n, `${src === pktSrc ? 'pkt-srcaddr' : 'srcaddr'}: "${src}" is not an IP address`, where);
    if (fd === 0) return this.out.reject(n, `${dst === pktDst ? 'pkt-dstaddr' : 'dstaddr'}: "${dst}" is not an IP address`, where);
    if (fs !== fd) return this.out.reject(n, `source ${src} and destination ${dst} are of different address families: no packet carries both`, where);

    const srcPort = port(tok(t, x.srcPort));
    const dstPort = port(tok(t, x.dstPort));
    if (Number.isNaN(srcPort)) return this.out.reject(n, `srcport: "${tok(t, x.srcPort)}" is not a port (0-65535)`, where);
    if (Number.isNaN(dstPort)) return this.out.reject(n, `dstport: "${tok(t, x.dstPort)}" is not a port (0-65535)`, where);
    const p = tok(t, x.protocol);
    const protocol = p === undefined || p === '-' ? 0 : int(p);
    if (!(protocol >= 0 && protocol <= 255)) return this.out.reject(n, `protocol: "${p}" is not an IANA protocol number`, where);
    const packets = counter(tok(t, x.packets));
    const bytes = counter(tok(t, x.bytes));
    if (Number.isNaN(packets)) return this.out.reject(n, `packets: "${tok(t, x.packets)}" is not a count`, where);
    if (Number.isNaN(bytes)) return this.out.reject(n, `bytes: "${tok(t, x.bytes)}" is not a count`, where);
    const f = tok(t, x.flags);
    const tcpFlags = f === undefined || f === '-' ? undefined : int(f);
    if (tcpFlags !== undefined && !(tcpFlags <= 255)) return this.out.reject(n, `tcp-flags: "${f}" is not a flag bitmask`, where);
    const a = tok(t, x.action);
    if (a !== undefined && a !== '-' && a !== 'ACCEPT' && a !== 'REJECT') return this.out.reject(n, `action: "${a}" is not ACCEPT or REJECT`, where);
    const fd2 = tok(t, x.direction);
    const direction: Direction = fd2 === 'ingress' ? 'ingress' : fd2 === 'egress' ? 'egress' : 'unknown';

    const account = nz(tok(t, x.account));
    const region = nz(tok(t, x.region));
    const record: FlowRecord = {
      start,
      end,
      srcAddr: src,
      dstAddr: dst,
      srcPort,
      dstPort,
      protocol,
      bytes,
      packets,
      tcpFlags,
      serverSide: 'dst',
      orientation: 'guess',
      sourceKind: 'aws',
      exporter: this.exporter(account, region),
      direction,
      action: a === 'ACCEPT' ? 'accept' : a === 'REJECT' ? 'reject' : 'unknown',
      interfaceId,
      // every field present (undefined when unknown): one object shape for every record
      vpcId: nz(tok(t, x.vpc)) ?? nz(tok(t, x.tgwSrcVpc)),
      srcVm: undefined,
      dstVm: undefined,
      extras: undefined,
    };
    // The ENI's instance is the local side: the destination of ingress, the source of egress.
    const instance = nz(tok(t, x.instance));
    let extras: Record<string, string> | undefined;
    if (instance) {
      if (direction === 'ingress') record.dstVm = instance;
      else if (direction === 'egress') record.srcVm = instance;
      else (extras ??= {})['instance-id'] = instance;
    }
    for (const [name, k] of L.extras) {
      const v = t[k]!;
      if (v !== '-') (extras ??= {})[name] = v;
    }
    for (const [name, k] of L.lost) {
      const v = t[k]!;
      if (v !== '-' && v !== '0') (extras ??= {})[name] = v;
    }
    if (status !== 'OK') (extras ??= {})['log-status'] = status;
    if (src !== ifSrc && ifSrc && ifSrc !== '-') (extras ??= {}).srcaddr = ifSrc;
    if (dst !== ifDst && ifDst && ifDst !== '-') (extras ??= {}).dstaddr = ifDst;
    if (extras) record.extras = extras;
    this.records++;
    this.out.observation({ record, observer: interfaceId || this.ctx.path });
  }
}

/** Token i of a record, undefined when the format lacks the field (i < 0). A plain function, not a closure per line. */
function tok(t: readonly string[], i: number): string | undefined {
  return i < 0 ? undefined : t[i];
}
const nz = (v: string | undefined) => (v === undefined || v === '-' || v === '' ? undefined : v);
const port = (v: string | undefined) => {
  if (v === undefined || v === '-') return 0;
  const p = int(v);
  return p <= 65535 ? p : Number.NaN;
};
const counter = (v: string | undefined) => (v === undefined || v === '-' ? 0 : int(v));
const iso = (ms: number) => new Date(ms).toISOString();
function span(ms: number): string {
  const d = ms / 86_400_000;
  if (d >= 365) return `${Math.round(d / 365)} years`;
  if (d >= 1) return `${Math.round(d)} days`;
  return `${Math.round(ms / 60_000)} minutes`;
}

interface CwEvent {
  message?: unknown;
  timestamp?: unknown;
  path: string;
}

/** The log events of AWS flow-log JSON, or null when the value is not that. */
function cloudWatchEvents(doc: unknown): CwEvent[] | null {
  if (Array.isArray(doc)) {
    const all: CwEvent[] = [];
    for (let k = 0; k < doc.length; k++) {
      const inner = cloudWatchEvents(doc[k]);
      if (inner === null) return null;
      all.push(...inner.map((e) => ({ ...e, path: `[${k}]${e.path ? `.${e.path}` : ''}` })));
    }
    return all;
  }
  if (!doc || typeof doc !== 'object') return null;
  const o = doc as Record<string, unknown>;
  // CloudWatch Logs subscription payload (Firehose, Lambda, Kinesis), after gunzip
  if (Array.isArray(o.logEvents)) {
    if (o.messageType === 'CONTROL_MESSAGE') return [];
    return (o.logEvents as Array<Record<string, unknown>>).map((e, k) => ({ message: e?.message, timestamp: e?.timestamp, path: `logEvents[${k}]` }));
  }
  // `aws logs filter-log-events` / `get-log-events` output
  if (Array.isArray(o.events)) return (o.events as Array<Record<string, unknown>>).map((e, k) => ({ message: e?.message, timestamp: e?.timestamp, path: `events[${k}]` }));
  if ('message' in o) return [{ message: o.message, timestamp: o.timestamp ?? o['@timestamp'], path: '' }];
  return null;
}

function describeKeys(doc: unknown): string {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return '';
  const keys = Object.keys(doc).slice(0, 5);
  return keys.length ? ` (its keys: ${keys.join(', ')})` : '';
}
