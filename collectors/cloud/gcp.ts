// GCP VPC Flow Logs as Cloud Logging exports them: LogEntry JSON (one pretty-printed entry, JSON
// lines, an array as `gcloud logging read --format=json` prints, or an entries.list response),
// with jsonPayload.connection, reporter SRC/DEST (or SRC_GATEWAY/DEST_GATEWAY), src/dest
// instance, VPC, GKE and Google-service details. A GCP record is one direction of a connection
// as one side reported it; both VMs of a connection in logged subnets report it (folded later).
import { isIP } from 'node:net';
import type { Direction, FlowRecord } from '../../lib/flow/record';
import type { FileContext, ParseOutput } from './types';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** int64 fields come as JSON strings ("1776") or numbers */
function count(v: unknown): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= 0 ? n : Number.NaN;
}

function endpointName(instance: Obj | undefined, gke: Obj | undefined): string | undefined {
  const pod = obj(obj(gke)?.pod);
  const podName = str(pod?.pod_name);
  if (podName) return `${str(pod?.pod_namespace) ?? 'default'}/${podName}`;
  return str(instance?.vm_name);
}

export class GcpParser {
  notFlowLog: string | null = null;
  records = 0;
  private docs = 0;

  constructor(
    /** the file (GCP entries carry their own times, so nothing of it is needed yet) */
    readonly ctx: FileContext,
    private readonly out: ParseOutput,
  ) {}

  /** One JSON value: a LogEntry, an array of them, or {entries: [...]}. */
  json(doc: unknown, n: number): void {
    const first = this.docs++ === 0;
    const entries = Array.isArray(doc) ? doc : Array.isArray(obj(doc)?.entries) ? (obj(doc)!.entries as unknown[]) : [doc];
    const wrapped = entries !== (doc as unknown) && !(entries.length === 1 && entries[0] === doc);
    entries.forEach((e, k) => {
      const where = wrapped ? (Array.isArray(doc) ? `[${k}]` : `entries[${k}]`) : undefined;
      const reason = this.entry(e);
      if (reason) {
        if (first && k === 0 && this.records === 0 && !looksLikeLogEntry(e)) this.notFlowLog = reason;
        else this.out.reject(n, reason, where);
      }
    });
  }

  /** Parses one LogEntry; returns why it was refused, or null. */
  private entry(e: unknown): string | null {
    const entry = obj(e);
    if (!entry) return 'not a JSON object: not a Cloud Logging entry';
    const logName = str(entry.logName) ?? '';
    const p = obj(entry.jsonPayload);
    const c = obj(p?.connection);
    if (!p || !c) {
      if (/firewall/.test(logName)) return `a firewall rules log entry (${logName}), not a VPC flow log`;
      return `no jsonPayload.connection: not a VPC flow log entry${logName ? ` (logName ${logName})` : ''}`;
    }
    const src = str(c.src_ip);
    const dst = str(c.dest_ip);
    if (!src || isIP(src) === 0) return `connection.src_ip: "${String(c.src_ip)}" is not an IP address`;
    if (!dst || isIP(dst) === 0) return `connection.dest_ip: "${String(c.dest_ip)}" is not an IP address`;
    if (isIP(src) !== isIP(dst)) return `source ${src} and destination ${dst} are of different address families`;
    const protocol = typeof c.protocol === 'number' ? c.protocol : Number(c.protocol);
    if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255) return `connection.protocol: "${String(c.protocol)}" is not an IANA protocol number`;
    // ICMP has no ports
    const srcPort = c.src_port === undefined ? 0 : Number(c.src_port);
    const dstPort = c.dest_port === undefined ? 0 : Number(c.dest_port);
    if (!Number.isInteger(srcPort) || srcPort < 0 || srcPort > 65535) return `connection.src_port: "${String(c.src_port)}" is not a port`;
    if (!Number.isInteger(dstPort) || dstPort < 0 || dstPort > 65535) return `connection.dest_port: "${String(c.dest_port)}" is not a port`;
    const start = Date.parse(str(p.start_time) ?? str(entry.timestamp) ?? '');
    const end = Date.parse(str(p.end_time) ?? str(p.start_time) ?? str(entry.timestamp) ?? '');
    if (!Number.isFinite(start)) return `start_time: "${String(p.start_time)}" is not an RFC 3339 time`;
    if (!Number.isFinite(end)) return `end_time: "${String(p.end_time)}" is not an RFC 3339 time`;
    if (end < start) return `end_time ${p.end_time} is before start_time ${p.start_time}`;
    const bytes = count(p.bytes_sent);
    const packets = count(p.packets_sent);
    if (Number.isNaN(bytes)) return `bytes_sent: "${String(p.bytes_sent)}" is not a count`;
    if (Number.isNaN(packets)) return `packets_sent: "${String(p.packets_sent)}" is not a count`;

    const reporter = str(p.reporter) ?? 'UNKNOWN';
    const direction: Direction = reporter.startsWith('SRC') ? 'egress' : reporter.startsWith('DEST') ? 'ingress' : 'unknown';
    const srcInstance = obj(p.src_instance);
    const dstInstance = obj(p.dest_instance);
    const srcName = endpointName(srcInstance, obj(p.src_gke_details));
    const dstName = endpointName(dstInstance, obj(p.dest_gke_details));
    const labels = obj(obj(entry.resource)?.labels);
    const project = str(labels?.project_id) ?? /^projects\/([^/]+)\//.exec(logName)?.[1] ?? str(srcInstance?.project_id) ?? str(dstInstance?.project_id);
    const reportingVpc = obj(reporter.startsWith('SRC') ? p.src_vpc : p.dest_vpc);
    const reportingName = reporter.startsWith('SRC') ? srcName : dstName;

    const record: FlowRecord = {
      start,
      end,
      srcAddr: src,
      dstAddr: dst,
      srcPort,
      dstPort,
      protocol,
      bytes,
      packets,
      serverSide: 'dst',
      orientation: 'guess',
      sourceKind: 'gcp',
      exporter: project ? `gcp:${project}` : 'gcp',
      direction,
      action: 'unknown',
      interfaceId: reportingName ?? '',
    };
    if (srcName) record.srcVm = srcName;
    if (dstName) record.dstVm = dstName;
    const vpcName = str(reportingVpc?.vpc_name);
    if (vpcName) record.vpcId = vpcName;
    const extras: Record<string, string> = { reporter };
    const add = (k: string, v: unknown) => {
      if (v !== undefined && v !== null && v !== '') extras[k] = String(v);
    };
    add('src_service', obj(p.src_google_service)?.service_name ?? obj(p.src_google_service)?.type);
    add('dest_service', obj(p.dest_google_service)?.service_name ?? obj(p.dest_google_service)?.type);
    add('src_asn', obj(p.src_location)?.asn);
    add('dest_asn', obj(p.dest_location)?.asn);
    add('src_country', obj(p.src_location)?.country);
    add('dest_country', obj(p.dest_location)?.country);
    add('src_workload', obj(obj(obj(p.src_gke_details)?.pod)?.pod_workload)?.workload_name);
    add('dest_workload', obj(obj(obj(p.dest_gke_details)?.pod)?.pod_workload)?.workload_name);
    add('src_subnet', obj(p.src_vpc)?.subnetwork_name);
    add('dest_subnet', obj(p.dest_vpc)?.subnetwork_name);
    add('src_mig', obj(srcInstance?.managed_instance_group)?.name);
    add('dest_mig', obj(dstInstance?.managed_instance_group)?.name);
    add('src_gateway', obj(p.src_gateway)?.name);
    add('dest_gateway', obj(p.dest_gateway)?.name);
    record.extras = extras;
    this.records++;
    // The reporting side identifies the observer: a SRC and a DEST report of one direction are one flow.
    this.out.observation({ record, observer: `${reporter}:${reportingName ?? (reporter.startsWith('SRC') ? src : dst)}` });
    return null;
  }
}

function looksLikeLogEntry(e: unknown): boolean {
  const o = obj(e);
  return Boolean(o && (o.logName !== undefined || o.jsonPayload !== undefined || o.insertId !== undefined));
}
