// The estate's flows as IPFIX (RFC 7011) from the estate's virtual switches, captured at the
// collector in a pcap that `bulkhead ingest pcap FILE` reads. Like the switches of a hypervisor
// cluster, two to four exporters (127.0.0.x) send to 127.0.0.1:4739; each workload sits on one
// switch, and each flow is exported once, by the client's switch (else the server's).
//
// Records carry addresses, ports, protocol, counters, start and end times and TCP flags (ICMP:
// type and code instead of ports), and nothing about accounts, interfaces or VMs. Uniflow mode
// exports a record per direction; biflow mode one record per flow with the reverse counters as
// RFC 5103 elements (enterprise 29305), its source the initiator.
//
// As an exporter does: a record leaves when its flow ends, messages fill up to a datagram or
// leave after a second, templates go first and again every few hundred messages or ten minutes
// (a collector forgets the templates of a session idle for an hour), and the sequence number
// counts the data records sent before each message, per exporter and observation domain.
import { ByteWriter, ipfixMessage, ipfixTemplateRecord, type FieldDef } from '../../collectors/testing/exports';
import { datagramFrame } from '../../collectors/testing/traffic';
import { flowHours } from './flows';
import { Holders } from './holders';
import { textHash } from './ids';
import type { ZooEstate, ZooFlow } from './model';
import { PcapWriter } from './pcap';
import { hashUnit } from './schedule';

const REVERSE = 29305;
const ICMP = 1;
const ECHO_REQUEST = 8 << 8;
const ECHO_REPLY = 0;

const PORTED: FieldDef[] = [[8, 4], [12, 4], [7, 2], [11, 2], [4, 1], [6, 1], [1, 8], [2, 8], [152, 8], [153, 8]];
const ICMP_FIELDS: FieldDef[] = [[8, 4], [12, 4], [4, 1], [32, 2], [1, 8], [2, 8], [152, 8], [153, 8]];
const TEMPLATES = {
  uniflow: { ported: 256, icmp: 257 },
  biflow: { ported: 258, icmp: 259 },
};
const TEMPLATE_FIELDS: Record<number, FieldDef[]> = {
  256: PORTED,
  257: ICMP_FIELDS,
  258: [...PORTED, [1, 8, REVERSE], [2, 8, REVERSE], [6, 1, REVERSE]],
  259: [...ICMP_FIELDS, [1, 8, REVERSE], [2, 8, REVERSE], [32, 2, REVERSE]],
};

const COLLECTOR = '127.0.0.1';
const COLLECTOR_PORT = 4739;
/** an IPFIX message that fits an Ethernet datagram with room to spare */
const MAX_MESSAGE = 1400;
/** a partly filled message leaves this long after its first record */
const EXPORT_INTERVAL_MS = 1000;
const TEMPLATE_EVERY_MESSAGES = 300;
const TEMPLATE_EVERY_MS = 600_000;

export interface IpfixWriteOptions {
  /** RFC 5103 biflow records (one per flow) rather than one record per direction */
  biflow: boolean;
}

export interface IpfixWriteCounts {
  exporters: number;
  /** IPFIX messages with data records */
  messages: number;
  /** IPFIX messages with the template set */
  templateMessages: number;
  records: number;
  flows: number;
}

/** One data record, due for export at `at` (its flow's end). */
interface Rec {
  at: number;
  exporter: number;
  template: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  flags: number;
  bytes: number;
  packets: number;
  start: number;
  end: number;
  revBytes: number;
  revPackets: number;
  revFlags: number;
}

/** One virtual switch: its transport session, its observation domain and the message it is filling. */
class Exporter {
  sequence = 0;
  sinceTemplate = Number.POSITIVE_INFINITY;
  lastTemplate = Number.NEGATIVE_INFINITY;
  /** the data sets of the message being filled, by template (empty writers are reused, not sent) */
  readonly sets = new Map<number, ByteWriter>();
  size = 0;
  count = 0;
  firstAt = 0;

  constructor(
    readonly address: string,
    readonly port: number,
    readonly domain: number,
  ) {}
}

/** Encodes records into the exporters' messages and sends the messages into the capture, in time order. */
class Sender {
  lastTime = Number.NEGATIVE_INFINITY;
  readonly counts: IpfixWriteCounts;
  private readonly templateSet: Uint8Array;
  /** address bytes by address: ByteWriter.ip4 parses the text on every call */
  private readonly addresses = new Map<string, Uint8Array>();

  constructor(
    private readonly pcap: PcapWriter,
    private readonly biflow: boolean,
    exporters: number,
  ) {
    this.counts = { exporters, messages: 0, templateMessages: 0, records: 0, flows: 0 };
    const ids = biflow ? TEMPLATES.biflow : TEMPLATES.uniflow;
    const t = new ByteWriter();
    for (const id of [ids.ported, ids.icmp]) ipfixTemplateRecord(t, id, TEMPLATE_FIELDS[id]!);
    this.templateSet = t.done();
  }

  add(e: Exporter, r: Rec): void {
    const length = recordLength(r, this.biflow);
    let w = e.sets.get(r.template);
    const newSet = !w?.length;
    if (e.count && e.size + length + (newSet ? 4 : 0) > MAX_MESSAGE) this.flush(e, r.at);
    if (!e.count) {
      e.firstAt = r.at;
      e.size = 16;
    }
    if (!w) {
      w = new ByteWriter();
      e.sets.set(r.template, w);
    }
    if (!w.length) e.size += 4;
    this.encode(w, r);
    e.size += length;
    e.count++;
    this.counts.records++;
  }

  /** Messages whose export interval has run out by `now` leave (a timer, in an exporter). */
  expire(exporters: readonly Exporter[], now: number): void {
    for (const e of exporters) if (e.count && now - e.firstAt >= EXPORT_INTERVAL_MS) this.flush(e, e.firstAt + EXPORT_INTERVAL_MS);
  }

  flush(e: Exporter, due: number): void {
    if (!e.count) return;
    // The capture is in time order whichever exporter's timer fired first.
    const time = Math.max(this.lastTime, due);
    this.lastTime = time;
    const exportTime = Math.floor(time / 1000);
    if (e.sinceTemplate >= TEMPLATE_EVERY_MESSAGES || time - e.lastTemplate >= TEMPLATE_EVERY_MS) {
      this.send(e, time, ipfixMessage({ exportTime, sequence: e.sequence, domain: e.domain, sets: [{ id: 2, body: this.templateSet }] }));
      e.sinceTemplate = 0;
      e.lastTemplate = time;
      this.counts.templateMessages++;
    }
    const sets: Array<{ id: number; body: Uint8Array }> = [];
    for (const [id, w] of e.sets) {
      if (!w.length) continue;
      sets.push({ id, body: w.done() });
      w.length = 0;
    }
    this.send(e, time, ipfixMessage({ exportTime, sequence: e.sequence, domain: e.domain, sets }));
    e.sequence = (e.sequence + e.count) >>> 0;
    e.sinceTemplate++;
    e.count = 0;
    this.counts.messages++;
  }

  private encode(w: ByteWriter, r: Rec): void {
    w.bytes(this.ip4(r.src)).bytes(this.ip4(r.dst));
    // ICMP's type and code take the place of the ports and flags (icmpTypeCodeIPv4)
    if (r.protocol === ICMP) w.u8(r.protocol).u16(r.flags);
    else w.u16(r.srcPort).u16(r.dstPort).u8(r.protocol).u8(r.flags);
    w.u64(r.bytes).u64(r.packets).u64(r.start).u64(r.end);
    if (!this.biflow) return;
    w.u64(r.revBytes).u64(r.revPackets);
    if (r.protocol === ICMP) w.u16(r.revFlags);
    else w.u8(r.revFlags);
  }

  private ip4(a: string): Uint8Array {
    let b = this.addresses.get(a);
    if (!b) {
      b = Uint8Array.from(a.split('.').map(Number));
      this.addresses.set(a, b);
    }
    return b;
  }

  private send(e: Exporter, time: number, message: Uint8Array) {
    this.pcap.packet(time, datagramFrame(e.address, e.port, COLLECTOR, COLLECTOR_PORT, message));
  }
}

const recordLength = (r: Rec, biflow: boolean) => (r.protocol === ICMP ? 43 : 46) + (biflow ? (r.protocol === ICMP ? 18 : 17) : 0);

/** The records of one flow: one (biflow) or one per direction that carried packets (uniflow). */
function recordsOf(f: ZooFlow, exporter: number, biflow: boolean, out: Rec[]): void {
  const icmp = f.protocol === ICMP;
  const ids = biflow ? TEMPLATES.biflow : TEMPLATES.uniflow;
  const template = icmp ? ids.icmp : ids.ported;
  const request: Rec = {
    at: f.end,
    exporter,
    template,
    src: f.srcAddr,
    dst: f.dstAddr,
    srcPort: f.srcPort,
    dstPort: f.dstPort,
    protocol: f.protocol,
    flags: icmp ? ECHO_REQUEST : f.tcpFlags,
    bytes: f.bytes,
    packets: f.packets,
    start: f.start,
    end: f.end,
    revBytes: biflow ? f.revBytes : 0,
    revPackets: biflow ? f.revPackets : 0,
    revFlags: icmp ? ECHO_REPLY : f.revTcpFlags,
  };
  out.push(request);
  if (biflow || f.revPackets === 0) return;
  out.push({
    ...request,
    src: f.dstAddr,
    dst: f.srcAddr,
    srcPort: f.dstPort,
    dstPort: f.srcPort,
    flags: icmp ? ECHO_REPLY : f.revTcpFlags,
    bytes: f.revBytes,
    packets: f.revPackets,
    // the answer's first packet follows the request's
    start: Math.min(f.start + 1, f.end),
  });
}

/** Writes the estate's flows as a capture of IPFIX datagrams at `path`, streaming an hour at a time. */
export function writeIpfixCapture(estate: ZooEstate, path: string, opts: IpfixWriteOptions): IpfixWriteCounts {
  const seed = estate.shape.seed;
  const holders = new Holders(estate.workloads);
  const n = 2 + Math.floor(hashUnit(seed, 0x5717c4) * 3);
  const exporters = Array.from({ length: n }, (_, k) => new Exporter(`127.0.0.${k + 2}`, 40000 + Math.floor(hashUnit(seed, k) * 20000), k + 1));
  const switchOf = (f: ZooFlow): number => {
    const h = holders.at(f.srcAddr, f.start) ?? holders.at(f.dstAddr, f.start);
    return h ? textHash(`switch:${seed}:${h.workload.name}`) % n : f.conversation % n;
  };
  const pcap = new PcapWriter(path);
  const sender = new Sender(pcap, opts.biflow, n);
  try {
    for (const hour of flowHours(estate, estate.start, estate.end)) {
      const recs: Rec[] = [];
      for (const f of hour) recordsOf(f, switchOf(f), opts.biflow, recs);
      sender.counts.flows += hour.length;
      // flows never cross the hour, so ordering each hour by end orders the whole export
      recs.sort((a, b) => a.at - b.at);
      for (const r of recs) {
        sender.expire(exporters, r.at);
        sender.add(exporters[r.exporter]!, r);
      }
    }
    for (const e of exporters) sender.flush(e, e.firstAt + EXPORT_INTERVAL_MS);
  } finally {
    pcap.close();
  }
  return sender.counts;
}
