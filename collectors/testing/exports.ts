// Builders for NetFlow v5/v9, IPFIX and sFlow datagrams, for tests, fuzzing and benchmarks.
// They write what the specifications say, so that decoder tests can state exactly what went in.

export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  private room(n: number) {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u8(v: number) {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  u16(v: number) {
    this.room(2);
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  u32(v: number) {
    this.room(4);
    this.buf[this.length++] = (v >>> 24) & 0xff;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  u64(v: number) {
    this.u32(Math.floor(v / 4294967296));
    return this.u32(v >>> 0);
  }
  /** unsigned integer in `len` bytes (reduced-size encoding) */
  uint(v: number, len: number) {
    for (let i = len - 1; i >= 0; i--) this.u8(Math.floor(v / 2 ** (8 * i)) & 0xff);
    return this;
  }
  bytes(b: Uint8Array | number[]) {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  ip4(a: string) {
    return this.bytes(a.split('.').map(Number));
  }
  ip6(a: string) {
    return this.bytes(ip6Bytes(a));
  }
  /** IPFIX variable-length encoding: 1-byte length, or 255 and a 2-byte length */
  varlen(b: Uint8Array | number[]) {
    if (b.length < 255) this.u8(b.length);
    else this.u8(255).u16(b.length);
    return this.bytes(b);
  }
  text(s: string) {
    return this.bytes(new TextEncoder().encode(s));
  }
  pad(to: number) {
    while (this.length % to) this.u8(0);
    return this;
  }
  /** overwrite a 16-bit value at an offset (lengths known at the end) */
  set16(offset: number, v: number) {
    this.buf[offset] = (v >>> 8) & 0xff;
    this.buf[offset + 1] = v & 0xff;
    return this;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function ip6Bytes(a: string): number[] {
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out: number[] = [];
  for (const g of groups) {
    const v = parseInt(g, 16);
    out.push(v >> 8, v & 0xff);
  }
  return out;
}

/** A template field: IANA element (pen 0), or enterprise element; length 65535 = variable. */
export type FieldDef = [id: number, length: number, pen?: number];

export function ipfixTemplateRecord(w: ByteWriter, id: number, fields: FieldDef[], scopeCount = 0) {
  w.u16(id).u16(fields.length);
  if (scopeCount) w.u16(scopeCount);
  for (const [fid, len, pen] of fields) {
    if (pen) w.u16(fid | 0x8000).u16(len).u32(pen);
    else w.u16(fid).u16(len);
  }
}

export interface Set {
  id: number;
  body: Uint8Array;
}

export function ipfixMessage(opts: { exportTime: number; sequence: number; domain: number; sets: Set[] }): Uint8Array {
  const w = new ByteWriter();
  w.u16(10).u16(0).u32(opts.exportTime).u32(opts.sequence).u32(opts.domain);
  for (const s of opts.sets) w.u16(s.id).u16(s.body.length + 4).bytes(s.body);
  w.set16(2, w.length);
  return w.done();
}

export function netflow9Packet(opts: { sysUptime: number; unixSecs: number; sequence: number; sourceId: number; count?: number; sets: Set[] }): Uint8Array {
  const w = new ByteWriter();
  w.u16(9).u16(opts.count ?? opts.sets.length).u32(opts.sysUptime).u32(opts.unixSecs).u32(opts.sequence).u32(opts.sourceId);
  for (const s of opts.sets) {
    const body = new ByteWriter().bytes(s.body).pad(4).done();
    w.u16(s.id).u16(body.length + 4).bytes(body);
  }
  return w.done();
}

export function netflow9TemplateRecord(w: ByteWriter, id: number, fields: FieldDef[]) {
  w.u16(id).u16(fields.length);
  for (const [fid, len] of fields) w.u16(fid).u16(len);
}

export function netflow9OptionsTemplateRecord(w: ByteWriter, id: number, scope: FieldDef[], options: FieldDef[]) {
  w.u16(id).u16(scope.length * 4).u16(options.length * 4);
  for (const [fid, len] of [...scope, ...options]) w.u16(fid).u16(len);
}

export interface V5Record {
  src: string;
  dst: string;
  nextHop?: string;
  input?: number;
  output?: number;
  packets: number;
  bytes: number;
  first: number;
  last: number;
  srcPort: number;
  dstPort: number;
  tcpFlags?: number;
  protocol: number;
  tos?: number;
  srcAs?: number;
  dstAs?: number;
}

export function netflow5Packet(opts: { sysUptime: number; unixSecs: number; unixNsecs?: number; sequence: number; engineType?: number; engineId?: number; sampling?: number; records: V5Record[] }): Uint8Array {
  const w = new ByteWriter();
  w.u16(5).u16(opts.records.length).u32(opts.sysUptime).u32(opts.unixSecs).u32(opts.unixNsecs ?? 0).u32(opts.sequence);
  w.u8(opts.engineType ?? 0).u8(opts.engineId ?? 0).u16(opts.sampling ?? 0);
  for (const r of opts.records) {
    w.ip4(r.src).ip4(r.dst).ip4(r.nextHop ?? '0.0.0.0').u16(r.input ?? 0).u16(r.output ?? 0);
    w.u32(r.packets).u32(r.bytes).u32(r.first).u32(r.last).u16(r.srcPort).u16(r.dstPort);
    w.u8(0).u8(r.tcpFlags ?? 0).u8(r.protocol).u8(r.tos ?? 0).u16(r.srcAs ?? 0).u16(r.dstAs ?? 0).u8(0).u8(0).u16(0);
  }
  return w.done();
}

export interface SflowFlowSample {
  sequence: number;
  sourceId?: number;
  samplingRate: number;
  input?: number;
  output?: number;
  expanded?: boolean;
  /** raw packet header records: protocol 1 Ethernet, 11 IPv4, 12 IPv6 */
  header?: { protocol: number; frameLength: number; bytes: Uint8Array };
  switchVlan?: { src: number; dst: number };
}

export function sflowDatagram(opts: { agent: string; subAgent?: number; sequence: number; uptime?: number; samples: Array<SflowFlowSample | { counters: true; sequence: number }> }): Uint8Array {
  const w = new ByteWriter();
  w.u32(5);
  if (opts.agent.includes(':')) w.u32(2).ip6(opts.agent);
  else w.u32(1).ip4(opts.agent);
  w.u32(opts.subAgent ?? 0).u32(opts.sequence).u32(opts.uptime ?? 0).u32(opts.samples.length);
  for (const s of opts.samples) {
    const b = new ByteWriter();
    if ('counters' in s) {
      // a generic interface counter sample with no records
      b.u32(s.sequence).u32(1).u32(0);
      w.u32(2).u32(b.length).bytes(b.done());
      continue;
    }
    const records: Array<[number, Uint8Array]> = [];
    if (s.header) {
      const r = new ByteWriter().u32(s.header.protocol).u32(s.header.frameLength).u32(0).u32(s.header.bytes.length).bytes(s.header.bytes).pad(4);
      records.push([1, r.done()]);
    }
    if (s.switchVlan) records.push([1001, new ByteWriter().u32(s.switchVlan.src).u32(0).u32(s.switchVlan.dst).u32(0).done()]);
    b.u32(s.sequence);
    if (s.expanded) b.u32(0).u32(s.sourceId ?? 1);
    else b.u32(s.sourceId ?? 1);
    b.u32(s.samplingRate).u32(s.sequence * s.samplingRate).u32(0);
    if (s.expanded) b.u32(0).u32(s.input ?? 0).u32(0).u32(s.output ?? 0);
    else b.u32(s.input ?? 0).u32(s.output ?? 0);
    b.u32(records.length);
    for (const [fmt, body] of records) b.u32(fmt).u32(body.length).bytes(body);
    w.u32(s.expanded ? 3 : 1).u32(b.length).bytes(b.done());
  }
  return w.done();
}
