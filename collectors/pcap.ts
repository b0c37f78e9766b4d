// Reading UDP datagrams out of packet captures: classic pcap (micro- and nanosecond, either byte
// order) and pcapng, on Ethernet (with VLAN tags), Linux cooked (SLL, SLL2), raw IP and loopback
// link types; IPv4 fragments are reassembled. Streams the file in chunks, so captures of any size
// read in bounded memory.
import { open } from 'node:fs/promises';
import { ipv4, ipv6 } from './flowdecode/bytes';
import { BulkheadError } from '../lib/errors';

export interface CapturedDatagram {
  /** capture time, epoch ms */
  time: number;
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
  payload: Uint8Array;
}

export interface CaptureStats {
  /** packets in the file */
  packets: number;
  /** UDP datagrams yielded */
  datagrams: number;
  /** packets that are not UDP over IP (or of a link type not read) */
  skipped: number;
  /** problems found (truncated records, unknown link types), with where */
  problems: string[];
  /** bytes of the file read so far */
  bytes?: number;
}

/** A capture file that cannot be read (not pcap or pcapng, cut short where it cannot be). */
export class CaptureError extends BulkheadError {
  override name = 'CaptureError';
  constructor(message: string) {
    super('invalid', message);
  }
}

const CHUNK = 4 << 20;

/** A forward-only reader over a file handle that keeps at least `n` bytes available on demand. */
class ChunkReader {
  private buf = Buffer.alloc(0);
  private pos = 0;
  private eof = false;
  offset = 0; // file offset of buf[pos]

  constructor(private readonly fh: import('node:fs/promises').FileHandle) {}

  /** Make n bytes available at `pos`; false at end of file. */
  async need(n: number): Promise<boolean> {
    while (this.buf.length - this.pos < n) {
      if (this.eof) return false;
      const rest = this.buf.subarray(this.pos);
      const chunk = Buffer.allocUnsafe(Math.max(CHUNK, n));
      const { bytesRead } = await this.fh.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) this.eof = true;
      this.buf = Buffer.concat([rest, chunk.subarray(0, bytesRead)]);
      this.pos = 0;
    }
    return true;
  }

  view(n: number): Buffer {
    return this.buf.subarray(this.pos, this.pos + n);
  }

  skip(n: number) {
    this.pos += n;
    this.offset += n;
  }

  get remaining() {
    return this.buf.length - this.pos;
  }
}

const LINK_NULL = 0;
const LINK_ETHERNET = 1;
const LINK_RAW = 101;
const LINK_RAW_ALT = [12, 14];
const LINK_LOOP = 108;
const LINK_SLL = 113;
const LINK_IPV4 = 228;
const LINK_IPV6 = 229;
const LINK_SLL2 = 276;

interface Fragment {
  parts: Array<{ offset: number; data: Uint8Array }>;
  total: number;
  first: Uint8Array | null;
  time: number;
}

/** Decodes link, network and transport layers of captured packets into UDP datagrams. */
class PacketDecoder {
  private fragments = new Map<string, Fragment>();

  constructor(
    private readonly stats: CaptureStats,
    private readonly where: string,
  ) {}

  decode(linkType: number, p: Uint8Array, time: number): CapturedDatagram | null {
    let o = 0;
    let etherType = -1;
    switch (linkType) {
      case LINK_ETHERNET:
        if (p.length < 14) return this.skip();
        etherType = (p[12]! << 8) | p[13]!;
        o = 14;
        while ((etherType === 0x8100 || etherType === 0x88a8) && o + 4 <= p.length) {
          etherType = (p[o + 2]! << 8) | p[o + 3]!;
          o += 4;
        }
        break;
      case LINK_NULL:
      case LINK_LOOP:
        o = 4;
        etherType = -2; // decide by the IP version nibble
        break;
      case LINK_RAW:
      case LINK_IPV4:
      case LINK_IPV6:
        etherType = -2;
        break;
      case LINK_SLL:
        if (p.length < 16) return this.skip();
        etherType = (p[14]! << 8) | p[15]!;
        o = 16;
        break;
      case LINK_SLL2:
        if (p.length < 20) return this.skip();
        etherType = (p[0]! << 8) | p[1]!;
        o = 20;
        break;
      default:
        if (LINK_RAW_ALT.includes(linkType)) etherType = -2;
        else return this.skip();
    }
    if (etherType === -2 && o < p.length) etherType = p[o]! >> 4 === 6 ? 0x86dd : 0x0800;
    if (etherType === 0x0800) return this.ipv4(p, o, time);
    if (etherType === 0x86dd) return this.ipv6(p, o, time);
    return this.skip();
  }

  private skip(): null {
    this.stats.skipped++;
    return null;
  }

  private ipv4(p: Uint8Array, o: number, time: number): CapturedDatagram | null {
    if (o + 20 > p.length || p[o]! >> 4 !== 4) return this.skip();
    const ihl = (p[o]! & 0x0f) * 4;
    const total = Math.min((p[o + 2]! << 8) | p[o + 3]!, p.length - o);
    if (ihl < 20 || total < ihl) return this.skip();
    if (p[o + 9] !== 17) return this.skip();
    const src = ipv4(p, o + 12);
    const dst = ipv4(p, o + 16);
    const flags = (p[o + 6]! << 8) | p[o + 7]!;
    const more = (flags & 0x2000) !== 0;
    const fragOffset = (flags & 0x1fff) * 8;
    let l4 = p.subarray(o + ihl, o + total);
    if (more || fragOffset > 0) {
      const id = (p[o + 4]! << 8) | p[o + 5]!;
      const assembled = this.reassemble(`${src}|${dst}|${id}`, fragOffset, more, l4, time);
      if (!assembled) return null;
      l4 = assembled;
    }
    return this.udp(l4, src, dst, time);
  }

  private reassemble(key: string, offset: number, more: boolean, data: Uint8Array, time: number): Uint8Array | null {
    let f = this.fragments.get(key);
    if (!f) {
      if (this.fragments.size > 1024) {
        this.fragments.clear();
        this.stats.problems.push(`${this.where}: too many incomplete IPv4 fragment chains; some were dropped`);
      }
      f = { parts: [], total: -1, first: null, time };
      this.fragments.set(key, f);
    }
    f.parts.push({ offset, data: Uint8Array.from(data) });
    if (!more) f.total = offset + data.length;
    if (f.total < 0) return null;
    const have = f.parts.reduce((s, x) => s + x.data.length, 0);
    if (have < f.total) return null;
    const out = new Uint8Array(f.total);
    for (const part of f.parts) out.set(part.data.subarray(0, Math.max(0, f.total - part.offset)), part.offset);
    this.fragments.delete(key);
    return out;
  }

  private ipv6(p: Uint8Array, o: number, time: number): CapturedDatagram | null {
    if (o + 40 > p.length || p[o]! >> 4 !== 6) return this.skip();
    let next = p[o + 6]!;
    const payloadLength = (p[o + 4]! << 8) | p[o + 5]!;
    const end = Math.min(o + 40 + payloadLength, p.length);
    let q = o + 40;
    for (let hops = 0; hops < 8 && (next === 0 || next === 43 || next === 60) && q + 8 <= end; hops++) {
      next = p[q]!;
      q += (p[q + 1]! + 1) * 8;
    }
    if (next !== 17) return this.skip();
    return this.udp(p.subarray(q, end), ipv6(p, o + 8), ipv6(p, o + 24), time);
  }

  private udp(l4: Uint8Array, src: string, dst: string, time: number): CapturedDatagram | null {
    if (l4.length < 8) return this.skip();
    const length = (l4[4]! << 8) | l4[5]!;
    const payloadEnd = length >= 8 && length <= l4.length ? length : l4.length;
    return { time, srcAddr: src, srcPort: (l4[0]! << 8) | l4[1]!, dstAddr: dst, dstPort: (l4[2]! << 8) | l4[3]!, payload: l4.subarray(8, payloadEnd) };
  }
}

/**
 * The UDP datagrams of a pcap or pcapng file, in file order. `stats` is filled as it goes.
 * Payloads are views into a reused buffer: copy what you keep past the next iteration.
 */
export async function* readCapture(path: string, stats: CaptureStats = { packets: 0, datagrams: 0, skipped: 0, problems: [] }): AsyncGenerator<CapturedDatagram> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new CaptureError(`${path}: cannot be read: ${(e as Error).message}`);
  }
  try {
    const r = new ChunkReader(fh);
    if (!(await r.need(4))) throw new CaptureError(`${path}: empty file, not a capture`);
    const magic = r.view(4).readUInt32LE(0);
    if (magic === 0x0a0d0d0a) yield* readPcapng(r, path, stats);
    else yield* readPcap(r, path, stats, magic);
  } finally {
    await fh.close();
  }
}

async function* readPcap(r: ChunkReader, path: string, stats: CaptureStats, magic: number): AsyncGenerator<CapturedDatagram> {
  let le: boolean;
  let nano: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) le = true;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) le = false;
  else throw new CaptureError(`${path}: not a pcap or pcapng capture (magic ${magic.toString(16).padStart(8, '0')})`);
  nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  if (!(await r.need(24))) throw new CaptureError(`${path}: truncated pcap header`);
  const h = r.view(24);
  const linkType = (le ? h.readUInt32LE(20) : h.readUInt32BE(20)) & 0x0fffffff;
  r.skip(24);
  const dec = new PacketDecoder(stats, path);
  for (;;) {
    if (!(await r.need(16))) {
      if (r.remaining > 0) stats.problems.push(`${path}: ${r.remaining} bytes of a truncated record header at the end`);
      return;
    }
    const rh = r.view(16);
    const sec = le ? rh.readUInt32LE(0) : rh.readUInt32BE(0);
    const frac = le ? rh.readUInt32LE(4) : rh.readUInt32BE(4);
    const incl = le ? rh.readUInt32LE(8) : rh.readUInt32BE(8);
    if (incl > 262144 * 4) throw new CaptureError(`${path}: record at byte ${r.offset} claims ${incl} bytes; the file is damaged`);
    const recordOffset = r.offset;
    r.skip(16);
    if (!(await r.need(incl))) {
      stats.problems.push(`${path}: the last record (at byte ${recordOffset}) is truncated`);
      return;
    }
    stats.packets++;
    stats.bytes = r.offset;
    const time = sec * 1000 + (nano ? frac / 1e6 : frac / 1e3);
    const d = dec.decode(linkType, r.view(incl), time);
    r.skip(incl);
    if (d) {
      stats.datagrams++;
      yield d;
    }
  }
}

async function* readPcapng(r: ChunkReader, path: string, stats: CaptureStats): AsyncGenerator<CapturedDatagram> {
  let le = true;
  const ifaces: Array<{ linkType: number; tsDiv: number }> = [];
  const dec = new PacketDecoder(stats, path);
  for (;;) {
    if (!(await r.need(12))) {
      if (r.remaining > 0) stats.problems.push(`${path}: ${r.remaining} bytes of a truncated block at the end`);
      return;
    }
    let bh = r.view(12);
    const type = bh.readUInt32LE(0);
    if (type === 0x0a0d0d0a) {
      const bom = bh.readUInt32LE(8);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new CaptureError(`${path}: pcapng section at byte ${r.offset} has an unknown byte-order mark`);
      ifaces.length = 0;
    }
    const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const blockType = u32(bh, 0);
    const length = u32(bh, 4);
    if (length < 12 || length % 4 !== 0 || length > 64 << 20) throw new CaptureError(`${path}: pcapng block at byte ${r.offset} has length ${length}; the file is damaged`);
    const blockOffset = r.offset;
    if (!(await r.need(length))) {
      stats.problems.push(`${path}: the last block (at byte ${blockOffset}) is truncated`);
      return;
    }
    bh = r.view(length);
    stats.bytes = r.offset;
    if (blockType === 1) {
      // Interface description: link type, then options; if_tsresol (9) sets the time unit.
      const linkType = le ? bh.readUInt16LE(8) : bh.readUInt16BE(8);
      let tsDiv = 1000; // microseconds by default
      let o = 16;
      while (o + 4 <= length - 4) {
        const code = le ? bh.readUInt16LE(o) : bh.readUInt16BE(o);
        const olen = le ? bh.readUInt16LE(o + 2) : bh.readUInt16BE(o + 2);
        if (code === 0) break;
        if (code === 9 && olen >= 1) {
          const v = bh[o + 4]!;
          const perSecond = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** (v & 0x7f);
          tsDiv = perSecond / 1000;
        }
        o += 4 + Math.ceil(olen / 4) * 4;
      }
      ifaces.push({ linkType, tsDiv });
    } else if (blockType === 6 || blockType === 2) {
      // Enhanced packet (6) and the obsolete packet block (2): interface, time, captured length.
      const ifId = blockType === 6 ? u32(bh, 8) : le ? bh.readUInt16LE(8) : bh.readUInt16BE(8);
      const hi = u32(bh, 12);
      const lo = u32(bh, 16);
      const caplen = Math.min(u32(bh, 20), length - 32);
      const iface = ifaces[ifId];
      stats.packets++;
      if (!iface) stats.problems.push(`${path}: packet at byte ${blockOffset} names interface ${ifId}, which was not described`);
      else {
        const time = (hi * 4294967296 + lo) / iface.tsDiv;
        const d = dec.decode(iface.linkType, bh.subarray(28, 28 + caplen), time);
        if (d) {
          r.skip(length);
          stats.datagrams++;
          yield d;
          continue;
        }
      }
    } else if (blockType === 3) {
      // Simple packet block: no time; interface 0.
      const iface = ifaces[0];
      stats.packets++;
      if (iface) {
        const caplen = Math.min(u32(bh, 8), length - 16);
        const d = dec.decode(iface.linkType, bh.subarray(12, 12 + caplen), 0);
        if (d) {
          r.skip(length);
          stats.datagrams++;
          yield d;
          continue;
        }
      }
    }
    r.skip(length);
  }
}
