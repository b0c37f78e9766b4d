// From the decoder's records to the one FlowRecord every source produces, with the client/server
// orientation decided at ingest (lib/flow/orientation.ts).
//
// Which evidence counts, strongest first:
//   source     the exporter says who opened the flow: biflowDirection, NSEL initiator/responder
//              counters, Cisco AVC client/server addresses
//   tcp-flags  a SYN without ACK from the source
//   peers/port the many-peers side, then service ports against ephemeral ones
//   biflow     an RFC 5103 biflow whose ports do not tell: its source is taken as the initiator.
//              This is weak on purpose: softflowd -b orders a biflow by address, not by who
//              opened it, so a biflow alone does not prove its source is the client.
//   guess      the lower port
import { PeerTracker } from '../lib/flow/orientation';
import type { FlowRecord } from '../lib/flow/record';
import type { DecodedFlow } from './flowdecode';

export class FlowNormalizer {
  constructor(readonly peers: PeerTracker = new PeerTracker()) {}

  toRecord(f: DecodedFlow): FlowRecord {
    const input = {
      srcAddr: f.srcAddr,
      dstAddr: f.dstAddr,
      srcPort: f.srcPort,
      dstPort: f.dstPort,
      protocol: f.protocol,
      tcpFlags: f.protocol === 6 && f.tcpFlags !== 0 ? f.tcpFlags : undefined,
    };
    this.peers.observe(input);
    let serverSide: FlowRecord['serverSide'];
    let orientation: FlowRecord['orientation'];
    if (f.initiator === 'src' || f.initiator === 'dst') {
      serverSide = f.initiator === 'src' ? 'dst' : 'src';
      orientation = 'source';
    } else {
      const o = this.peers.orient(input);
      if (o.orientation === 'guess' && f.biflow) {
        serverSide = 'dst';
        orientation = 'biflow';
      } else {
        serverSide = o.serverSide;
        orientation = o.orientation;
      }
    }
    const r: FlowRecord = {
      start: Math.trunc(f.start),
      end: Math.trunc(f.end),
      srcAddr: f.srcAddr,
      dstAddr: f.dstAddr,
      srcPort: f.srcPort,
      dstPort: f.dstPort,
      protocol: f.protocol,
      bytes: f.bytes,
      packets: f.packets,
      tcpFlags: f.tcpFlags | f.revTcpFlags,
      serverSide,
      orientation,
      sourceKind: f.version,
      exporter: f.exporter,
      observationDomain: f.observationDomain,
      samplingRate: f.samplingRate,
    };
    if (f.biflow) {
      r.revBytes = f.revBytes;
      r.revPackets = f.revPackets;
    }
    if (f.direction) r.direction = f.direction;
    if (f.inIf) r.inIf = f.inIf;
    if (f.outIf) r.outIf = f.outIf;
    if (f.vlan) r.vlan = f.vlan;
    if (f.srcVm) r.srcVm = f.srcVm;
    if (f.dstVm) r.dstVm = f.dstVm;
    if (f.interfaceId) r.interfaceId = f.interfaceId;
    if (f.extras) r.extras = f.extras;
    return r;
  }
}

/** A record as `bulkhead decode` prints it: one JSON object per line, times as ISO-8601 with ms. */
export function recordJson(r: FlowRecord): string {
  const out: Record<string, unknown> = {
    exporter: r.exporter,
    observationDomain: r.observationDomain ?? 0,
    version: r.sourceKind,
    start: isoMs(r.start),
    end: isoMs(r.end),
    srcAddr: r.srcAddr,
    dstAddr: r.dstAddr,
    srcPort: r.srcPort,
    dstPort: r.dstPort,
    protocol: r.protocol,
    packets: r.packets,
    bytes: r.bytes,
  };
  if (r.revPackets !== undefined) {
    out.revPackets = r.revPackets;
    out.revBytes = r.revBytes ?? 0;
  }
  out.tcpFlags = r.tcpFlags ?? 0;
  out.samplingRate = r.samplingRate ?? 1;
  out.serverSide = r.serverSide;
  out.orientation = r.orientation;
  if (r.direction) out.direction = r.direction;
  if (r.inIf) out.inIf = r.inIf;
  if (r.outIf) out.outIf = r.outIf;
  if (r.vlan) out.vlan = r.vlan;
  if (r.srcVm) out.srcVm = r.srcVm;
  if (r.dstVm) out.dstVm = r.dstVm;
  if (r.interfaceId) out.interfaceId = r.interfaceId;
  if (r.extras) out.extras = r.extras;
  return JSON.stringify(out);
}

function isoMs(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
