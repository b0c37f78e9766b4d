// Test traffic with a known truth: packets built byte by byte (Ethernet, 802.1Q, IPv4, IPv6,
// TCP, UDP, ICMP), written as a classic pcap, and the one-way flows they make (packets, IP
// bytes, first/last time, TCP flags), so that what an exporter reports can be checked record
// for record against what was sent.
import { writeFileSync } from 'node:fs';
import { ByteWriter, ip6Bytes } from './exports';

export interface Packet {
  /** epoch ms (fractions allowed: pcap keeps microseconds) */
  time: number;
  frame: Uint8Array;
}

export interface TruthFlow {
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  packets: number;
  /** IP bytes (header included), as NetFlow counts them */
  bytes: number;
  first: number;
  last: number;
  tcpFlags: number;
}

export const flowKey = (f: { srcAddr: string; dstAddr: string; srcPort: number; dstPort: number; protocol: number }) =>
  `${f.protocol} ${f.srcAddr}:${f.srcPort} > ${f.dstAddr}:${f.dstPort}`;

function checksum(b: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i += 2) sum += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface L4 {
  protocol: number;
  srcPort: number;
  dstPort: number;
  tcpFlags?: number;
  /** ICMP type and code */
  icmp?: [number, number];
  payload: number;
}

function transport(l4: L4): Uint8Array {
  const w = new ByteWriter();
  if (l4.protocol === 6) {
    w.u16(l4.srcPort).u16(l4.dstPort).u32(1000).u32(l4.tcpFlags! & TCP_ACK ? 2000 : 0).u8(0x50).u8(l4.tcpFlags ?? 0).u16(65535).u16(0).u16(0);
  } else if (l4.protocol === 17) {
    w.u16(l4.srcPort).u16(l4.dstPort).u16(8 + l4.payload).u16(0);
  } else if (l4.protocol === 1 || l4.protocol === 58) {
    w.u8(l4.icmp![0]).u8(l4.icmp![1]).u16(0).u16(1).u16(1);
  }
  for (let i = 0; i < l4.payload; i++) w.u8(0x61 + (i % 26));
  return w.done();
}

export function ipv4Packet(src: string, dst: string, l4: L4, id = 1): Uint8Array {
  const body = transport(l4);
  const w = new ByteWriter();
  w.u8(0x45).u8(0).u16(20 + body.length).u16(id).u16(0x4000).u8(64).u8(l4.protocol).u16(0).ip4(src).ip4(dst).bytes(body);
  const b = w.done();
  const c = checksum(b, 0, 20);
  b[10] = c >> 8;
  b[11] = c & 0xff;
  return b;
}

export function ipv6Packet(src: string, dst: string, l4: L4): Uint8Array {
  const body = transport(l4);
  return new ByteWriter().u32(0x60000000).u16(body.length).u8(l4.protocol).u8(64).ip6(src).ip6(dst).bytes(body).done();
}

export function ethernetFrame(ip: Uint8Array, opts: { vlan?: number; src?: number[]; dst?: number[] } = {}): Uint8Array {
  const w = new ByteWriter();
  w.bytes(opts.dst ?? [0x02, 0, 0, 0, 0, 0x02]).bytes(opts.src ?? [0x02, 0, 0, 0, 0, 0x01]);
  if (opts.vlan) w.u16(0x8100).u16(opts.vlan);
  w.u16(ip[0]! >> 4 === 6 ? 0x86dd : 0x0800).bytes(ip);
  return w.done();
}

/** A classic pcap (microsecond timestamps), Ethernet link type unless said otherwise. */
export function writePcap(path: string, packets: Packet[], linkType = 1) {
  const w = new ByteWriter();
  const le32 = (v: number) => w.u8(v & 0xff).u8((v >>> 8) & 0xff).u8((v >>> 16) & 0xff).u8((v >>> 24) & 0xff);
  const le16 = (v: number) => w.u8(v & 0xff).u8((v >>> 8) & 0xff);
  le32(0xa1b2c3d4);
  le16(2);
  le16(4);
  le32(0);
  le32(0);
  le32(262144);
  le32(linkType);
  for (const p of packets) {
    const us = Math.round(p.time * 1000);
    le32(Math.floor(us / 1e6));
    le32(us % 1e6);
    le32(p.frame.length);
    le32(p.frame.length);
    w.bytes(p.frame);
  }
  writeFileSync(path, w.done());
}

/** UDP datagrams as they arrived at a collector, wrapped in Ethernet/IP/UDP for a pcap. */
export function datagramFrame(src: string, srcPort: number, dst: string, dstPort: number, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter().u16(srcPort).u16(dstPort).u16(8 + payload.length).u16(0).bytes(payload);
  const udp = w.done();
  const ip = new ByteWriter().u8(0x45).u8(0).u16(20 + udp.length).u16(0).u16(0x4000).u8(64).u8(17).u16(0).ip4(src).ip4(dst).bytes(udp).done();
  const c = checksum(ip, 0, 20);
  ip[10] = c >> 8;
  ip[11] = c & 0xff;
  return ethernetFrame(ip);
}

/** Builds traffic and keeps the truth of its one-way flows. */
export class Traffic {
  readonly packets: Packet[] = [];
  readonly flows = new Map<string, TruthFlow>();
  private id = 1;

  constructor(public time: number) {}

  send(src: string, dst: string, l4: L4, opts: { vlan?: number; gapMs?: number } = {}) {
    this.time += opts.gapMs ?? 7;
    const v6 = src.includes(':');
    const ip = v6 ? ipv6Packet(src, dst, l4) : ipv4Packet(src, dst, l4, this.id++);
    this.packets.push({ time: this.time, frame: ethernetFrame(ip, { vlan: opts.vlan }) });
    const dstPort = l4.icmp ? l4.icmp[0] * 256 + l4.icmp[1] : l4.dstPort;
    const srcPort = l4.icmp ? 0 : l4.srcPort;
    const key = flowKey({ srcAddr: src, dstAddr: dst, srcPort, dstPort, protocol: l4.protocol });
    let f = this.flows.get(key);
    if (!f) {
      f = { srcAddr: src, dstAddr: dst, srcPort, dstPort, protocol: l4.protocol, packets: 0, bytes: 0, first: this.time, last: this.time, tcpFlags: 0 };
      this.flows.set(key, f);
    }
    f.packets++;
    f.bytes += ip.length;
    f.last = this.time;
    f.tcpFlags |= l4.tcpFlags ?? 0;
  }

  /** A TCP connection: handshake, `exchanges` request/response pairs, orderly close. */
  tcp(client: string, cport: number, server: string, sport: number, exchanges = 3, request = 120, response = 800) {
    const c = (flags: number, payload = 0) => this.send(client, server, { protocol: 6, srcPort: cport, dstPort: sport, tcpFlags: flags, payload });
    const s = (flags: number, payload = 0) => this.send(server, client, { protocol: 6, srcPort: sport, dstPort: cport, tcpFlags: flags, payload });
    c(TCP_SYN);
    s(TCP_SYN | TCP_ACK);
    c(TCP_ACK);
    for (let i = 0; i < exchanges; i++) {
      c(TCP_PSH | TCP_ACK, request);
      s(TCP_PSH | TCP_ACK, response);
    }
    c(TCP_FIN | TCP_ACK);
    s(TCP_FIN | TCP_ACK);
    c(TCP_ACK);
  }

  udp(client: string, cport: number, server: string, sport: number, exchanges = 1, request = 40, response = 120) {
    for (let i = 0; i < exchanges; i++) {
      this.send(client, server, { protocol: 17, srcPort: cport, dstPort: sport, payload: request });
      this.send(server, client, { protocol: 17, srcPort: sport, dstPort: cport, payload: response });
    }
  }

  ping(client: string, server: string, count = 2) {
    const proto = client.includes(':') ? 58 : 1;
    const [req, rep] = proto === 58 ? [128, 129] : [8, 0];
    for (let i = 0; i < count; i++) {
      this.send(client, server, { protocol: proto, srcPort: 0, dstPort: 0, icmp: [req, 0], payload: 56 });
      this.send(server, client, { protocol: proto, srcPort: 0, dstPort: 0, icmp: [rep, 0], payload: 56 });
    }
  }

  /** A SYN nobody answers (scanner evidence). */
  probe(client: string, cport: number, server: string, sport: number) {
    this.send(client, server, { protocol: 6, srcPort: cport, dstPort: sport, tcpFlags: TCP_SYN, payload: 0 });
  }

  write(path: string) {
    writePcap(path, this.packets);
  }
}

/** The mixed estate the exporter tests use: TCP, UDP, ICMP, IPv6, a scan probe. */
export function standardTraffic(start: number): Traffic {
  const t = new Traffic(start);
  t.tcp('10.1.1.10', 40001, '10.1.2.20', 443, 3);
  t.tcp('10.1.1.11', 40002, '10.1.2.20', 5432, 2, 300, 4000);
  t.tcp('10.1.1.12', 51000, '10.1.2.30', 8080, 1);
  t.udp('10.1.1.10', 53001, '10.1.2.53', 53, 2);
  t.ping('10.1.1.10', '10.1.2.20', 2);
  t.tcp('2001:db8:1::10', 40010, '2001:db8:2::20', 22, 2);
  t.udp('2001:db8:1::10', 5000, '2001:db8:2::20', 123, 1, 48, 48);
  t.probe('10.1.1.66', 45000, '10.1.2.20', 23);
  // a client with the higher address: softflowd -b orders a biflow by address, server first
  t.tcp('10.1.3.50', 40100, '10.1.0.5', 3306, 1);
  return t;
}

export { ip6Bytes };
