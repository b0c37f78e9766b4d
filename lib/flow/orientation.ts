// Which endpoint of a flow offers the service. Decided at ingest, strongest evidence first, so
// that the hourly rollup keys on the server port and ephemeral client ports never become edges:
//
//   biflow     an RFC 5103 biflow: its source is the initiator (the client)
//   source     the source said so (cloud logs with flow direction, an exporter's initiator field);
//              callers that know set it themselves
//   tcp-flags  a one-way TCP record with SYN and no ACK: the sender opened the connection
//   outward    both sides use the same service port (NTP 123 <-> 123 between servers, DNS
//              forwarders): the estate's side asks the internet's side (its upstream); counted
//              as 'port'. Peers would say the opposite: the estate's NTP server talks to several
//              upstreams on 123, each of which sees only it.
//   peers      one side's (address, port) is shared by many peers, the other's is not
//   port       one port is a known or well-known service port and the other is not
//   guess      nothing better: the lower port is the server
import type { Orientation } from './record';
import { isInternetAddress } from './scope';

export interface OrientationInput {
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  tcpFlags?: number;
  /** the record is an RFC 5103 biflow whose source is the initiator */
  biflow?: boolean;
}

export interface Oriented {
  serverSide: 'src' | 'dst';
  orientation: Orientation;
}

const TCP = 6;
const UDP = 17;
const SCTP = 132;
const ICMP = 1;
const ICMP6 = 58;
const SYN = 0x02;
const ACK = 0x10;

/**
 * Ports that are services: the common well-known ones, and registered ones that are services,
 * not client ports, although above 1023. Beyond these, other ports below 1024 count as services
 * and ports in the ephemeral ranges as clients.
 */
export const SERVICE_PORTS = new Set([
  20, 21, 22, 23, 25, 53, 67, 69, 80, 88, 110, 111, 123, 135, 137, 138, 139, 143, 161, 162, 179, 389, 443, 445, 464, 465,
  500, 514, 515, 543, 587, 623, 631, 636, 853, 873, 902, 989, 990, 993, 995,
  1080, 1194, 1433, 1434, 1521, 1883, 2049, 2181, 2375, 2376, 2379, 2380, 3000, 3128, 3268, 3269, 3306, 3389, 4369,
  4500, 4789, 5000, 5044, 5060, 5061, 5222, 5432, 5601, 5671, 5672, 5900, 5984, 5985, 5986, 6379, 6443, 6514, 6660, 6667,
  7001, 7199, 7474, 7687, 8000, 8008, 8080, 8081, 8086, 8088, 8089, 8125, 8200, 8300, 8301, 8443, 8500, 8888, 9000, 9042,
  9090, 9091, 9092, 9093, 9100, 9200, 9300, 9418, 9443, 9990, 10000, 10250, 10255, 11211, 15672, 25565, 27017, 27018, 50000,
]);

/** How much a port looks like a service: 3 known service, 2 well-known, 1 registered (or a known service in the ephemeral range), 0 ephemeral. */
export function serviceScore(port: number): number {
  // a service port inside the ephemeral ranges (DB2's 50000) is as often some client's port
  if (SERVICE_PORTS.has(port)) return port >= 32768 ? 1 : 3;
  if (port > 0 && port < 1024) return 2;
  if (port >= 32768 || port === 0) return 0;
  return 1;
}

// ICMP type in the high byte of the destination port (the NetFlow/IPFIX convention).
const ICMP_REQUESTS = new Set([8, 13, 15, 17, 128, 130, 133, 135]);
const ICMP_REPLIES = new Set([0, 14, 16, 18, 129, 131, 134, 136]);

export function orient(r: OrientationInput): Oriented {
  if (r.biflow) return { serverSide: 'dst', orientation: 'biflow' };
  if (r.protocol === ICMP || r.protocol === ICMP6) {
    const type = r.dstPort >> 8;
    if (ICMP_REPLIES.has(type)) return { serverSide: 'src', orientation: 'port' };
    return { serverSide: 'dst', orientation: ICMP_REQUESTS.has(type) ? 'port' : 'guess' };
  }
  if (r.protocol === TCP && r.tcpFlags !== undefined && (r.tcpFlags & SYN) !== 0 && (r.tcpFlags & ACK) === 0) {
    return { serverSide: 'dst', orientation: 'tcp-flags' };
  }
  if (r.protocol === TCP || r.protocol === UDP || r.protocol === SCTP) {
    const outward = outwardSide(r);
    if (outward) return { serverSide: outward, orientation: 'port' };
    const s = serviceScore(r.srcPort);
    const d = serviceScore(r.dstPort);
    if (d > s) return { serverSide: 'dst', orientation: 'port' };
    if (s > d) return { serverSide: 'src', orientation: 'port' };
  }
  return { serverSide: r.srcPort < r.dstPort ? 'src' : 'dst', orientation: 'guess' };
}

/**
 * A conversation on one service port at both ends between the estate and the internet: the
 * internet's side serves (the estate's server syncs or forwards to its upstream). Null when the
 * ports differ, are not a service, or both sides are on the same side of the internet.
 */
function outwardSide(r: OrientationInput): 'src' | 'dst' | null {
  if (r.srcPort !== r.dstPort || serviceScore(r.srcPort) < 2) return null;
  const s = isInternetAddress(r.srcAddr);
  const d = isInternetAddress(r.dstAddr);
  if (s === d) return null;
  return s ? 'src' : 'dst';
}

/**
 * The "many peers" evidence, for records whose ports do not tell: counts distinct peers per
 * (address, port, protocol) over what a collector has seen, in bounded memory. A service side
 * (10.0.0.5:7777 talked to by 40 clients) outvotes a client side (a random port used once).
 */
export class PeerTracker {
  // An endpoint seen with one peer (most client ports) keeps that peer as a string; a Set is
  // made only for a second distinct peer. Collectors call observe() for every record, so this
  // keeps the common case to one map operation and no allocation beyond the key.
  private readonly peers = new Map<string, string | Set<string>>();

  constructor(
    private readonly maxEndpoints = 200_000,
    /** distinct peers counted per endpoint; enough to tell a service from a client port */
    private readonly cap = 16,
  ) {}

  observe(r: OrientationInput): void {
    this.add(r.srcAddr + '|' + r.srcPort + '|' + r.protocol, r.dstAddr);
    this.add(r.dstAddr + '|' + r.dstPort + '|' + r.protocol, r.srcAddr);
  }

  /**
   * Count one peer of one endpoint. Collectors use it to count only the side that may be the
   * service (the client's ephemeral port of a flow to a service port is never asked about).
   */
  observeEndpoint(addr: string, port: number, protocol: number, peer: string): void {
    this.add(addr + '|' + port + '|' + protocol, peer);
  }

  peersOf(addr: string, port: number, protocol: number): number {
    const v = this.peers.get(addr + '|' + port + '|' + protocol);
    return v === undefined ? 0 : typeof v === 'string' ? 1 : v.size;
  }

  /** Orientation with the peers evidence applied when the ports alone only allow a guess. */
  orient(r: OrientationInput): Oriented {
    const o = orient(r);
    if (o.orientation !== 'guess' && o.orientation !== 'port') return o;
    if (outwardSide(r)) return o;
    // Only a clear majority overrules the ports: at least three peers and twice the other side.
    if (o.orientation === 'guess' || serviceScore(r.srcPort) === serviceScore(r.dstPort)) {
      const s = this.peersOf(r.srcAddr, r.srcPort, r.protocol);
      const d = this.peersOf(r.dstAddr, r.dstPort, r.protocol);
      if (d >= 3 && d >= 2 * s) return { serverSide: 'dst', orientation: 'peers' };
      if (s >= 3 && s >= 2 * d) return { serverSide: 'src', orientation: 'peers' };
    }
    return o;
  }

  private add(key: string, peer: string) {
    const v = this.peers.get(key);
    if (v === undefined) {
      if (this.peers.size >= this.maxEndpoints) {
        // Forget the oldest endpoint (Map keeps insertion order): bounded memory, recent evidence.
        const oldest = this.peers.keys().next().value;
        if (oldest !== undefined) this.peers.delete(oldest);
      }
      this.peers.set(key, peer);
    } else if (typeof v === 'string') {
      if (v !== peer && this.cap > 1) this.peers.set(key, new Set([v, peer]));
    } else if (v.size < this.cap) v.add(peer);
  }
}
