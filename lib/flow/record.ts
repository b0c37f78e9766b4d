// The one normalized flow record every source produces: NetFlow v5/v9, IPFIX, sFlow, cloud
// flow logs and synthetic estates. Collectors build these; lib/store/sink writes them.
//
// Counters are as observed (before sampling); `samplingRate` says how to scale them, and the
// rollups in ClickHouse apply it. `serverSide` is decided at ingest (lib/flow/orientation is
// where collectors decide it) so that hourly rollups can key on the server port.

export type SourceKind = 'netflow5' | 'netflow9' | 'ipfix' | 'sflow5' | 'aws' | 'gcp' | 'azure' | 'synthetic';
export const SOURCE_KINDS: readonly SourceKind[] = ['netflow5', 'netflow9', 'ipfix', 'sflow5', 'aws', 'gcp', 'azure', 'synthetic'];

/** How the client/server orientation was decided, strongest first. */
export type Orientation = 'biflow' | 'tcp-flags' | 'source' | 'port' | 'peers' | 'guess';
export const ORIENTATIONS: readonly Orientation[] = ['biflow', 'tcp-flags', 'source', 'port', 'peers', 'guess'];

export type Direction = 'unknown' | 'ingress' | 'egress';
export type Action = 'unknown' | 'accept' | 'reject';

export interface FlowRecord {
  /** first packet, epoch milliseconds */
  start: number;
  /** last packet, epoch milliseconds */
  end: number;
  /** IPv4 dotted quad or IPv6 text; stored in one IPv6 column (IPv4-mapped) */
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  /** IANA protocol number (6 tcp, 17 udp, 1 icmp, 58 ipv6-icmp) */
  protocol: number;
  /** src -> dst counters as exported (unsampled) */
  bytes: number;
  packets: number;
  /** dst -> src counters of a biflow (RFC 5103); 0 for one-way records */
  revBytes?: number;
  revPackets?: number;
  /** cumulative OR of TCP flags (src -> dst, and reverse for biflows) */
  tcpFlags?: number;
  /** which endpoint offers the service */
  serverSide: 'src' | 'dst';
  orientation: Orientation;
  sourceKind: SourceKind;
  /** exporter address (UDP sources) or source identity (files: account/region, subscription, ...) */
  exporter: string;
  /** IPFIX observation domain, NetFlow v9 source id, sFlow sub-agent; 0 when none */
  observationDomain?: number;
  /** 1 = every packet counted */
  samplingRate?: number;
  direction?: Direction;
  action?: Action;
  inIf?: number;
  outIf?: number;
  vlan?: number;
  /** VM / instance identity of each endpoint when the source carries it (VMware, cloud logs) */
  srcVm?: string;
  dstVm?: string;
  vpcId?: string;
  /** ENI / vNIC / port identifier */
  interfaceId?: string;
  /** anything else worth keeping, as strings */
  extras?: Record<string, string>;
}

/** The client and server view of a record, as the rollups see it. */
export function conversationOf(r: FlowRecord) {
  const s = r.serverSide === 'src';
  return {
    client: s ? r.dstAddr : r.srcAddr,
    server: s ? r.srcAddr : r.dstAddr,
    serverPort: s ? r.srcPort : r.dstPort,
    clientPort: s ? r.dstPort : r.srcPort,
    protocol: r.protocol,
  };
}

export const PROTOCOL_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp', 47: 'gre', 50: 'esp', 132: 'sctp' };
const PROTOCOL_NUMBERS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, 'ipv6-icmp': 58, icmpv6: 58, gre: 47, esp: 50, sctp: 132 };

/** tcp | udp | icmp | ... or the number as text */
export function protocolName(n: number): string {
  return PROTOCOL_NAMES[n] ?? String(n);
}

/** "tcp/443", "icmp": a port as summaries, rules and the map name it (ICMP has no port). */
export function portName(protocol: number, port: number): string {
  return protocol === 1 || protocol === 58 ? protocolName(protocol) : `${protocolName(protocol)}/${port}`;
}

export function protocolNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower in PROTOCOL_NUMBERS) return PROTOCOL_NUMBERS[lower];
  const n = Number(name);
  return Number.isInteger(n) && n >= 0 && n <= 255 ? n : undefined;
}
