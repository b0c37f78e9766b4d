// Sampled packet headers (sFlow raw packet header records, IPFIX dataLinkFrameSection and
// ipHeaderPacketSection): Ethernet with 802.1Q/QinQ tags, MPLS (with or without a pseudowire
// control word), IPv4, IPv6 with its extension headers, TCP, UDP, SCTP, ICMP and ICMPv6. The
// outer packet makes the flow; a VXLAN or IP-in-IP inner packet is kept in extras.
import { ipv4, ipv6, u16 } from './bytes';
import type { DecodedFlow } from './types';

export const HEADER_ETHERNET = 1;
export const HEADER_IPV4 = 11;
export const HEADER_IPV6 = 12;

interface L3 {
  srcAddr: string;
  dstAddr: string;
  protocol: number;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  /** IP total length from the header (the packet's size even when the header was truncated) */
  length: number;
  /** where the L4 payload starts, or -1 */
  payload: number;
}

function extra(f: DecodedFlow, key: string, value: string) {
  (f.extras ??= {})[key] = value;
}

/**
 * Fill the flow's addresses, ports, protocol, TCP flags and VLAN from a header. Returns the IP
 * length of the packet (what NetFlow counts as bytes), or 0 when the header holds no IP packet.
 */
export function parseHeader(b: Uint8Array, o: number, end: number, kind: number, f: DecodedFlow): number {
  let l3: L3 | null = null;
  if (kind === HEADER_ETHERNET) l3 = ethernet(b, o, end, f, 0);
  else if (kind === HEADER_IPV4) l3 = ip4(b, o, end);
  else if (kind === HEADER_IPV6) l3 = ip6(b, o, end);
  if (!l3) return 0;
  f.srcAddr = l3.srcAddr;
  f.dstAddr = l3.dstAddr;
  f.protocol = l3.protocol;
  f.srcPort = l3.srcPort;
  f.dstPort = l3.dstPort;
  f.tcpFlags = l3.tcpFlags;
  if (l3.payload >= 0) inner(b, l3, end, f);
  return l3.length;
}

/** Ethernet and its 802.1Q/QinQ tags (the outer tag is the flow's VLAN), then IP or MPLS. */
function ethernet(b: Uint8Array, o: number, end: number, f: DecodedFlow, depth: number): L3 | null {
  if (o + 14 > end) return null;
  let type = u16(b, o + 12);
  let p = o + 14;
  let tags = 0;
  while ((type === 0x8100 || type === 0x88a8 || type === 0x9100) && p + 4 <= end) {
    const vid = u16(b, p) & 0x0fff;
    if (tags === 0 && depth === 0) f.vlan = vid;
    else if (tags === 1 && depth === 0) extra(f, 'dot1qCustomerVlanId', String(vid));
    tags++;
    type = u16(b, p + 2);
    p += 4;
  }
  if (type === 0x0800) return ip4(b, p, end);
  if (type === 0x86dd) return ip6(b, p, end);
  if (type === 0x8847 || type === 0x8848) return mpls(b, p, end, f, depth);
  return null;
}

function mpls(b: Uint8Array, o: number, end: number, f: DecodedFlow, depth: number): L3 | null {
  const labels: number[] = [];
  let p = o;
  for (;;) {
    if (p + 4 > end || labels.length > 16) return null;
    const word = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    labels.push(word >>> 12);
    p += 4;
    if (word & 0x100) break; // bottom of stack
  }
  if (depth === 0) extra(f, 'mplsLabels', labels.join(','));
  if (p >= end) return null;
  const nibble = b[p]! >> 4;
  if (nibble === 4) return ip4(b, p, end);
  if (nibble === 6) return ip6(b, p, end);
  // Ethernet over MPLS: a pseudowire control word (first nibble 0), then the customer frame.
  if (nibble === 0 && depth < 2) return ethernet(b, p + 4, end, f, depth + 1);
  return null;
}

function ip4(b: Uint8Array, o: number, end: number): L3 | null {
  if (o + 20 > end || b[o]! >> 4 !== 4) return null;
  const ihl = (b[o]! & 0x0f) * 4;
  if (ihl < 20) return null;
  const l3: L3 = {
    srcAddr: ipv4(b, o + 12),
    dstAddr: ipv4(b, o + 16),
    protocol: b[o + 9]!,
    srcPort: 0,
    dstPort: 0,
    tcpFlags: 0,
    length: u16(b, o + 2),
    payload: -1,
  };
  const fragmentOffset = u16(b, o + 6) & 0x1fff;
  // Only the first fragment carries the transport header.
  if (fragmentOffset === 0) transport(b, o + ihl, end, l3);
  return l3;
}

function ip6(b: Uint8Array, o: number, end: number): L3 | null {
  if (o + 40 > end || b[o]! >> 4 !== 6) return null;
  const l3: L3 = {
    srcAddr: ipv6(b, o + 8),
    dstAddr: ipv6(b, o + 24),
    protocol: b[o + 6]!,
    srcPort: 0,
    dstPort: 0,
    tcpFlags: 0,
    length: u16(b, o + 4) + 40,
    payload: -1,
  };
  let next = l3.protocol;
  let p = o + 40;
  // Walk the extension headers to the transport protocol.
  for (let hops = 0; hops < 8; hops++) {
    if (next === 0 || next === 43 || next === 60) {
      if (p + 8 > end) return l3;
      next = b[p]!;
      p += (b[p + 1]! + 1) * 8;
    } else if (next === 44) {
      if (p + 8 > end) return l3;
      const offset = u16(b, p + 2) >> 3;
      next = b[p]!;
      p += 8;
      if (offset !== 0) {
        l3.protocol = next;
        return l3;
      }
    } else if (next === 51) {
      if (p + 8 > end) return l3;
      next = b[p]!;
      p += (b[p + 1]! + 2) * 4;
    } else break;
  }
  l3.protocol = next;
  transport(b, p, end, l3);
  return l3;
}

function transport(b: Uint8Array, p: number, end: number, l3: L3) {
  const proto = l3.protocol;
  if (proto === 6 || proto === 17 || proto === 132 || proto === 136) {
    if (p + 4 > end) return;
    l3.srcPort = u16(b, p);
    l3.dstPort = u16(b, p + 2);
    if (proto === 6 && p + 14 <= end) l3.tcpFlags = b[p + 13]!;
    if (proto === 17) l3.payload = p + 8;
  } else if (proto === 1 || proto === 58) {
    // The NetFlow convention: ICMP type and code in the destination port.
    if (p + 2 > end) return;
    l3.dstPort = b[p]! * 256 + b[p + 1]!;
  } else if (proto === 4 || proto === 41) {
    l3.payload = p;
  }
}

/** A VXLAN or IP-in-IP inner packet, as extras: the outer packet stays the flow. */
function inner(b: Uint8Array, l3: L3, end: number, f: DecodedFlow) {
  let innerL3: L3 | null = null;
  const p = l3.payload;
  if (l3.protocol === 17 && l3.dstPort === 4789 && p + 8 <= end) {
    extra(f, 'vxlanVni', String(((b[p + 4]! << 16) | (b[p + 5]! << 8) | b[p + 6]!) >>> 0));
    const scratch = { vlan: 0, extras: null } as unknown as DecodedFlow;
    innerL3 = ethernet(b, p + 8, end, scratch, 1);
  } else if (l3.protocol === 4) innerL3 = ip4(b, p, end);
  else if (l3.protocol === 41) innerL3 = ip6(b, p, end);
  if (!innerL3) return;
  extra(f, 'innerSrcAddr', innerL3.srcAddr);
  extra(f, 'innerDstAddr', innerL3.dstAddr);
  extra(f, 'innerProtocol', String(innerL3.protocol));
  if (innerL3.srcPort || innerL3.dstPort) {
    extra(f, 'innerSrcPort', String(innerL3.srcPort));
    extra(f, 'innerDstPort', String(innerL3.dstPort));
  }
}
