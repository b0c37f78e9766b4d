// NetFlow v5: a 24-byte header and up to 30 fixed 48-byte records.
import { ipv4, u16, u32 } from './bytes';
import { sequenceCheck } from './sequence';
import type { DecoderState } from './state';
import { DecodedFlow, type DatagramSource, type DecodeResult } from './types';

const HEADER = 24;
const RECORD = 48;

export function decodeNetflow5(b: Uint8Array, src: DatagramSource, state: DecoderState, r: DecodeResult): void {
  r.version = 'netflow5';
  if (b.length < HEADER) {
    r.errors.push({ code: 'truncated', message: `NetFlow v5: ${b.length} bytes, shorter than the 24-byte header`, offset: 0 });
    return;
  }
  const count = u16(b, 2);
  const sysUptime = u32(b, 4);
  const exportMs = u32(b, 8) * 1000 + Math.floor(u32(b, 12) / 1_000_000);
  const sequence = u32(b, 16);
  const domainId = (b[20]! << 8) | b[21]!; // engine type, engine id
  const samplingField = u16(b, 22);
  // Top two bits: sampling mode; the other 14: the interval.
  const sampling = samplingField & 0x3fff;
  if (count === 0 || count > 30) {
    r.errors.push({ code: 'malformed', message: `NetFlow v5: header count ${count} (1-30 records allowed)`, offset: 2 });
    if (count === 0) return;
  }
  const fit = Math.floor((b.length - HEADER) / RECORD);
  const n = Math.min(count, fit);
  if (n < count) r.errors.push({ code: 'truncated', message: `NetFlow v5: header announces ${count} records, the datagram holds ${fit}`, offset: HEADER + fit * RECORD });
  for (let i = 0; i < n; i++) {
    const o = HEADER + i * RECORD;
    const f = new DecodedFlow('netflow5', src.address, domainId);
    f.srcAddr = ipv4(b, o);
    f.dstAddr = ipv4(b, o + 4);
    f.inIf = u16(b, o + 12);
    f.outIf = u16(b, o + 14);
    f.packets = u32(b, o + 16);
    f.bytes = u32(b, o + 20);
    // First/Last are sysUptime milliseconds; the signed difference survives the 49-day wrap.
    f.start = exportMs - ((sysUptime - u32(b, o + 24)) | 0);
    f.end = exportMs - ((sysUptime - u32(b, o + 28)) | 0);
    f.srcPort = u16(b, o + 32);
    f.dstPort = u16(b, o + 34);
    f.tcpFlags = b[o + 37]!;
    f.protocol = b[o + 38]!;
    if (sampling > 1) f.samplingRate = sampling;
    if (state.opts.extras) {
      const ex: Record<string, string> = {};
      const nextHop = ipv4(b, o + 8);
      if (nextHop !== '0.0.0.0') ex.ipNextHopIPv4Address = nextHop;
      if (b[o + 39]) ex.ipClassOfService = String(b[o + 39]);
      const srcAs = u16(b, o + 40);
      const dstAs = u16(b, o + 42);
      if (srcAs) ex.bgpSourceAsNumber = String(srcAs);
      if (dstAs) ex.bgpDestinationAsNumber = String(dstAs);
      if (b[o + 44]) ex.sourceIPv4PrefixLength = String(b[o + 44]);
      if (b[o + 45]) ex.destinationIPv4PrefixLength = String(b[o + 45]);
      for (const _ in ex) {
        f.extras = state.filterExtras(ex);
        break;
      }
    }
    r.records.push(f);
  }
  const session = state.session(src.address, src.port, src.receivedAt);
  const rep = sequenceCheck(session.domain(domainId), sequence, n, n, false);
  if (rep) r.sequence.push({ unit: 'flows', lost: rep.lost, reset: rep.reset });
}
