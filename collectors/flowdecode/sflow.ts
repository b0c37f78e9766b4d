// sFlow version 5 (sflow.org/sflow_version_5.txt): flow samples and expanded flow samples
// become one flow each (one sampled packet, with the sampling rate); counter samples are counted.
// All quantities are 32-bit big-endian; opaque data is padded to 4 bytes.
import { ipv4, ipv6, mac, u32 } from './bytes';
import { parseHeader, HEADER_ETHERNET, HEADER_IPV4, HEADER_IPV6 } from './packet';
import { sequenceCheck } from './sequence';
import type { DecoderState, DomainState } from './state';
import { DecodedFlow, type DatagramSource, type DecodeResult } from './types';

const FLOW_SAMPLE = 1;
const COUNTER_SAMPLE = 2;
const FLOW_SAMPLE_EXPANDED = 3;
const COUNTER_SAMPLE_EXPANDED = 4;

const RAW_HEADER = 1;
const ETHERNET_DATA = 2;
const IPV4_DATA = 3;
const IPV6_DATA = 4;
const EXT_SWITCH = 1001;
const EXT_ROUTER = 1002;
const EXT_GATEWAY = 1003;

/** Interface values: top 2 bits say what the rest is (0 ifIndex, 1 discarded, 2 several interfaces). */
function iface(v: number, f: DecodedFlow, which: 'in' | 'out', extras: boolean) {
  const format = v >>> 30;
  const value = v & 0x3fffffff;
  if (format === 0) {
    if (value !== 0x3fffffff) {
      if (which === 'in') f.inIf = value;
      else f.outIf = value;
    }
  } else if (extras && which === 'out') {
    (f.extras ??= {})[format === 1 ? 'discardReason' : 'outputInterfaces'] = String(value);
  }
}

export function decodeSflow(b: Uint8Array, src: DatagramSource, state: DecoderState, r: DecodeResult): void {
  r.version = 'sflow5';
  const err = (message: string, offset: number, code: 'truncated' | 'malformed' | 'version' = 'truncated') => r.errors.push({ code, message: `sFlow: ${message}`, offset });
  if (b.length < 28) return void err(`${b.length} bytes, shorter than a datagram header`, 0);
  const version = u32(b, 0);
  if (version !== 5) return void err(`version ${version}; only version 5 is read`, 0, 'version');
  const agentType = u32(b, 4);
  let off = 8;
  let agent: string;
  if (agentType === 1) {
    agent = ipv4(b, off);
    off += 4;
  } else if (agentType === 2) {
    if (b.length < 40) return void err('IPv6 agent address past the end', off);
    agent = ipv6(b, off);
    off += 16;
  } else return void err(`agent address type ${agentType} (1 IPv4, 2 IPv6)`, 4, 'malformed');
  if (off + 16 > b.length) return void err('header ends early', off);
  const subAgent = u32(b, off);
  const sequence = u32(b, off + 4);
  const samples = u32(b, off + 12);
  off += 16;
  const session = state.session(src.address, src.port, src.receivedAt);
  const d = session.domain(subAgent);
  const rep = sequenceCheck(d, sequence, 1, 1, false);
  if (rep) r.sequence.push({ unit: 'datagrams', lost: rep.lost, reset: rep.reset });
  const agentExtra = agent !== src.address ? agent : '';

  for (let i = 0; i < samples; i++) {
    if (off + 8 > b.length) return void err(`sample ${i + 1} of ${samples} missing`, off);
    const tag = u32(b, off);
    const length = u32(b, off + 4);
    const body = off + 8;
    const end = body + length;
    if (end > b.length || length % 4) return void err(`sample ${i + 1} claims ${length} bytes, ${b.length - body} remain`, off + 4);
    const enterprise = tag >>> 12;
    const format = tag & 0xfff;
    if (enterprise === 0 && (format === FLOW_SAMPLE || format === FLOW_SAMPLE_EXPANDED)) {
      flowSample(b, body, end, format === FLOW_SAMPLE_EXPANDED, src, subAgent, agentExtra, d, state, r);
    } else if (enterprise === 0 && (format === COUNTER_SAMPLE || format === COUNTER_SAMPLE_EXPANDED)) {
      r.counterSamples++;
    }
    off = end;
  }
}

function flowSample(b: Uint8Array, off: number, end: number, expanded: boolean, src: DatagramSource, subAgent: number, agent: string, d: DomainState, state: DecoderState, r: DecodeResult) {
  const need = expanded ? 44 : 32;
  if (off + need > end) {
    r.errors.push({ code: 'truncated', message: `sFlow: ${expanded ? 'expanded ' : ''}flow sample of ${end - off} bytes, shorter than its ${need}-byte header`, offset: off });
    return;
  }
  const f = new DecodedFlow('sflow5', src.address, subAgent);
  const extras = state.opts.extras;
  const sampleSeq = u32(b, off);
  let sourceId: number;
  let p = off + 4;
  if (expanded) {
    sourceId = u32(b, p) * 0x1000000 + (u32(b, p + 4) & 0xffffff);
    p += 8;
  } else {
    sourceId = u32(b, p);
    p += 4;
  }
  const rate = u32(b, p);
  p += 12; // sampling rate, sample pool, drops
  if (expanded) {
    if (u32(b, p) === 0) f.inIf = u32(b, p + 4);
    const outFormat = u32(b, p + 8);
    const outValue = u32(b, p + 12);
    if (outFormat === 0) f.outIf = outValue;
    else if (extras) (f.extras ??= {})[outFormat === 1 ? 'discardReason' : 'outputInterfaces'] = String(outValue);
    p += 16;
  } else {
    iface(u32(b, p), f, 'in', extras);
    iface(u32(b, p + 4), f, 'out', extras);
    p += 8;
  }
  const records = u32(b, p);
  p += 4;
  // Sample sequence numbers per source: a gap is sampled packets lost between agent and collector.
  const expected = d.sampleSeq.get(sourceId);
  if (expected !== undefined && sampleSeq !== expected) {
    const gap = (sampleSeq - expected) >>> 0;
    r.sequence.push(gap < 1 << 24 ? { unit: 'samples', lost: gap, reset: false } : { unit: 'samples', lost: 0, reset: true });
  }
  if (d.sampleSeq.size < 65536 || expected !== undefined) d.sampleSeq.set(sourceId, (sampleSeq + 1) >>> 0);

  f.start = f.end = src.receivedAt;
  f.packets = 1;
  if (rate > 1) f.samplingRate = rate;
  let haveHeader = false;
  let haveIp = false;
  for (let i = 0; i < records; i++) {
    if (p + 8 > end) {
      r.errors.push({ code: 'truncated', message: `sFlow: flow record ${i + 1} of ${records} missing in sample ${sampleSeq}`, offset: p });
      return;
    }
    const tag = u32(b, p);
    const len = u32(b, p + 4);
    const body = p + 8;
    const rend = body + len;
    if (rend > end) {
      r.errors.push({ code: 'truncated', message: `sFlow: flow record ${tag & 0xfff} claims ${len} bytes, ${end - body} remain in sample ${sampleSeq}`, offset: p + 4 });
      return;
    }
    if (tag >>> 12 === 0) {
      const format = tag & 0xfff;
      if (format === RAW_HEADER && len >= 16) {
        const proto = u32(b, body);
        const frameLength = u32(b, body + 4);
        const headerLength = u32(b, body + 12);
        const h = body + 16;
        const hend = Math.min(h + headerLength, rend);
        const kind = proto === 1 ? HEADER_ETHERNET : proto === 11 ? HEADER_IPV4 : proto === 12 ? HEADER_IPV6 : 0;
        const ipLength = kind ? parseHeader(b, h, hend, kind, f) : 0;
        if (ipLength > 0) {
          haveHeader = true;
          f.bytes = ipLength;
        } else if (!haveIp) f.bytes = frameLength;
        if (kind === HEADER_ETHERNET && extras && hend - h >= 12) {
          (f.extras ??= {}).sourceMacAddress = mac(b, h + 6);
          f.extras.destinationMacAddress = mac(b, h);
        }
      } else if (format === IPV4_DATA && len >= 32 && !haveHeader) {
        f.bytes = u32(b, body);
        f.protocol = u32(b, body + 4) & 0xff;
        f.srcAddr = ipv4(b, body + 8);
        f.dstAddr = ipv4(b, body + 12);
        f.srcPort = u32(b, body + 16) & 0xffff;
        f.dstPort = u32(b, body + 20) & 0xffff;
        f.tcpFlags = u32(b, body + 24) & 0xff;
        haveIp = true;
      } else if (format === IPV6_DATA && len >= 56 && !haveHeader) {
        f.bytes = u32(b, body);
        f.protocol = u32(b, body + 4) & 0xff;
        f.srcAddr = ipv6(b, body + 8);
        f.dstAddr = ipv6(b, body + 24);
        f.srcPort = u32(b, body + 40) & 0xffff;
        f.dstPort = u32(b, body + 44) & 0xffff;
        f.tcpFlags = u32(b, body + 48) & 0xff;
        haveIp = true;
      } else if (format === ETHERNET_DATA && len >= 20 && extras) {
        (f.extras ??= {}).sourceMacAddress ??= mac(b, body + 4);
        f.extras.destinationMacAddress ??= mac(b, body + 12);
      } else if (format === EXT_SWITCH && len >= 16) {
        const vlan = u32(b, body) & 0x0fff;
        if (f.vlan === 0) f.vlan = vlan;
        const dstVlan = u32(b, body + 8) & 0x0fff;
        if (extras && dstVlan && dstVlan !== vlan) (f.extras ??= {}).postVlanId = String(dstVlan);
      } else if (format === EXT_ROUTER && len >= 16 && extras) {
        const t = u32(b, body);
        const hop = t === 1 ? ipv4(b, body + 4) : t === 2 && len >= 28 ? ipv6(b, body + 4) : '';
        if (hop) (f.extras ??= {}).ipNextHopAddress = hop;
      } else if (format === EXT_GATEWAY && len >= 28 && extras) {
        const t = u32(b, body);
        const q = body + (t === 2 ? 20 : 8);
        if (q + 12 <= rend) {
          const ex = (f.extras ??= {});
          ex.bgpExporterAsNumber = String(u32(b, q));
          ex.bgpSourceAsNumber = String(u32(b, q + 4));
          ex.bgpPeerAsNumber = String(u32(b, q + 8));
          // The destination AS is the last of the AS path, when there is one.
          let s = q + 12;
          if (s + 4 <= rend) {
            const segments = u32(b, s);
            s += 4;
            let last = -1;
            for (let k = 0; k < segments && s + 8 <= rend; k++) {
              const count = u32(b, s + 4);
              s += 8;
              if (count > 0 && s + count * 4 <= rend) last = u32(b, s + (count - 1) * 4);
              s += count * 4;
            }
            if (last >= 0) ex.bgpDestinationAsNumber = String(last);
          }
        }
      }
    }
    p = rend;
  }
  if (!haveHeader && !haveIp) return; // nothing to make a flow of (e.g. a non-IP frame)
  if (agent && extras) (f.extras ??= {}).agentAddress = agent;
  f.extras = state.filterExtras(f.extras);
  r.records.push(f);
}
