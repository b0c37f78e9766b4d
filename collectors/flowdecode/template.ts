// Templates (NetFlow v9 and IPFIX): compiling a template into fields that know what they fill,
// decoding data records with it, and applying options data (sampling rates, system init time).
import { hex, int, ipv4, ipv6, mac, text, u16, uint } from './bytes';
import { elementInfo, PEN, type ElementType } from './elements';
import { parseHeader, HEADER_ETHERNET, HEADER_IPV4, HEADER_IPV6 } from './packet';
import type { DomainState, Template, TemplateField } from './state';
import { DecodedFlow, type DecodeError, type FlowVersion } from './types';

// What a field fills. EXTRA goes to extras by name; IGNORE is dropped (padding).
const EXTRA = 0;
const IGNORE = 1;
const SRC4 = 2;
const DST4 = 3;
const SRC6 = 4;
const DST6 = 5;
const SPORT = 6;
const DPORT = 7;
const PROTO = 8;
const BYTES = 9;
const PKTS = 10;
const BYTES_TOTAL = 11;
const PKTS_TOTAL = 12;
const RBYTES = 13;
const RPKTS = 14;
const FLAGS = 15;
const RFLAGS = 16;
const INIT_OCTETS = 17;
const RESP_OCTETS = 18;
const INIT_PKTS = 19;
const RESP_PKTS = 20;
const START_UP = 21;
const END_UP = 22;
const START_S = 23;
const END_S = 24;
const START_MS = 25;
const END_MS = 26;
const START_NTP = 27;
const END_NTP = 28;
const START_DUS = 29;
const END_DUS = 30;
const SYSINIT = 31;
const DUR_MS = 32;
const DUR_US = 33;
const S_INTERVAL = 34;
const S_ID = 35;
const S_PKT_INTERVAL = 36;
const S_PKT_SPACE = 37;
const S_SIZE = 38;
const S_POPULATION = 39;
const S_PROBABILITY = 40;
const IN_IF = 41;
const OUT_IF = 42;
const IN_PHYS = 43;
const OUT_PHYS = 44;
const VLAN = 45;
const DIRECTION = 46;
const BIFLOW_DIRECTION = 47;
const ICMP_TYPECODE = 48;
const ICMP_TYPE = 49;
const ICMP_CODE = 50;
const FRAME = 51;
const FRAME_SIZE = 52;
const IP_HEADER = 53;
const VM_UUID = 54;
const VM_DIRECTION = 55;
const VIF = 56;
const OBS_ID = 57;
const CLIENT = 58;
const SERVER = 59;

/** The kind of an IANA element (pen 0) by id, with the length it needs (0 = any 1-8 byte integer). */
const IANA_KINDS: Record<number, [number, number]> = {
  8: [SRC4, 4], 12: [DST4, 4], 27: [SRC6, 16], 28: [DST6, 16],
  7: [SPORT, 0], 180: [SPORT, 0], 182: [SPORT, 0], 11: [DPORT, 0], 181: [DPORT, 0], 183: [DPORT, 0],
  4: [PROTO, 0], 1: [BYTES, 0], 2: [PKTS, 0], 85: [BYTES_TOTAL, 0], 86: [PKTS_TOTAL, 0], 6: [FLAGS, 0],
  231: [INIT_OCTETS, 0], 232: [RESP_OCTETS, 0], 298: [INIT_PKTS, 0], 299: [RESP_PKTS, 0],
  22: [START_UP, 4], 21: [END_UP, 4], 150: [START_S, 4], 151: [END_S, 4], 152: [START_MS, 8], 153: [END_MS, 8],
  154: [START_NTP, 8], 155: [END_NTP, 8], 156: [START_NTP, 8], 157: [END_NTP, 8], 158: [START_DUS, 0], 159: [END_DUS, 0],
  160: [SYSINIT, 8], 161: [DUR_MS, 0], 162: [DUR_US, 0],
  34: [S_INTERVAL, 0], 50: [S_INTERVAL, 0], 48: [S_ID, 0], 302: [S_ID, 0], 305: [S_PKT_INTERVAL, 0], 306: [S_PKT_SPACE, 0],
  309: [S_SIZE, 0], 310: [S_POPULATION, 0], 311: [S_PROBABILITY, 8],
  10: [IN_IF, 0], 14: [OUT_IF, 0], 252: [IN_PHYS, 0], 253: [OUT_PHYS, 0], 58: [VLAN, 0], 243: [VLAN, 0],
  61: [DIRECTION, 0], 239: [BIFLOW_DIRECTION, 0], 32: [ICMP_TYPECODE, 0], 139: [ICMP_TYPECODE, 0],
  176: [ICMP_TYPE, 0], 178: [ICMP_TYPE, 0], 177: [ICMP_CODE, 0], 179: [ICMP_CODE, 0],
  315: [FRAME, -1], 312: [FRAME_SIZE, 0], 313: [IP_HEADER, -1], 210: [IGNORE, -1], 60: [IGNORE, -1],
};
const REVERSE_KINDS: Record<number, [number, number]> = { 1: [RBYTES, 0], 2: [RPKTS, 0], 85: [RBYTES, 0], 86: [RPKTS, 0], 6: [RFLAGS, 0] };
const VMWARE_KINDS: Record<number, [number, number]> = { 951: [VM_UUID, -1], 954: [VM_DIRECTION, 0], 960: [VIF, -1], 961: [VIF, -1], 898: [OBS_ID, -1] };
const CISCO_KINDS: Record<number, [number, number]> = { 12236: [CLIENT, 4], 12238: [CLIENT, 16], 12237: [SERVER, 4], 12239: [SERVER, 16] };

function kindOf(id: number, pen: number, length: number): number {
  const entry = pen === 0 ? IANA_KINDS[id] : pen === PEN.reverse ? REVERSE_KINDS[id] : pen === PEN.vmware ? VMWARE_KINDS[id] : pen === PEN.cisco ? CISCO_KINDS[id] : undefined;
  if (!entry) return EXTRA;
  const [kind, need] = entry;
  if (need === -1) return kind; // any length, variable included
  if (need === 0) return length >= 1 && length <= 8 ? kind : EXTRA; // an integer of reduced size
  return length === need ? kind : EXTRA;
}

export interface FieldSpec {
  id: number;
  pen: number;
  length: number;
}

/** Compile a template definition; null with a reason when it cannot be used. */
export function compileTemplate(id: number, specs: FieldSpec[], scopeCount: number, options: boolean, netflowV9: boolean, keepExtra: (name: string) => boolean = () => true): Template | string {
  if (specs.length === 0) return 'no fields';
  const fields: TemplateField[] = [];
  const seen = new Map<string, number>();
  let minLength = 0;
  let signature = `${options ? 'o' : 'd'}${scopeCount}`;
  for (const s of specs) {
    const info = elementInfo(s.id, s.pen, netflowV9);
    const n = (seen.get(info.name) ?? 0) + 1;
    seen.set(info.name, n);
    const name = n > 1 ? `${info.name}#${n}` : info.name;
    let kind = options ? EXTRA : kindOf(s.id, s.pen, s.length);
    // An element only extras would hold, and nobody wants: skipped without reading it.
    if (kind === EXTRA && !options && !keepExtra(name)) kind = IGNORE;
    fields.push({ id: s.id, pen: s.pen, length: s.length, kind, name, type: info.type });
    minLength += s.length === 65535 ? 1 : s.length;
    signature += `,${s.pen}:${s.id}:${s.length}`;
  }
  // Zero-length fields occur (a NetFlow v9 "system" scope), but a record needs at least one byte.
  if (minLength === 0) return 'every field has length 0';
  // A record must fit in a set of a UDP datagram.
  if (minLength > 65515) return `records of ${minLength} bytes cannot fit a datagram`;
  return { id, options, scopeCount, fields, minLength, variable: specs.some((s) => s.length === 65535), signature };
}

/** Everything a data record needs besides its bytes. */
export interface RecordContext {
  version: FlowVersion;
  exporter: string;
  domainId: number;
  domain: DomainState;
  /** export time of the message, epoch ms */
  exportMs: number;
  /** NetFlow v9 header sysUptime (ms), -1 for IPFIX */
  sysUptime: number;
  extras: boolean;
}

const NTP_EPOCH_OFFSET_S = 2208988800;
const TWO32 = 4294967296;

/**
 * An IPFIX sysUpTime value (32-bit ms since systemInitTime) as epoch ms. The counter wraps
 * every 49.7 days, and some exporters (softflowd reading a capture) encode times before their
 * init time as negative values modulo 2^32; the right reading is the latest candidate that is
 * not after the export time (with a minute of clock slack).
 */
function upTime(base: number, up: number, exportMs: number): number {
  const limit = exportMs + 60_000;
  let t = base + up + TWO32;
  while (t > limit && t >= base) t -= TWO32;
  return t;
}

/** NTP timestamp (seconds since 1900 + 2^-32 fractions) to epoch ms. */
function ntpMs(b: Uint8Array, o: number): number {
  const s = uint(b, o, 4);
  const frac = uint(b, o + 4, 4);
  // via whole microseconds, so that a fraction written for .300 s does not read as 299.999 ms
  return (s - NTP_EPOCH_OFFSET_S) * 1000 + Math.floor(Math.round((frac / TWO32) * 1e6) / 1000);
}

/**
 * Decode the data records of one set into `out`. Returns the number of records decoded; a
 * record that runs past the set ends the set with an error, keeping the records before it.
 */
export function decodeDataSet(b: Uint8Array, off: number, end: number, tpl: Template, ctx: RecordContext, out: DecodedFlow[], errors: DecodeError[]): number {
  let n = 0;
  const fields = tpl.fields;
  const nf = fields.length;
  const d = ctx.domain;
  const variable = tpl.variable;
  while (end - off >= tpl.minLength) {
    const f = new DecodedFlow(ctx.version, ctx.exporter, ctx.domainId);
    let startMs = -1;
    let endMs = -1;
    let startUp = -1;
    let endUp = -1;
    let startDus = -1;
    let endDus = -1;
    let durMs = -1;
    let sysInit = -1;
    let interval = 0;
    let samplerId = -1;
    let pktInterval = 0;
    let pktSpace = 0;
    let sSize = 0;
    let sPop = 0;
    let prob = 0;
    let haveBytes = false;
    let havePkts = false;
    let inPhys = 0;
    let outPhys = 0;
    let icmpType = -1;
    let icmpCode = 0;
    let frameOff = -1;
    let frameLen = 0;
    let frameKind = 0;
    let frameSize = 0;
    let vmUuid = '';
    let vmDirection = -1;
    let obsId = '';
    let client = '';
    let server = '';
    let truncated = false;
    for (let i = 0; i < nf; i++) {
      const fd = fields[i]!;
      let len = fd.length;
      // A template without variable-length fields has records of exactly minLength bytes, which
      // the loop condition already checked: only variable-length records check field by field.
      if (variable) {
        if (len === 65535) {
          if (off >= end) {
            truncated = true;
            break;
          }
          len = b[off]!;
          off++;
          if (len === 255) {
            if (off + 2 > end) {
              truncated = true;
              break;
            }
            len = u16(b, off);
            off += 2;
          }
        }
        if (off + len > end) {
          truncated = true;
          break;
        }
      }
      switch (fd.kind) {
        case SRC4:
          if (f.srcAddr === '' || f.srcAddr === '::') f.srcAddr = ipv4(b, off);
          break;
        case DST4:
          if (f.dstAddr === '' || f.dstAddr === '::') f.dstAddr = ipv4(b, off);
          break;
        case SRC6:
          // Templates with both address families carry zeros in the unused one.
          if (f.srcAddr === '' || f.srcAddr === '0.0.0.0') f.srcAddr = ipv6(b, off);
          break;
        case DST6:
          if (f.dstAddr === '' || f.dstAddr === '0.0.0.0') f.dstAddr = ipv6(b, off);
          break;
        case SPORT:
          f.srcPort = uint(b, off, len) & 0xffff;
          break;
        case DPORT:
          f.dstPort = uint(b, off, len) & 0xffff;
          break;
        case PROTO:
          f.protocol = uint(b, off, len) & 0xff;
          break;
        case BYTES:
          f.bytes = uint(b, off, len);
          haveBytes = true;
          break;
        case PKTS:
          f.packets = uint(b, off, len);
          havePkts = true;
          break;
        case BYTES_TOTAL:
          if (!haveBytes) f.bytes = uint(b, off, len);
          break;
        case PKTS_TOTAL:
          if (!havePkts) f.packets = uint(b, off, len);
          break;
        case RBYTES:
          f.revBytes = uint(b, off, len);
          f.biflow = true;
          break;
        case RPKTS:
          f.revPackets = uint(b, off, len);
          f.biflow = true;
          break;
        case FLAGS:
          f.tcpFlags = b[off + len - 1]!;
          break;
        case RFLAGS:
          f.revTcpFlags = b[off + len - 1]!;
          break;
        case INIT_OCTETS:
          f.bytes = uint(b, off, len);
          f.biflow = true;
          f.initiator = 'src';
          break;
        case RESP_OCTETS:
          f.revBytes = uint(b, off, len);
          f.biflow = true;
          break;
        case INIT_PKTS:
          f.packets = uint(b, off, len);
          f.biflow = true;
          f.initiator = 'src';
          break;
        case RESP_PKTS:
          f.revPackets = uint(b, off, len);
          f.biflow = true;
          break;
        case START_UP:
          startUp = uint(b, off, 4);
          break;
        case END_UP:
          endUp = uint(b, off, 4);
          break;
        case START_S:
          startMs = uint(b, off, 4) * 1000;
          break;
        case END_S:
          endMs = uint(b, off, 4) * 1000;
          break;
        case START_MS:
          startMs = uint(b, off, 8);
          break;
        case END_MS:
          endMs = uint(b, off, 8);
          break;
        case START_NTP:
          startMs = ntpMs(b, off);
          break;
        case END_NTP:
          endMs = ntpMs(b, off);
          break;
        case START_DUS:
          startDus = uint(b, off, len);
          break;
        case END_DUS:
          endDus = uint(b, off, len);
          break;
        case SYSINIT:
          sysInit = uint(b, off, 8);
          break;
        case DUR_MS:
          durMs = uint(b, off, len);
          break;
        case DUR_US:
          durMs = Math.floor(uint(b, off, len) / 1000);
          break;
        case S_INTERVAL:
          interval = uint(b, off, len);
          break;
        case S_ID:
          samplerId = uint(b, off, len);
          break;
        case S_PKT_INTERVAL:
          pktInterval = uint(b, off, len);
          break;
        case S_PKT_SPACE:
          pktSpace = uint(b, off, len);
          break;
        case S_SIZE:
          sSize = uint(b, off, len);
          break;
        case S_POPULATION:
          sPop = uint(b, off, len);
          break;
        case S_PROBABILITY:
          prob = new DataView(b.buffer, b.byteOffset + off, 8).getFloat64(0);
          break;
        case IN_IF:
          f.inIf = uint(b, off, len);
          break;
        case OUT_IF:
          f.outIf = uint(b, off, len);
          break;
        case IN_PHYS:
          inPhys = uint(b, off, len);
          if (ctx.extras) (f.extras ??= {})[fd.name] = String(inPhys);
          break;
        case OUT_PHYS:
          outPhys = uint(b, off, len);
          if (ctx.extras) (f.extras ??= {})[fd.name] = String(outPhys);
          break;
        case VLAN:
          if (f.vlan === 0) f.vlan = uint(b, off, len) & 0x0fff;
          break;
        case DIRECTION: {
          const v = uint(b, off, len);
          f.direction = v === 0 ? 'ingress' : v === 1 ? 'egress' : '';
          break;
        }
        case BIFLOW_DIRECTION: {
          const v = uint(b, off, len);
          if (v === 1) f.initiator = 'src';
          else if (v === 2) f.initiator = 'dst';
          break;
        }
        case ICMP_TYPECODE: {
          const v = uint(b, off, len);
          if (v) {
            icmpType = v >> 8;
            icmpCode = v & 0xff;
          }
          break;
        }
        case ICMP_TYPE:
          icmpType = uint(b, off, len);
          break;
        case ICMP_CODE:
          icmpCode = uint(b, off, len);
          break;
        case FRAME:
          frameOff = off;
          frameLen = len;
          frameKind = HEADER_ETHERNET;
          break;
        case IP_HEADER:
          if (frameOff < 0 && len > 0) {
            frameOff = off;
            frameLen = len;
            frameKind = b[off]! >> 4 === 6 ? HEADER_IPV6 : HEADER_IPV4;
          }
          break;
        case FRAME_SIZE:
          frameSize = uint(b, off, len);
          break;
        case VM_UUID:
          vmUuid = text(b, off, len);
          if (ctx.extras) (f.extras ??= {})[fd.name] = vmUuid;
          break;
        case VM_DIRECTION:
          vmDirection = uint(b, off, len);
          if (ctx.extras) (f.extras ??= {})[fd.name] = String(vmDirection);
          break;
        case VIF:
          f.interfaceId = fd.type === 's' ? text(b, off, len) : hex(b, off, len);
          break;
        case OBS_ID:
          obsId = text(b, off, len);
          if (ctx.extras) (f.extras ??= {})[fd.name] = obsId;
          break;
        case CLIENT:
          client = len === 4 ? ipv4(b, off) : ipv6(b, off);
          break;
        case SERVER:
          server = len === 4 ? ipv4(b, off) : ipv6(b, off);
          break;
        case IGNORE:
          break;
        default:
          if (ctx.extras) (f.extras ??= {})[fd.name] = formatValue(b, off, len, fd.type);
      }
      off += len;
    }
    if (truncated) {
      errors.push({ code: 'truncated', message: `${ctx.version} data record ${n + 1} of template ${tpl.id} runs past the end of its set`, offset: off });
      return n;
    }

    // A sampled frame (dataLinkFrameSection / ipHeaderPacketSection) stands for one packet.
    if (frameOff >= 0) {
      const ipLength = parseHeader(b, frameOff, frameOff + frameLen, frameKind, f);
      if (!havePkts) f.packets = 1;
      if (!haveBytes) f.bytes = ipLength || frameSize;
    }
    if (icmpType >= 0 && (f.protocol === 1 || f.protocol === 58) && f.dstPort === 0) f.dstPort = icmpType * 256 + icmpCode;
    if (f.inIf === 0 && inPhys) f.inIf = inPhys;
    if (f.outIf === 0 && outPhys) f.outIf = outPhys;
    if (f.srcAddr === '') f.srcAddr = f.dstAddr !== '' && f.dstAddr.includes(':') ? '::' : '0.0.0.0';
    if (f.dstAddr === '') f.dstAddr = f.srcAddr.includes(':') ? '::' : '0.0.0.0';

    // Times, strongest first: absolute, delta from export, sysUpTime-relative, export time.
    if (startMs < 0 && startDus >= 0) startMs = ctx.exportMs - Math.floor(startDus / 1000);
    if (endMs < 0 && endDus >= 0) endMs = ctx.exportMs - Math.floor(endDus / 1000);
    if (startUp >= 0 || endUp >= 0) {
      if (ctx.sysUptime >= 0) {
        // NetFlow v9: relative to the header's sysUptime; the signed difference survives the 49-day wrap.
        if (startUp >= 0 && startMs < 0) startMs = ctx.exportMs - ((ctx.sysUptime - startUp) | 0);
        if (endUp >= 0 && endMs < 0) endMs = ctx.exportMs - ((ctx.sysUptime - endUp) | 0);
      } else {
        const base = sysInit >= 0 ? sysInit : d.systemInitMs;
        if (base >= 0) {
          if (startUp >= 0 && startMs < 0) startMs = upTime(base, startUp, ctx.exportMs);
          if (endUp >= 0 && endMs < 0) endMs = upTime(base, endUp, ctx.exportMs);
        }
      }
    }
    if (durMs >= 0) {
      if (startMs < 0 && endMs >= 0) startMs = endMs - durMs;
      else if (endMs < 0 && startMs >= 0) endMs = startMs + durMs;
    }
    if (startMs < 0) startMs = endMs >= 0 ? endMs : ctx.exportMs;
    if (endMs < 0) endMs = startMs;
    f.start = startMs;
    f.end = endMs;

    // Sampling: the record's own, its sampler's, its interface's, the domain's.
    let rate = 0;
    if (interval > 0) rate = interval;
    else if (pktInterval > 0) rate = Math.round((pktInterval + pktSpace) / pktInterval);
    else if (sSize > 0 && sPop > 0) rate = Math.round(sPop / sSize);
    else if (prob > 0 && prob <= 1) rate = Math.round(1 / prob);
    else if (d.sampling.size > 0) {
      rate = (samplerId >= 0 ? d.sampling.get(`s${samplerId}`) : undefined) ?? d.sampling.get(`i${f.inIf}`) ?? d.sampling.get('') ?? 0;
    }
    if (rate > 1) f.samplingRate = rate > 4294967295 ? 4294967295 : rate;

    // VMware NSX: the VM is the source of what leaves its vNIC (egress) and the destination of what enters it.
    if (vmUuid) {
      if (vmDirection === 1) f.srcVm = vmUuid;
      else if (vmDirection === 0) f.dstVm = vmUuid;
    }
    if (obsId && f.interfaceId === '') f.interfaceId = obsId;
    if (client && f.initiator === '') {
      if (client === f.srcAddr) f.initiator = 'src';
      else if (client === f.dstAddr) f.initiator = 'dst';
    } else if (server && f.initiator === '') {
      if (server === f.dstAddr) f.initiator = 'src';
      else if (server === f.srcAddr) f.initiator = 'dst';
    }
    out.push(f);
    n++;
  }
  return n;
}

/** An element's value as text for extras, by its registry type. */
export function formatValue(b: Uint8Array, o: number, len: number, type: ElementType): string {
  switch (type) {
    case 'u':
      if (len <= 6) return String(uint(b, o, len));
      if (len <= 8) return (BigInt(uint(b, o, len - 4)) * 4294967296n + BigInt(uint(b, o + len - 4, 4))).toString();
      return hex(b, o, len);
    case 'i':
      return len <= 6 ? String(int(b, o, len)) : hex(b, o, len);
    case 'f':
      if (len === 4) return String(new DataView(b.buffer, b.byteOffset + o, 4).getFloat32(0));
      if (len === 8) return String(new DataView(b.buffer, b.byteOffset + o, 8).getFloat64(0));
      return hex(b, o, len);
    case 'b':
      return len === 1 ? (b[o] === 1 ? 'true' : b[o] === 2 ? 'false' : String(b[o])) : hex(b, o, len);
    case 'mac':
      return len === 6 ? mac(b, o) : hex(b, o, len);
    case 'ip4':
      return len === 4 ? ipv4(b, o) : hex(b, o, len);
    case 'ip6':
      return len === 16 ? ipv6(b, o) : hex(b, o, len);
    case 's':
      return text(b, o, len);
    case 'ts':
      return len === 4 ? isoTime(uint(b, o, 4) * 1000) : hex(b, o, len);
    case 'tms':
      return len === 8 ? isoTime(uint(b, o, 8)) : hex(b, o, len);
    case 'tus':
    case 'tns':
      return len === 8 ? isoTime(ntpMs(b, o)) : hex(b, o, len);
    default:
      // octets and structured lists (RFC 6313), which no field of the record needs: kept as hex.
      return hex(b, o, len > 512 ? 512 : len);
  }
}

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/**
 * Apply one options data record: sampling rates (per sampler, per interface, or for the whole
 * domain) and the system init time. Returns whether anything was learned.
 */
export function applyOptionsRecord(b: Uint8Array, off: number, end: number, tpl: Template, d: DomainState, netflowV9: boolean): { next: number; applied: boolean } | null {
  let interval = 0;
  let pktInterval = 0;
  let pktSpace = 0;
  let sSize = 0;
  let sPop = 0;
  let samplerId = -1;
  let ifIndex = -1;
  let applied = false;
  for (let i = 0; i < tpl.fields.length; i++) {
    const fd = tpl.fields[i]!;
    let len = fd.length;
    if (len === 65535) {
      if (off >= end) return null;
      len = b[off]!;
      off++;
      if (len === 255) {
        if (off + 2 > end) return null;
        len = u16(b, off);
        off += 2;
      }
    }
    if (off + len > end) return null;
    const isInt = len >= 1 && len <= 8;
    const v = isInt ? uint(b, off, len) : 0;
    const scope = i < tpl.scopeCount;
    if (netflowV9 && scope) {
      // NetFlow v9 scope types: 1 system, 2 interface, 3 line card, 4 cache, 5 template.
      if (fd.id === 2 && isInt) ifIndex = v;
    } else if (fd.pen === 0 && isInt) {
      switch (fd.id) {
        case 34:
        case 50:
          interval = v;
          break;
        case 48:
        case 302:
          samplerId = v;
          break;
        case 305:
          pktInterval = v;
          break;
        case 306:
          pktSpace = v;
          break;
        case 309:
          sSize = v;
          break;
        case 310:
          sPop = v;
          break;
        case 10:
          ifIndex = v;
          break;
        case 160:
          if (len === 8) {
            d.systemInitMs = v;
            applied = true;
          }
          break;
      }
    }
    off += len;
  }
  let rate = 0;
  if (interval > 0) rate = interval;
  else if (pktInterval > 0) rate = Math.round((pktInterval + pktSpace) / pktInterval);
  else if (sSize > 0 && sPop > 0) rate = Math.round(sPop / sSize);
  if (rate > 0) {
    const key = samplerId >= 0 ? `s${samplerId}` : ifIndex >= 0 ? `i${ifIndex}` : '';
    if (d.sampling.size < 65536 || d.sampling.has(key)) d.sampling.set(key, rate);
    applied = true;
  }
  return { next: off, applied };
}
