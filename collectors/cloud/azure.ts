// Azure Network Watcher flow logs: NSG flow logs (versions 1 and 2) and VNet flow logs
// (flowLogVersion 4), as blobs ({"records": [...]}, PT1H.json) or one record per line. A tuple
// is a connection as the NSG's state tracking saw it: its source opened the connection (so the
// orientation is the source's own), and version 2/4 tuples carry both directions' counters.
//
// Connection states: B (began), C (continuing, counters since the last report), E (ended,
// counters since the last report), and in VNet logs D (denied). A B tuple carries no counters:
// it is folded into the connection's next C or E report, so a connection counts once, from its
// start; a B nothing followed (still open when the logs end) is stored on its own.
import { isIP } from 'node:net';
import type { FlowRecord } from '../../lib/flow/record';
import type { FileContext, Observation, ParseOutput } from './types';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Open connections held at most; beyond, the oldest connection starts are stored as they are. */
const MAX_OPEN = 500_000;

/** Open connections across the files of one import: B tuples waiting for their C/E. */
export class AzureConnections {
  readonly open = new Map<string, { start: number; pending: Observation | null }>();
  /** B tuples folded into a later C/E of the same connection */
  beginsFolded = 0;
  /** the newest tuple time seen */
  newest = 0;

  /** Connection starts waiting more than `maxAgeMs` behind the newest tuple are stored as they are (--watch). */
  flushOlderThan(maxAgeMs: number, emit: (o: Observation) => void): void {
    const cutoff = this.newest - maxAgeMs;
    for (const [k, s] of this.open) {
      if (s.start >= cutoff) continue;
      if (s.pending) emit(s.pending);
      this.open.delete(k);
    }
  }

  /** The connections that began and were never reported again: stored as they are. */
  flush(emit: (o: Observation) => void): void {
    for (const s of this.open.values()) if (s.pending) emit(s.pending);
    this.open.clear();
  }

  /** Keep memory bounded: past MAX_OPEN, the oldest (Map order) go out as they are. */
  trim(emit: (o: Observation) => void): void {
    for (const [k, s] of this.open) {
      if (this.open.size <= MAX_OPEN) break;
      if (s.pending) emit(s.pending);
      this.open.delete(k);
    }
  }
}

const ENCRYPTION = new Set(['X', 'NX', 'NX_HW_NOT_SUPPORTED', 'NX_SW_NOT_READY', 'NX_NOT_ACCEPTED', 'NX_NOT_SUPPORTED', 'NX_LOCAL_DST', 'NX_FALLBACK']);

function subscriptionOf(id: unknown): string | undefined {
  return typeof id === 'string' ? /\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase() : undefined;
}
const lastSegment = (id: unknown) => (typeof id === 'string' ? id.split('/').filter(Boolean).pop() : undefined);
const normalMac = (m: unknown) => (typeof m === 'string' ? m.replace(/[^0-9a-f]/gi, '').toUpperCase() : '');

function counter(v: string | undefined): number {
  if (v === undefined || v === '') return 0;
  return /^\d{1,16}$/.test(v) ? Number(v) : Number.NaN;
}

export class AzureParser {
  notFlowLog: string | null = null;
  records = 0;
  /** connection-start tuples of this file held for their connection's next report */
  held = 0;
  private docs = 0;

  constructor(
    private readonly ctx: FileContext,
    private readonly out: ParseOutput,
    private readonly conns: AzureConnections,
  ) {}

  json(doc: unknown, n: number): void {
    const first = this.docs++ === 0;
    const o = obj(doc);
    const records = Array.isArray(o?.records) ? (o!.records as unknown[]) : Array.isArray(doc) ? doc : [doc];
    const wrapped = records !== (doc as unknown) && !(records.length === 1 && records[0] === doc);
    records.forEach((r, k) => {
      const where = wrapped ? (Array.isArray(doc) ? `[${k}]` : `records[${k}]`) : '';
      const reason = this.record(r, n, where);
      if (reason) {
        if (first && k === 0 && this.records === 0) this.notFlowLog = reason;
        else this.out.reject(n, reason, where || undefined);
      }
    });
  }

  /** One record of a blob; returns why it is not a flow-log record, or null. */
  private record(r: unknown, n: number, where: string): string | null {
    const rec = obj(r);
    if (!rec) return 'not a JSON object: not a flow-log record';
    const props = obj(rec.properties);
    if (props && Array.isArray(props.flows)) {
      // NSG flow log: properties.Version 1 or 2, flows[].flows[].flowTuples
      const version = Number(props.Version ?? props.version ?? 1);
      const exporter = `azure:${subscriptionOf(rec.resourceId) ?? 'unknown'}`;
      const nsg = lastSegment(rec.resourceId);
      arr(props.flows).forEach((g, gi) => {
        const rule = String(obj(g)?.rule ?? '');
        arr(obj(g)?.flows).forEach((f, fi) => {
          const mac = normalMac(obj(f)?.mac);
          arr(obj(f)?.flowTuples).forEach((t, ti) => {
            this.tuple(String(t), version === 1 ? 'nsg1' : 'nsg2', { exporter, mac, rule, nsg }, n, `${where ? `${where}.` : ''}properties.flows[${gi}].flows[${fi}].flowTuples[${ti}]`);
          });
        });
      });
      this.records++;
      return null;
    }
    const fr = obj(rec.flowRecords);
    if (fr && Array.isArray(fr.flows)) {
      // VNet flow log, flowLogVersion 4: flowRecords.flows[].flowGroups[].flowTuples
      const exporter = `azure:${subscriptionOf(rec.targetResourceID) ?? subscriptionOf(rec.flowLogResourceID) ?? 'unknown'}`;
      const mac = normalMac(rec.macAddress);
      const vnet = lastSegment(rec.targetResourceID);
      arr(fr.flows).forEach((f, fi) => {
        const acl = String(obj(f)?.aclID ?? '');
        arr(obj(f)?.flowGroups).forEach((g, gi) => {
          const rule = String(obj(g)?.rule ?? '');
          arr(obj(g)?.flowTuples).forEach((t, ti) => {
            this.tuple(String(t), 'vnet', { exporter, mac, rule, vnet, acl }, n, `${where ? `${where}.` : ''}flowRecords.flows[${fi}].flowGroups[${gi}].flowTuples[${ti}]`);
          });
        });
      });
      this.records++;
      return null;
    }
    const keys = Object.keys(rec).slice(0, 5).join(', ');
    return `neither an NSG flow log record (properties.flows) nor a VNet flow log record (flowRecords.flows)${keys ? ` (its keys: ${keys})` : ''}`;
  }

  private tuple(text: string, kind: 'nsg1' | 'nsg2' | 'vnet', meta: { exporter: string; mac: string; rule: string; nsg?: string; vnet?: string; acl?: string }, n: number, where: string): void {
    const f = text.split(',');
    const want = kind === 'nsg1' ? 8 : 13;
    if (f.length !== want) return this.out.reject(n, `tuple has ${f.length} fields, ${kind === 'vnet' ? 'a VNet flow log (version 4)' : `an NSG flow log version ${kind === 'nsg1' ? 1 : 2}`} tuple has ${want}: "${text.slice(0, 80)}"`, where);
    const ts = Number(f[0]);
    if (!/^\d{9,14}$/.test(f[0]!)) return this.out.reject(n, `time: "${f[0]}" is not Unix seconds or milliseconds`, where);
    // NSG tuples are in seconds, VNet tuples in milliseconds (Microsoft's own examples also use seconds)
    const t = ts > 1e11 ? ts : ts * 1000;
    const src = f[1]!;
    const dst = f[2]!;
    if (isIP(src) === 0) return this.out.reject(n, `source: "${src}" is not an IP address`, where);
    if (isIP(dst) === 0) return this.out.reject(n, `destination: "${dst}" is not an IP address`, where);
    if (isIP(src) !== isIP(dst)) return this.out.reject(n, `source ${src} and destination ${dst} are of different address families`, where);
    const srcPort = Number(f[3]);
    const dstPort = Number(f[4]);
    if (!/^\d{1,5}$/.test(f[3]!) || srcPort > 65535) return this.out.reject(n, `source port: "${f[3]}" is not a port`, where);
    if (!/^\d{1,5}$/.test(f[4]!) || dstPort > 65535) return this.out.reject(n, `destination port: "${f[4]}" is not a port`, where);
    const p = f[5]!;
    const protocol = p === 'T' ? 6 : p === 'U' ? 17 : p === 'I' ? 1 : /^\d{1,3}$/.test(p) && Number(p) <= 255 ? Number(p) : Number.NaN;
    if (Number.isNaN(protocol)) return this.out.reject(n, `protocol: "${p}" is not T, U or an IANA number`, where);
    const dir = f[6];
    if (dir !== 'I' && dir !== 'O') return this.out.reject(n, `direction: "${dir}" is not I or O`, where);
    let state: string;
    let denied: boolean;
    if (kind === 'vnet') {
      state = f[7]!;
      if (!['B', 'C', 'E', 'D'].includes(state)) return this.out.reject(n, `flow state: "${state}" is not B, C, E or D`, where);
      if (!ENCRYPTION.has(f[8]!)) return this.out.reject(n, `encryption: "${f[8]}" is not a known value`, where);
      denied = state === 'D';
    } else {
      const decision = f[7];
      if (decision !== 'A' && decision !== 'D') return this.out.reject(n, `decision: "${decision}" is not A or D`, where);
      denied = decision === 'D';
      state = kind === 'nsg1' ? 'E' : f[8]!;
      if (kind === 'nsg2' && !['B', 'C', 'E'].includes(state)) return this.out.reject(n, `flow state: "${state}" is not B, C or E`, where);
    }
    const c = kind === 'nsg1' ? [0, 0, 0, 0] : [counter(f[9]), counter(f[10]), counter(f[11]), counter(f[12])];
    const bad = c.findIndex((x) => Number.isNaN(x));
    if (bad >= 0) return this.out.reject(n, `${['packets sent', 'bytes sent', 'packets received', 'bytes received'][bad]}: "${f[9 + bad]}" is not a count`, where);

    const record: FlowRecord = {
      start: t,
      end: t,
      srcAddr: src,
      dstAddr: dst,
      srcPort,
      dstPort,
      protocol,
      packets: c[0]!,
      bytes: c[1]!,
      revPackets: c[2]!,
      revBytes: c[3]!,
      serverSide: 'dst',
      orientation: 'source',
      sourceKind: 'azure',
      exporter: meta.exporter,
      direction: dir === 'I' ? 'ingress' : 'egress',
      action: denied ? 'reject' : 'accept',
      interfaceId: meta.mac,
    };
    if (meta.vnet) record.vpcId = meta.vnet;
    const extras: Record<string, string> = {};
    if (meta.rule) extras.rule = meta.rule;
    if (meta.nsg) extras.nsg = meta.nsg;
    if (kind === 'vnet' && f[8] !== 'NX') extras.encryption = f[8]!;
    if (Object.keys(extras).length) record.extras = extras;
    const o: Observation = { record, observer: meta.mac || this.ctx.path, evidence: { serverSide: 'dst', orientation: 'source' }, biflow: true };

    if (denied || kind === 'nsg1') return this.out.observation(o);
    const key = `${meta.mac}|${src}|${srcPort}|${dst}|${dstPort}|${protocol}`;
    const s = this.conns.open.get(key);
    if (t > this.conns.newest) this.conns.newest = t;
    if (state === 'B') {
      // a new B for a connection still open (ports reused quickly): store the old one as it was
      if (s?.pending) this.out.observation(s.pending);
      this.conns.open.set(key, { start: t, pending: o });
      this.held++;
      if (this.conns.open.size > MAX_OPEN) this.conns.trim((x) => this.out.observation(x));
      return;
    }
    if (s) {
      record.start = Math.min(s.start, t);
      if (s.pending) this.conns.beginsFolded++;
    }
    if (state === 'E') this.conns.open.delete(key);
    else this.conns.open.set(key, { start: t, pending: null });
    this.out.observation(o);
  }
}
