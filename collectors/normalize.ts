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
import { PeerTracker, serviceScore } from '../lib/flow/orientation';
import type { FlowRecord } from '../lib/flow/record';
import type { DecodedFlow } from './flowdecode';

/**
 * Which decoded extras a record keeps for storage. `identity` (the default) keeps what says who
 * or what an endpoint is: VM and interface identity (VMware), application names and labels,
 * VRFs, NAT translations, firewall events, user names, overlay (VXLAN / IP-in-IP inner)
 * endpoints, MPLS labels, QinQ customer VLANs, sFlow agent addresses. Routing detail (next hops,
 * AS numbers, prefix lengths, ToS, TTLs, MAC addresses, end reasons, other counters) is shown by
 * `bulkhead decode` but not stored: it costs a third of the insert time and no discovery question
 * needs it. `all` stores everything; `none` nothing.
 */
export type ExtrasPolicy = 'identity' | 'all' | 'none';
export const EXTRAS_POLICIES: readonly ExtrasPolicy[] = ['identity', 'all', 'none'];

const IDENTITY_PREFIXES = ['vmware.', 'cisco.app', 'pmacct.', 'inner', 'postNAT', 'postNAPT', 'xlate', 'virtualStation', 'application'];
const IDENTITY_NAMES = new Set([
  'interfaceName', 'interfaceName#2', 'interfaceDescription', 'interfaceDescription#2', 'ingressVRFID', 'egressVRFID', 'VRFname',
  'firewallEvent', 'fwEvent', 'fwExtEvent', 'natEvent', 'userName', 'vxlanVni', 'mplsLabels', 'dot1qCustomerVlanId', 'agentAddress',
  'observationPointId', 'layer2SegmentId', 'ingressAclId', 'egressAclId', 'className', 'samplerName', 'discardReason',
]);
const identityCache = new Map<string, boolean>();

/** The decoder's extras option for a storage policy: unwanted elements are not even decoded. */
export function decoderExtras(policy: ExtrasPolicy): boolean | ((name: string) => boolean) {
  return policy === 'all' ? true : policy === 'none' ? false : isIdentity;
}

/** Whether an extra says who or what an endpoint is (the `identity` policy). */
export function isIdentity(name: string): boolean {
  let v = identityCache.get(name);
  if (v === undefined) {
    v = IDENTITY_NAMES.has(name) || IDENTITY_PREFIXES.some((p) => name.startsWith(p));
    if (identityCache.size < 10_000) identityCache.set(name, v);
  }
  return v;
}

function keepExtras(extras: Record<string, string> | null, policy: ExtrasPolicy): Record<string, string> | undefined {
  if (!extras || policy === 'none') return undefined;
  if (policy === 'all') return extras;
  let out: Record<string, string> | undefined;
  for (const k in extras) if (isIdentity(k)) (out ??= {})[k] = extras[k]!;
  return out;
}

export class FlowNormalizer {
  constructor(
    readonly peers: PeerTracker = new PeerTracker(),
    readonly extras: ExtrasPolicy = 'all',
  ) {}

  toRecord(f: DecodedFlow): FlowRecord {
    const input = {
      srcAddr: f.srcAddr,
      dstAddr: f.dstAddr,
      srcPort: f.srcPort,
      dstPort: f.dstPort,
      protocol: f.protocol,
      tcpFlags: f.protocol === 6 && f.tcpFlags !== 0 ? f.tcpFlags : undefined,
    };
    // Peers are counted for the side that may be the service: the side with the more
    // service-like port, or both when the ports look alike. The client's ephemeral port of a
    // flow to a service port is never asked about, and counting it would fill the tracker with
    // one-off endpoints (see PeerTracker.observeEndpoint).
    const ss = serviceScore(f.srcPort);
    const ds = serviceScore(f.dstPort);
    if (ss >= ds) this.peers.observeEndpoint(f.srcAddr, f.srcPort, f.protocol, f.dstAddr);
    if (ds >= ss) this.peers.observeEndpoint(f.dstAddr, f.dstPort, f.protocol, f.srcAddr);
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
    // Every field set, in one order: one object shape for the sink and the encoder to work on.
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
      revBytes: f.revBytes,
      revPackets: f.revPackets,
      tcpFlags: f.tcpFlags | f.revTcpFlags,
      serverSide,
      orientation,
      sourceKind: f.version,
      exporter: f.exporter,
      observationDomain: f.observationDomain,
      samplingRate: f.samplingRate,
      direction: f.direction || 'unknown',
      action: 'unknown',
      inIf: f.inIf,
      outIf: f.outIf,
      vlan: f.vlan,
      srcVm: f.srcVm,
      dstVm: f.dstVm,
      vpcId: '',
      interfaceId: f.interfaceId,
      extras: keepExtras(f.extras, this.extras),
    };
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
  if (r.revPackets || r.revBytes) {
    out.revPackets = r.revPackets ?? 0;
    out.revBytes = r.revBytes ?? 0;
  }
  out.tcpFlags = r.tcpFlags ?? 0;
  out.samplingRate = r.samplingRate ?? 1;
  out.serverSide = r.serverSide;
  out.orientation = r.orientation;
  if (r.direction && r.direction !== 'unknown') out.direction = r.direction;
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
