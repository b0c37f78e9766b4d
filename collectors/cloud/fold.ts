// Counting each conversation once. Cloud flow logs see traffic where it passes an interface, so
// one TCP connection between two ENIs of a VPC is logged four times per capture window: the
// request at the client's ENI (egress) and at the server's (ingress), and the reply at both.
// GCP does the same with its SRC and DEST reporters, Azure with the NSGs of both NICs, and the
// same S3 object delivered twice repeats everything.
//
// The folder joins the observations of one window into one record:
//   - the same direction seen by another observer (or the same line delivered again) is a
//     duplicate: counted once (the larger counters win; interfaceId names the first observer);
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
//
// This runs once per line of an import (a million lines in seconds), so an entry keeps both
// directions in flat fields rather than objects per direction: fewer allocations, less GC.
import { PeerTracker, serviceScore } from '../../lib/flow/orientation';
import type { Action, Direction, FlowRecord, Orientation } from '../../lib/flow/record';
import type { Observation } from './types';

/** One direction's counters, as flat fields on the entry (prefix f = first direction seen, r = reverse). */
interface Entry {
  /** hash of the conversation's 5-tuple (collisions are told apart by comparing the tuple) */
  key: number;
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
  protocol: number;
  /** the window the entry covers so far */
  start: number;
  end: number;
  // first direction seen (always set)
  fStart: number;
  fEnd: number;
  fBytes: number;
  fPackets: number;
  fFlags: number;
  fObs: string;
  fMore: string[] | null;
  fAction: Action;
  fDir: Direction;
  // the reverse direction (rObs === null until seen)
  rStart: number;
  rEnd: number;
  rBytes: number;
  rPackets: number;
  rFlags: number;
  rObs: string | null;
  rMore: string[] | null;
  rAction: Action;
  rDir: Direction;
  hasFlags: boolean;
  base: FlowRecord;
  srcVm: string | undefined;
  dstVm: string | undefined;
  extras: Record<string, string> | undefined;
  evidence: Observation['evidence'];
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
  /** observations held at most (default 100,000) */
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
/** A small, fast string hash (31-bit): the address tokens are new strings on every line, so V8 would hash them anyway. */
function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * The map key of a conversation, the same for both directions: a number rather than a joined
 * string, because a Map lookup by a small integer is about twice as fast as by a new string, and
 * this runs once per line. Different tuples may share a key; match() compares the tuple.
 */
function tupleKey(a: string, ap: number, b: string, bp: number, protocol: number): number {
  let h = Math.imul(strHash(a) ^ ((ap << 16) | bp), 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ strHash(b), 0x85ebca6b);
  h ^= protocol << 7;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x3fffffff;
}

const flip = (d: Direction): Direction => (d === 'ingress' ? 'egress' : d === 'egress' ? 'ingress' : d);
const seenBy = (obs: string | null, more: string[] | null, o: string) => obs === o || (more !== null && more.includes(o));

export class Folder {
  private readonly byKey = new Map<number, Entry | Entry[]>();
  private queue: Entry[] = [];
  private head = 0;
  private pending = 0;
  private readonly maxPending: number;
  private readonly tolerance: number;
  readonly peers = new PeerTracker();
  /** distinct ICMP peers per address: pings fan out from the one who asks (monitoring, sweeps) */
  private readonly icmpPeers = new PeerTracker(200_000, 8);
  readonly stats: FoldStats = { observations: 0, duplicates: 0, merged: 0, emitted: 0, orientation: {} };

  constructor(
    private readonly emit: (r: FlowRecord) => void,
    opts: FolderOptions = {},
  ) {
    this.maxPending = opts.maxPending ?? 100_000;
    this.tolerance = opts.toleranceMs ?? 60_000;
  }

  /** Add one observation. Returns 'new', 'merged' (a reply joined its request) or 'duplicate'. */
  add(o: Observation): 'new' | 'merged' | 'duplicate' {
    const r = o.record;
    this.stats.observations++;
    if (r.protocol === 1 || r.protocol === 58) {
      this.icmpPeers.observeEndpoint(r.srcAddr, 0, r.protocol, r.dstAddr);
      this.icmpPeers.observeEndpoint(r.dstAddr, 0, r.protocol, r.srcAddr);
    }
    const fwdFirst = r.srcAddr < r.dstAddr || (r.srcAddr === r.dstAddr && r.srcPort <= r.dstPort);
    const key = fwdFirst ? tupleKey(r.srcAddr, r.srcPort, r.dstAddr, r.dstPort, r.protocol) : tupleKey(r.dstAddr, r.dstPort, r.srcAddr, r.srcPort, r.protocol);
    const found = this.byKey.get(key);
    if (found !== undefined) {
      if (Array.isArray(found)) {
        for (const e of found) {
          const res = this.match(e, o, r);
          if (res !== null) return res;
        }
      } else {
        const res = this.match(found, o, r);
        if (res !== null) return res;
      }
    }
    const e = this.entry(key, o, r);
    if (found === undefined) this.byKey.set(key, e);
    else if (Array.isArray(found)) found.push(e);
    else this.byKey.set(key, [found, e]);
    this.queue.push(e);
    if (++this.pending > this.maxPending) this.evictOldest();
    return 'new';
  }

  private match(e: Entry, o: Observation, r: FlowRecord): 'merged' | 'duplicate' | null {
    const tol = this.tolerance;
    if (r.start > e.end + tol || r.end < e.start - tol) return null;
    const isFwd = e.srcAddr === r.srcAddr && e.srcPort === r.srcPort && e.dstAddr === r.dstAddr && e.dstPort === r.dstPort;
    // another conversation under the same key
    if (e.protocol !== r.protocol || (!isFwd && !(e.srcAddr === r.dstAddr && e.srcPort === r.dstPort && e.dstAddr === r.srcAddr && e.dstPort === r.srcPort))) return null;
    if (o.biflow || e.biflow) {
      // Two-way records (Azure) match only each other, initiator to initiator.
      if (!(o.biflow && e.biflow && isFwd)) return null;
      if (seenBy(e.fObs, e.fMore, o.observer) && !(e.fStart === r.start && e.fEnd === r.end && e.fBytes === r.bytes)) return null;
      this.foldFwd(e, r, o.observer);
      if ((r.revBytes ?? 0) > e.rBytes) e.rBytes = r.revBytes!;
      if ((r.revPackets ?? 0) > e.rPackets) e.rPackets = r.revPackets!;
      this.widen(e, r);
      this.stats.duplicates++;
      return 'duplicate';
    }
    if (isFwd) {
      if (seenBy(e.fObs, e.fMore, o.observer)) {
        // Same observer: the same line delivered twice, or the next window (a new record).
        if (e.fStart === r.start && e.fEnd === r.end && e.fBytes === r.bytes && e.fPackets === r.packets) {
          this.stats.duplicates++;
          return 'duplicate';
        }
        return null;
      }
      this.foldFwd(e, r, o.observer);
      this.absorb(e, r, true);
      this.widen(e, r);
      this.stats.duplicates++;
      return 'duplicate';
    }
    if (e.rObs === null) {
      e.rStart = r.start;
      e.rEnd = r.end;
      e.rBytes = r.bytes;
      e.rPackets = r.packets;
      e.rFlags = r.tcpFlags ?? 0;
      if (r.tcpFlags !== undefined) e.hasFlags = true;
      e.rObs = o.observer;
      e.rAction = r.action ?? 'unknown';
      e.rDir = r.direction ?? 'unknown';
      this.absorb(e, r, false);
      this.widen(e, r);
      this.stats.merged++;
      return 'merged';
    }
    if (seenBy(e.rObs, e.rMore, o.observer)) {
      if (e.rStart === r.start && e.rEnd === r.end && e.rBytes === r.bytes && e.rPackets === r.packets) {
        this.stats.duplicates++;
        return 'duplicate';
      }
      return null;
    }
    if (r.start < e.rStart) e.rStart = r.start;
    if (r.end > e.rEnd) e.rEnd = r.end;
    if (r.bytes > e.rBytes) e.rBytes = r.bytes;
    if (r.packets > e.rPackets) e.rPackets = r.packets;
    if (r.tcpFlags !== undefined) {
      e.rFlags |= r.tcpFlags;
      e.hasFlags = true;
    }
    if (r.action === 'reject') e.rAction = 'reject';
    (e.rMore ??= []).push(o.observer);
    this.absorb(e, r, false);
    this.widen(e, r);
    this.stats.duplicates++;
    return 'duplicate';
  }

  private entry(key: number, o: Observation, r: FlowRecord): Entry {
    const bi = Boolean(o.biflow);
    return {
      key,
      srcAddr: r.srcAddr,
      srcPort: r.srcPort,
      dstAddr: r.dstAddr,
      dstPort: r.dstPort,
      protocol: r.protocol,
      start: r.start,
      end: r.end,
      fStart: r.start,
      fEnd: r.end,
      fBytes: r.bytes,
      fPackets: r.packets,
      fFlags: r.tcpFlags ?? 0,
      fObs: o.observer,
      fMore: null,
      fAction: r.action ?? 'unknown',
      fDir: r.direction ?? 'unknown',
      rStart: r.start,
      rEnd: r.end,
      rBytes: bi ? (r.revBytes ?? 0) : 0,
      rPackets: bi ? (r.revPackets ?? 0) : 0,
      rFlags: 0,
      rObs: bi ? o.observer : null,
      rMore: null,
      rAction: r.action ?? 'unknown',
      rDir: flip(r.direction ?? 'unknown'),
      hasFlags: r.tcpFlags !== undefined,
      base: r,
      srcVm: r.srcVm,
      dstVm: r.dstVm,
      extras: r.extras,
      evidence: o.evidence,
      biflow: bi,
      alive: true,
    };
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

  private widen(e: Entry, r: FlowRecord) {
    if (r.start < e.start) e.start = r.start;
    if (r.end > e.end) e.end = r.end;
  }

  private foldFwd(e: Entry, r: FlowRecord, observer: string) {
    if (r.start < e.fStart) e.fStart = r.start;
    if (r.end > e.fEnd) e.fEnd = r.end;
    if (r.bytes > e.fBytes) e.fBytes = r.bytes;
    if (r.packets > e.fPackets) e.fPackets = r.packets;
    if (r.tcpFlags !== undefined) {
      e.fFlags |= r.tcpFlags;
      e.hasFlags = true;
    }
    if (r.action === 'reject') e.fAction = 'reject';
    else if (e.fAction === 'unknown' && r.action) e.fAction = r.action;
    if (!seenBy(e.fObs, e.fMore, observer)) (e.fMore ??= []).push(observer);
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
      const found = this.byKey.get(e.key)!;
      if (!Array.isArray(found)) this.byKey.delete(e.key);
      else {
        found.splice(found.indexOf(e), 1);
        if (found.length === 1) this.byKey.set(e.key, found[0]!);
      }
      this.pending--;
      break;
    }
    // compact the queue now and then so it does not grow without bound
    if (this.head > 100_000 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Which side serves, in the entry's frame (the first observation's direction). */
  private orientEntry(e: Entry): { serverSide: 'src' | 'dst'; orientation: Orientation } {
    if (e.evidence) return e.evidence;
    // Cloud logs carry no ICMP type (ports are 0 or absent), so lib/flow/orientation's reading of
    // the type in the destination port does not apply, and the two directions of a capture window
    // come in no particular order. Echo requests fan out from who asks (a monitoring server pings
    // every host, a sweep every address): the side with clearly more ICMP peers asked. Else the
    // first direction seen is taken as the request.
    if ((e.protocol === 1 || e.protocol === 58) && e.srcPort === 0 && e.dstPort === 0) {
      const s = this.icmpPeers.peersOf(e.srcAddr, 0, e.protocol);
      const d = this.icmpPeers.peersOf(e.dstAddr, 0, e.protocol);
      if (s >= 3 && s >= 2 * d) return { serverSide: 'dst', orientation: 'peers' };
      if (d >= 3 && d >= 2 * s) return { serverSide: 'src', orientation: 'peers' };
      return { serverSide: 'dst', orientation: 'guess' };
    }
    if (e.protocol === 6 && e.hasFlags) {
      const ff = e.fFlags;
      const rf = e.rObs !== null ? e.rFlags : 0;
      // AWS reports SYN (2) from the opener and SYN-ACK (18) from the answerer, OR-ed per window
      if ((ff & SYN_ACK) === SYN || (rf & SYN_ACK) === SYN_ACK) return { serverSide: 'dst', orientation: 'tcp-flags' };
      if ((rf & SYN_ACK) === SYN || (ff & SYN_ACK) === SYN_ACK) return { serverSide: 'src', orientation: 'tcp-flags' };
    }
    const input = { srcAddr: e.srcAddr, dstAddr: e.dstAddr, srcPort: e.srcPort, dstPort: e.dstPort, protocol: e.protocol };
    // Peers are the evidence only where the ports do not tell, so only such conversations are
    // counted (the tracker's memory goes to the endpoints that need it).
    if (serviceScore(e.srcPort) === serviceScore(e.dstPort)) this.peers.observe(input);
    return this.peers.orient(input);
  }

  private out(e: Entry) {
    e.alive = false;
    const o = this.orientEntry(e);
    const swap = o.serverSide === 'src';
    const hasRev = e.rObs !== null;
    // client -> server and server -> client halves
    const cSet = swap ? hasRev : true;
    const sSet = swap ? true : hasRev;
    const base = e.base;
    let direction: Direction = 'unknown';
    const single = e.fMore === null && e.rMore === null && (!hasRev || e.rObs === e.fObs);
    if (single) direction = swap ? (hasRev ? e.rDir : flip(e.fDir)) : e.fDir;
    const action: Action =
      e.fAction === 'reject' || (hasRev && e.rAction === 'reject') ? 'reject' : e.fAction === 'accept' || (hasRev && e.rAction === 'accept') ? 'accept' : 'unknown';
    const r: FlowRecord = {
      start: e.start,
      end: e.end,
      srcAddr: swap ? e.dstAddr : e.srcAddr,
      dstAddr: swap ? e.srcAddr : e.dstAddr,
      srcPort: swap ? e.dstPort : e.srcPort,
      dstPort: swap ? e.srcPort : e.dstPort,
      protocol: e.protocol,
      bytes: cSet ? (swap ? e.rBytes : e.fBytes) : 0,
      packets: cSet ? (swap ? e.rPackets : e.fPackets) : 0,
      revBytes: sSet ? (swap ? e.fBytes : e.rBytes) : 0,
      revPackets: sSet ? (swap ? e.fPackets : e.rPackets) : 0,
      serverSide: 'dst',
      orientation: o.orientation,
      sourceKind: base.sourceKind,
      exporter: base.exporter,
      direction,
      action,
      interfaceId: base.interfaceId,
      // every field present (undefined when unknown): one object shape for every record
      tcpFlags: e.hasFlags ? e.fFlags | (hasRev ? e.rFlags : 0) : undefined,
      vpcId: base.vpcId || undefined,
      srcVm: (swap ? e.dstVm : e.srcVm) || undefined,
      dstVm: (swap ? e.srcVm : e.dstVm) || undefined,
      extras: e.extras ? (swap ? swapExtras(e.extras) : e.extras) : undefined,
    };
    this.stats.emitted++;
    this.stats.orientation[o.orientation] = (this.stats.orientation[o.orientation] ?? 0) + 1;
    this.emit(r);
  }
}
