// The decoder's public types: what goes in beside the bytes, and what comes out.

export type FlowVersion = 'netflow5' | 'netflow9' | 'ipfix' | 'sflow5';

/** Where a datagram came from and when it arrived. */
export interface DatagramSource {
  /** exporter address as text (the UDP source address) */
  address: string;
  /** UDP source port: with the address it names the transport session that scopes templates (RFC 7011 §8) */
  port: number;
  /** arrival time, epoch ms (wall clock for a listener, the capture time for a pcap) */
  receivedAt: number;
}

/** One flow, normalized across the four protocols. */
export class DecodedFlow {
  version: FlowVersion;
  /** the exporter's address (UDP source) */
  exporter: string;
  /** IPFIX observation domain, NetFlow v9 source id, v5 engine type<<8|id, sFlow sub-agent id */
  observationDomain: number;
  /** first and last packet, epoch ms */
  start = 0;
  end = 0;
  srcAddr = '';
  dstAddr = '';
  srcPort = 0;
  dstPort = 0;
  protocol = 0;
  /** counters as exported (before sampling) */
  bytes = 0;
  packets = 0;
  /** RFC 5103 reverse counters (or initiator/responder counters); 0 for one-way records */
  revBytes = 0;
  revPackets = 0;
  tcpFlags = 0;
  revTcpFlags = 0;
  /** the record carries the reverse direction (RFC 5103 biflow, NSEL initiator/responder) */
  biflow = false;
  /** which endpoint the exporter says opened the flow, when it says so (biflowDirection, Cisco client/server) */
  initiator: 'src' | 'dst' | '' = '';
  /** 1 = every packet counted */
  samplingRate = 1;
  direction: 'ingress' | 'egress' | '' = '';
  inIf = 0;
  outIf = 0;
  vlan = 0;
  /** VM / VIF identity where the exporter carries it (VMware NSX) */
  srcVm = '';
  dstVm = '';
  interfaceId = '';
  /** every other element of the record by registry name, as text; null when there are none */
  extras: Record<string, string> | null = null;

  constructor(version: FlowVersion, exporter: string, observationDomain: number) {
    this.version = version;
    this.exporter = exporter;
    this.observationDomain = observationDomain;
  }
}

export type DecodeErrorCode =
  | 'truncated' // a length points past the end of the datagram, set or record
  | 'malformed' // a value that cannot be (zero-length set, bad field count, bad address type)
  | 'version' // not a version this decoder reads
  | 'template' // a template that cannot be used (too long, bad field)
  | 'no-template' // data waited too long for its template and was dropped
  | 'limit' // a state limit was reached (templates, buffered bytes)
  | 'internal'; // a bug in the decoder; the datagram is dropped, never the process

export interface DecodeError {
  code: DecodeErrorCode;
  /** names what and where: protocol, field, offset */
  message: string;
  /** byte offset in the datagram, when it applies */
  offset?: number;
}

export interface SequenceReport {
  /** what the exporter's sequence numbers count */
  unit: 'flows' | 'records' | 'packets' | 'datagrams' | 'samples';
  /** units missing between the previous datagram and this one (estimate) */
  lost: number;
  /** the sequence went backwards or jumped too far: a restart or reordering, not counted as loss */
  reset: boolean;
}

export interface DecodeResult {
  version: FlowVersion | null;
  records: DecodedFlow[];
  errors: DecodeError[];
  /** template and options template records learned (new or refreshed) */
  templates: number;
  /** templates withdrawn */
  withdrawals: number;
  /** options data records applied (sampling, system init time) */
  options: number;
  /** sFlow counter samples seen (counted, not stored as flows) */
  counterSamples: number;
  /** data sets waiting for a template that has not arrived yet */
  pending: number;
  /** data records or sets dropped: their template never came in time */
  droppedNoTemplate: number;
  /** sequence gaps seen in this datagram, per domain */
  sequence: SequenceReport[];
}
