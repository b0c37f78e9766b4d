// FlowRecord <-> row of the ClickHouse `flows` table: validation and the insert encoding.
import { isIP } from 'node:net';
import { ORIENTATIONS, SOURCE_KINDS, type FlowRecord } from '../flow/record';

/** Columns written on insert, in the order flowRow() emits them (received_at takes its default). */
export const FLOW_COLUMNS = [
  'start_time', 'end_time', 'src_addr', 'dst_addr', 'src_port', 'dst_port', 'protocol',
  'bytes', 'packets', 'rev_bytes', 'rev_packets', 'tcp_flags', 'server_side', 'orientation',
  'source_kind', 'exporter', 'observation_domain', 'sampling_rate', 'direction', 'action',
  'in_if', 'out_if', 'vlan', 'src_vm', 'dst_vm', 'vpc_id', 'interface_id', 'extras',
] as const;

const EMPTY: Record<string, string> = {};
const sourceKinds = new Set<string>(SOURCE_KINDS);
const orientations = new Set<string>(ORIENTATIONS);
const directions = new Set<string>(['unknown', 'ingress', 'egress']);
const actions = new Set<string>(['unknown', 'accept', 'reject']);

/**
 * A batch as one JSONCompactColumns document: one array per column in FLOW_COLUMNS order.
 * Columnar JSON is the cheapest text both to build here (JSON.stringify of flat arrays) and to
 * parse in ClickHouse; bench/sink.ts measures it (docs/benchmarks.md). Times are integer
 * milliseconds, which DateTime64(3) reads as ticks.
 */
export function encodeFlowColumns(records: readonly FlowRecord[]): string {
  const n = records.length;
  const cols = FLOW_COLUMNS.map(() => new Array<unknown>(n));
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27] = cols as [unknown[], ...unknown[][]];
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    c0[i] = Math.trunc(r.start);
    c1![i] = Math.trunc(r.end);
    c2![i] = r.srcAddr;
    c3![i] = r.dstAddr;
    c4![i] = r.srcPort;
    c5![i] = r.dstPort;
    c6![i] = r.protocol;
    c7![i] = r.bytes;
    c8![i] = r.packets;
    c9![i] = r.revBytes ?? 0;
    c10![i] = r.revPackets ?? 0;
    c11![i] = r.tcpFlags ?? 0;
    c12![i] = r.serverSide;
    c13![i] = r.orientation;
    c14![i] = r.sourceKind;
    c15![i] = r.exporter;
    c16![i] = r.observationDomain ?? 0;
    c17![i] = r.samplingRate ?? 1;
    c18![i] = r.direction ?? 'unknown';
    c19![i] = r.action ?? 'unknown';
    c20![i] = r.inIf ?? 0;
    c21![i] = r.outIf ?? 0;
    c22![i] = r.vlan ?? 0;
    c23![i] = r.srcVm ?? '';
    c24![i] = r.dstVm ?? '';
    c25![i] = r.vpcId ?? '';
    c26![i] = r.interfaceId ?? '';
    c27![i] = r.extras ?? EMPTY;
  }
  return JSON.stringify(cols);
}

/** One record as a row in FLOW_COLUMNS order (for tests and tools that want rows). */
export function flowRow(r: FlowRecord): unknown[] {
  return [
    Math.trunc(r.start), Math.trunc(r.end), r.srcAddr, r.dstAddr, r.srcPort, r.dstPort, r.protocol,
    r.bytes, r.packets, r.revBytes ?? 0, r.revPackets ?? 0, r.tcpFlags ?? 0, r.serverSide, r.orientation,
    r.sourceKind, r.exporter, r.observationDomain ?? 0, r.samplingRate ?? 1, r.direction ?? 'unknown', r.action ?? 'unknown',
    r.inIf ?? 0, r.outIf ?? 0, r.vlan ?? 0, r.srcVm ?? '', r.dstVm ?? '', r.vpcId ?? '', r.interfaceId ?? '', r.extras ?? EMPTY,
  ];
}

const isUint = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
const isCounter = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;
// 1970 .. 2106 is what DateTime can hold; anything outside is a decoding error upstream.
const isTime = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 4_294_967_295_000;

/**
 * Why a record cannot be stored, naming the field, or null when it can. The sink refuses such
 * records one by one (counted) so that one bad record never fails the batch around it.
 */
export function invalidReason(r: FlowRecord): string | null {
  if (!isTime(r.start)) return `start: not a time (${String(r.start)})`;
  if (!isTime(r.end)) return `end: not a time (${String(r.end)})`;
  if (typeof r.srcAddr !== 'string' || isIP(r.srcAddr) === 0) return `srcAddr: not an IP address (${String(r.srcAddr)})`;
  if (typeof r.dstAddr !== 'string' || isIP(r.dstAddr) === 0) return `dstAddr: not an IP address (${String(r.dstAddr)})`;
  if (!isUint(r.srcPort, 65535)) return `srcPort: not a port (${String(r.srcPort)})`;
  if (!isUint(r.dstPort, 65535)) return `dstPort: not a port (${String(r.dstPort)})`;
  if (!isUint(r.protocol, 255)) return `protocol: not a protocol number (${String(r.protocol)})`;
  if (!isCounter(r.bytes)) return `bytes: not a counter (${String(r.bytes)})`;
  if (!isCounter(r.packets)) return `packets: not a counter (${String(r.packets)})`;
  if (r.revBytes !== undefined && !isCounter(r.revBytes)) return `revBytes: not a counter (${String(r.revBytes)})`;
  if (r.revPackets !== undefined && !isCounter(r.revPackets)) return `revPackets: not a counter (${String(r.revPackets)})`;
  if (r.tcpFlags !== undefined && !isUint(r.tcpFlags, 255)) return `tcpFlags: not 0-255 (${String(r.tcpFlags)})`;
  if (r.serverSide !== 'src' && r.serverSide !== 'dst') return `serverSide: must be src or dst (${String(r.serverSide)})`;
  if (!orientations.has(r.orientation)) return `orientation: unknown (${String(r.orientation)})`;
  if (!sourceKinds.has(r.sourceKind)) return `sourceKind: unknown (${String(r.sourceKind)})`;
  if (typeof r.exporter !== 'string') return 'exporter: missing';
  if (r.samplingRate !== undefined && !isUint(r.samplingRate, 4_294_967_295)) return `samplingRate: not an integer (${String(r.samplingRate)})`;
  if (r.observationDomain !== undefined && !isUint(r.observationDomain, 4_294_967_295)) return `observationDomain: not 0-2^32 (${String(r.observationDomain)})`;
  if (r.inIf !== undefined && !isUint(r.inIf, 4_294_967_295)) return `inIf: not 0-2^32 (${String(r.inIf)})`;
  if (r.outIf !== undefined && !isUint(r.outIf, 4_294_967_295)) return `outIf: not 0-2^32 (${String(r.outIf)})`;
  if (r.vlan !== undefined && !isUint(r.vlan, 4095)) return `vlan: not 0-4095 (${String(r.vlan)})`;
  if (r.direction !== undefined && !directions.has(r.direction)) return `direction: must be unknown, ingress or egress (${String(r.direction)})`;
  if (r.action !== undefined && !actions.has(r.action)) return `action: must be unknown, accept or reject (${String(r.action)})`;
  return null;
}
