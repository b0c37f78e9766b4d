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
  return encodeFlowBatch(records, true).body;
}

// Optional columns, by bit: a batch sends only those with a value other than the column's
// DEFAULT in some record; ClickHouse fills the rest. Collectors' batches rarely carry VM ids,
// VPCs or extras, and the empty `{}` of every record's extras alone cost a third of the encoding.
const OPT = [
  'rev_bytes', 'rev_packets', 'tcp_flags', 'observation_domain', 'sampling_rate', 'direction', 'action',
  'in_if', 'out_if', 'vlan', 'src_vm', 'dst_vm', 'vpc_id', 'interface_id', 'extras',
] as const;
const REQUIRED = ['start_time', 'end_time', 'src_addr', 'dst_addr', 'src_port', 'dst_port', 'protocol', 'bytes', 'packets', 'server_side', 'orientation', 'source_kind', 'exporter'] as const;

function usedOptional(records: readonly FlowRecord[]): number {
  let m = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.revBytes) m |= 1;
    if (r.revPackets) m |= 2;
    if (r.tcpFlags) m |= 4;
    if (r.observationDomain) m |= 8;
    if (r.samplingRate !== undefined && r.samplingRate !== 1) m |= 16;
    if (r.direction !== undefined && r.direction !== 'unknown') m |= 32;
    if (r.action !== undefined && r.action !== 'unknown') m |= 64;
    if (r.inIf) m |= 128;
    if (r.outIf) m |= 256;
    if (r.vlan) m |= 512;
    if (r.srcVm) m |= 1024;
    if (r.dstVm) m |= 2048;
    if (r.vpcId) m |= 4096;
    if (r.interfaceId) m |= 8192;
    if (r.extras) for (const _ in r.extras) {
      m |= 16384;
      break;
    }
  }
  return m;
}

/**
 * A batch as JSONCompactColumns with the columns it needs: the required ones and the optional
 * ones some record sets (all of them with `allColumns`). Returns the column list for the INSERT.
 */
export function encodeFlowBatch(records: readonly FlowRecord[], allColumns = false): { columns: string[]; body: string } {
  const n = records.length;
  const used = allColumns ? 0x7fff : usedOptional(records);
  const columns: string[] = [...REQUIRED];
  for (let b = 0; b < OPT.length; b++) if (used & (1 << b)) columns.push(OPT[b]!);
  const cols: unknown[][] = columns.map(() => new Array<unknown>(n));
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12] = cols as [unknown[], ...unknown[][]];
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
    c9![i] = r.serverSide;
    c10![i] = r.orientation;
    c11![i] = r.sourceKind;
    c12![i] = r.exporter;
  }
  let k = REQUIRED.length;
  const fill = (bit: number, get: (r: FlowRecord) => unknown) => {
    if (!(used & (1 << bit))) return;
    const c = cols[k++]!;
    for (let i = 0; i < n; i++) c[i] = get(records[i]!);
  };
  fill(0, (r) => r.revBytes ?? 0);
  fill(1, (r) => r.revPackets ?? 0);
  fill(2, (r) => r.tcpFlags ?? 0);
  fill(3, (r) => r.observationDomain ?? 0);
  fill(4, (r) => r.samplingRate ?? 1);
  fill(5, (r) => r.direction ?? 'unknown');
  fill(6, (r) => r.action ?? 'unknown');
  fill(7, (r) => r.inIf ?? 0);
  fill(8, (r) => r.outIf ?? 0);
  fill(9, (r) => r.vlan ?? 0);
  fill(10, (r) => r.srcVm ?? '');
  fill(11, (r) => r.dstVm ?? '');
  fill(12, (r) => r.vpcId ?? '');
  fill(13, (r) => r.interfaceId ?? '');
  fill(14, (r) => r.extras ?? EMPTY);
  if (allColumns) {
    // FLOW_COLUMNS order, for callers that want every column in the documented order
    const byName = new Map(columns.map((c, i) => [c, cols[i]!]));
    return { columns: [...FLOW_COLUMNS], body: JSON.stringify(FLOW_COLUMNS.map((c) => byName.get(c)!)) };
  }
  return { columns, body: JSON.stringify(cols) };
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
