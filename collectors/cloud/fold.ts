// Counting each conversation once. Cloud flow logs see traffic where it passes an interface, so
// one TCP connection between two ENIs of a VPC is logged four times per capture window: the
// request at the client's ENI (egress) and at the server's (ingress), and the reply at both.
// GCP does the same with its SRC and DEST reporters, Azure with the NSGs of both NICs, and the
// same S3 object delivered twice repeats everything.
//
// The folder joins the observations of one window into one record:
//   - the same direction seen by another observer (or the same line delivered again) is a
//     duplicate: counted once (the larger counters win; the observers are kept in extras);
//   - the reply direction becomes the reverse counters of the request (revBytes/revPackets),
//     as in an RFC 5103 biflow.
// Then it decides client and server with the best evidence at hand: the source's own (Azure:
// the tuple's source opened the connection), TCP flags (AWS: SYN from the client, SYN-ACK = 18
// from the server), then ports and peers (lib/flow/orientation). Records leave client -> server.
//
// Observations wait in memory until `maxPending` are held (then the oldest go) or flush(): the
// two ENIs of a connection are often in different files (CloudWatch keeps one stream per ENI),
// so folding spans the files of one import. Matching windows: the observations overlap in time,
// give or take `toleranceMs` (ENIs capture independently; AWS allows 60 s of capture delay).
import { PeerTracker } from '../../lib/flow/orientation';
import type { Action, Direction, FlowRecord, Orientation } from '../../lib/flow/record';
import type { Observation } from './types';

interface Half {
  start: number;
  end: number;
  bytes: number;
  packets: number;
  flags: number | undefined;
  observers: string[];
  action: Action;
  direction: Direction;
}

interface Entry {
  key: string;
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
  protocol: number;
  /** the window the entry covers so far */
  start: number;
  end: number;
  fwd: Half | null;
  rev: Half | null;
  base: FlowRecord;
  srcVm?: string;
  dstVm?: string;
  extras?: Record<string, string>;
  evidence?: Observation['evidence'];
  biflow: boolean;
  alive: boolean;
}

export interface FoldStats {
  observations: number;
  /** the same traffic seen by another observer, or delivered twice */
  duplicates: number;
  /** reply directions joined to their request */
  merged: number;
  /** records handed on */
  emitted: number;
  orientation: Partial<Record<Orientation, number>>;
}

export interface FolderOptions {
  /** observations held at most (default 200,000) */
  maxPending?: number;
  /** how far apart in time two observations of one window may be (default 60 s) */
  toleranceMs?: number;
}

const SYN = 0x02;
const SYN_ACK = 0x12;

/** extras keys that name one side, renamed when a record is turned around */
function swapKey(k: string): string {
  if (k.startsWith('src_')) return `dest_${k.slice(4)}`;
  if (k.startsWith('dest_')) return `src_${k.slice(5)}`;
  if (k.includes('-src-')) return k.replace('-src-', '-dst-');
  if (k.includes('-dst-')) return k.replace('-dst-', '-src-');
  if (k === 'srcaddr') return 'dstaddr';
  if (k === 'dstaddr') return 'srcaddr';
  return k;
}
function swapExtras(x: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in x) out[swapKey(k)] = x[k]!;
  return out;
}
const flip = (d: Direction): Direction => (d === 'ingress' ? 'egress' : d === 'egress' ? 'ingress' : d);

export class Folder {
  private readonly byKey = new Map<string, Entry[]>();
  private queue: Entry[] = [];
  private head = 0;
  private pending = 0;
  private readonly maxPending: number;
  private readonly tolerance: number;
  readonly peers = new PeerTracker();
  readonly stats: FoldStats = { observations: 0, duplicates: 0, merged: 0, emitted: 0, orientation: {} };

  constructor(
    private readonly emit: (r: FlowRecord) => void,
    opts: FolderOptions = {},
  ) {
    this.maxPending = opts.maxPending ?? 200_000;
    this.tolerance = opts.toleranceMs ?? 60_000;
  }

  /** Add one observation. Returns 'new', 'merged' (a reply joined its request) or 'duplicate'. */
  add(o: Observation): 'new' | 'merged' | 'duplicate' {
    const r = o.record;
    this.stats.observations++;
    this.peers.observe(r);
    const a = `${r.srcAddr}|${r.srcPort}`;
    const b = `${r.dstAddr}|${r.dstPort}`;
    const key = a < b ? `${a}|${b}|${r.protocol}` : `${b}|${a}|${r.protocol}`;
    const list = this.byKey.get(key);
    if (list) {
      const tol = this.tolerance;
      for (const e of list) {
        if (r.start > e.end + tol || r.end < e.start - tol) continue;
        const isFwd = e.srcAddr === r.srcAddr && e.srcPort === r.srcPort;
        if (o.biflow || e.biflow) {
          // Two-way records (Azure) match only each other, initiator to initiator.
          if (!(o.biflow && e.biflow && isFwd)) continue;
          const h = e.fwd!;
          if (h.observers.includes(o.observer) && !(h.start === r.start && h.end === r.end && h.bytes === r.bytes)) continue;
          this.foldInto(h, r, o.observer);
          this.widen(e, r);
          const rh = e.rev!;
          rh.bytes = Math.max(rh.bytes, r.revBytes ?? 0);
          rh.packets = Math.max(rh.packets, r.revPackets ?? 0);
          this.stats.duplicates++;
          return 'duplicate';
        }
        const half = isFwd ? e.fwd : e.rev;
        if (!half) {
          const h = this.half(r, o.observer);
          if (isFwd) e.fwd = h;
          else e.rev = h;
          this.absorb(e, r, isFwd);
          this.widen(e, r);
          this.stats.merged++;
          return 'merged';
        }
        if (half.observers.includes(o.observer)) {
          // Same observer: the same line delivered twice, or the next window (a new record).
          if (half.start === r.start && half.end === r.end && half.bytes === r.bytes && half.packets === r.packets) {
            this.stats.duplicates++;
            return 'duplicate';
          }
          continue;
        }
        this.foldInto(half, r, o.observer);
        this.absorb(e, r, isFwd);
        this.widen(e, r);
        this.stats.duplicates++;
        return 'duplicate';
      }
    }
    const e: Entry = {
      key,
      srcAddr: r.srcAddr,
      srcPort: r.srcPort,
      dstAddr: r.dstAddr,
      dstPort: r.dstPort,
      protocol: r.protocol,
      start: r.start,
      end: r.end,
      fwd: this.half(r, o.observer),
      rev: null,
      base: r,
      srcVm: r.srcVm,
      dstVm: r.dstVm,
      extras: r.extras,
      evidence: o.evidence,
      biflow: Boolean(o.biflow),
      alive: true,
    };
    if (o.biflow) {
      e.rev = { ...e.fwd!, bytes: r.revBytes ?? 0, packets: r.revPackets ?? 0, flags: undefined, observers: e.fwd!.observers };
    }
    if (list) list.push(e);
    else this.byKey.set(key, [e]);
    this.queue.push(e);
    if (++this.pending > this.maxPending) this.evictOldest();
    return 'new';
  }

  /** Emit everything held (end of an import, or a pause in --watch). */
  flush(): void {
    for (let i = this.head; i < this.queue.length; i++) {
      const e = this.queue[i]!;
      if (e.alive) this.out(e);
    }
    this.queue = [];
    this.head = 0;
    this.pending = 0;
    this.byKey.clear();
  }

  get held(): number {
    return this.pending;
  }

  private half(r: FlowRecord, observer: string): Half {
    return {
      start: r.start,
      end: r.end,
      bytes: r.bytes,
      packets: r.packets,
      flags: r.tcpFlags,
      observers: [observer],
      action: r.action ?? 'unknown',
      direction: r.direction ?? 'unknown',
    };
  }

  private widen(e: Entry, r: FlowRecord) {
    if (r.start < e.start) e.start = r.start;
    if (r.end > e.end) e.end = r.end;
  }

  private foldInto(h: Half, r: FlowRecord, observer: string) {
    h.start = Math.min(h.start, r.start);
    h.end = Math.max(h.end, r.end);
    h.bytes = Math.max(h.bytes, r.bytes);
    h.packets = Math.max(h.packets, r.packets);
    if (r.tcpFlags !== undefined) h.flags = (h.flags ?? 0) | r.tcpFlags;
    if (r.action === 'reject') h.action = 'reject';
    else if (h.action === 'unknown' && r.action) h.action = r.action;
    if (!h.observers.includes(observer)) h.observers.push(observer);
  }

  /** Identity and extras of a later observation, in the entry's (first observation's) frame. */
  private absorb(e: Entry, r: FlowRecord, isFwd: boolean) {
    const sVm = isFwd ? r.srcVm : r.dstVm;
    const dVm = isFwd ? r.dstVm : r.srcVm;
    if (sVm && !e.srcVm) e.srcVm = sVm;
    if (dVm && !e.dstVm) e.dstVm = dVm;
    if (r.extras) {
      const x = isFwd ? r.extras : swapExtras(r.extras);
      e.extras = e.extras ? { ...x, ...e.extras } : x;
    }
  }

  private evictOldest() {
    while (this.head < this.queue.length) {
      const e = this.queue[this.head++]!;
      if (!e.alive) continue;
      this.out(e);
      const list = this.byKey.get(e.key)!;
      if (list.length === 1) this.byKey.delete(e.key);
      else list.splice(list.indexOf(e), 1);
      this.pending--;
      break;
    }
    // compact the queue now and then so it does not grow without bound
    if (this.head > 100_000 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Which side serves, in the entry's frame (fwd = the first observation's direction). */
  private orientEntry(e: Entry): { serverSide: 'src' | 'dst'; orientation: Orientation } {
    if (e.evidence) return e.evidence;
    // Cloud logs carry no ICMP type (ports are 0 or absent), so lib/flow/orientation's reading of
    // the type in the destination port does not apply: the first direction seen is the request.
    if ((e.protocol === 1 || e.protocol === 58) && e.srcPort === 0 && e.dstPort === 0) return { serverSide: 'dst', orientation: 'guess' };
    if (e.protocol === 6) {
      const ff = e.fwd?.flags ?? 0;
      const rf = e.rev?.flags ?? 0;
      // AWS reports SYN (2) from the opener and SYN-ACK (18) from the answerer, OR-ed per window
      if ((ff & SYN_ACK) === SYN || (rf & SYN_ACK) === SYN_ACK) return { serverSide: 'dst', orientation: 'tcp-flags' };
      if ((rf & SYN_ACK) === SYN || (ff & SYN_ACK) === SYN_ACK) return { serverSide: 'src', orientation: 'tcp-flags' };
    }
    return this.peers.orient({ srcAddr: e.srcAddr, dstAddr: e.dstAddr, srcPort: e.srcPort, dstPort: e.dstPort, protocol: e.protocol });
  }

  private out(e: Entry) {
    e.alive = false;
    const o = this.orientEntry(e);
    const swap = o.serverSide === 'src';
    const c = swap ? e.rev : e.fwd; // client -> server
    const s = swap ? e.fwd : e.rev; // server -> client
    const base = e.base;
    const halves = [e.fwd, e.rev].filter((h): h is Half => h !== null);
    const observers = [...new Set(halves.flatMap((h) => h.observers))];
    let direction: Direction = 'unknown';
    if (observers.length === 1) direction = c ? c.direction : flip(s!.direction);
    const hasFlags = halves.some((h) => h.flags !== undefined);
    const action: Action = halves.some((h) => h.action === 'reject') ? 'reject' : halves.some((h) => h.action === 'accept') ? 'accept' : 'unknown';
    const r: FlowRecord = {
      start: e.start,
      end: e.end,
      srcAddr: swap ? e.dstAddr : e.srcAddr,
      dstAddr: swap ? e.srcAddr : e.dstAddr,
      srcPort: swap ? e.dstPort : e.srcPort,
      dstPort: swap ? e.srcPort : e.dstPort,
      protocol: e.protocol,
      bytes: c?.bytes ?? 0,
      packets: c?.packets ?? 0,
      revBytes: s?.bytes ?? 0,
      revPackets: s?.packets ?? 0,
      serverSide: 'dst',
      orientation: o.orientation,
      sourceKind: base.sourceKind,
      exporter: base.exporter,
      direction,
      action,
      interfaceId: base.interfaceId,
    };
    if (hasFlags) r.tcpFlags = (e.fwd?.flags ?? 0) | (e.rev?.flags ?? 0);
    if (base.vpcId) r.vpcId = base.vpcId;
    const sVm = swap ? e.dstVm : e.srcVm;
    const dVm = swap ? e.srcVm : e.dstVm;
    if (sVm) r.srcVm = sVm;
    if (dVm) r.dstVm = dVm;
    let extras = e.extras ? (swap ? swapExtras(e.extras) : e.extras) : undefined;
    if (observers.length > 1) extras = { ...extras, observers: observers.join(',') };
    if (extras) r.extras = extras;
    this.stats.emitted++;
    this.stats.orientation[o.orientation] = (this.stats.orientation[o.orientation] ?? 0) + 1;
    this.emit(r);
  }
}
