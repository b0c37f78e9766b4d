// The flows explorer (the flows page through GET /api/v1/flows, and `bulkhead flows`): raw flow
// records of a window filtered by client, server or either side (workloads by name or id,
// applications, map endpoints, addresses, CIDRs), server ports and protocol, newest first and a
// page at a time, with the workload that held each address at the time, and a series over the
// window. Filters people wrote wrongly are refused with a FlowQueryError naming the value.
import type { AnalysisResult } from '../analysis/types';
import type { Db } from '../db';
import type { Store } from '../store';
import { parseCidr } from '../flow/cidr';
import { parsePortFilter } from '../flow/ports';
import { protocolName, protocolNumber } from '../flow/record';
import { resolveWindow } from '../analysis/window';
import type { Runtime } from '../runtime';
import { BulkheadError } from '../errors';
import { analysisResult } from './analysis';
import type { SeriesPoint } from './edge';
import { addrText, asV6, chTime, clientEndpointKey, networksWith, serverEndpointKey, serverPortOf } from './flow-sql';
import { mapIndexOf, sideOf } from './sides';

export interface FlowRow {
  start: string;
  end: string;
  client: string;
  clientPort: number;
  /** the workload that held the client address at the time, if any */
  clientWorkload: string | null;
  server: string;
  serverPort: number;
  serverWorkload: string | null;
  protocol: string;
  bytesToServer: number;
  bytesToClient: number;
  packets: number;
  tcpFlags: number;
  exporter: string;
  sourceKind: string;
  action: string;
  samplingRate: number;
  /** how client and server were told apart (biflow, tcp-flags, port, peers, ...) */
  orientation: string;
}

export interface FlowsPage {
  window: { from: string; to: string };
  bucket: 'minute' | 'hour' | 'day';
  series: SeriesPoint[];
  total: number;
  rows: FlowRow[];
  tookMs: number;
}

export class FlowQueryError extends BulkheadError {
  override name = 'FlowQueryError';
  constructor(message: string) {
    super('invalid', message);
  }
}

/** A side of the filter, resolved: workload ids, exact addresses and CIDRs. */
interface Resolved {
  workloads: string[];
  addresses: string[];
  cidrs: string[];
  /** map endpoints (ep:<key>): addresses that discovery names with this key, as on the map */
  endpoints: string[];
  /** addresses the workloads held during the window: narrow the scan of raw flows by them */
  held: string[];
  /** scanning clients (workload ids, addresses): not part of any map endpoint, as in discovery */
  scanners: string[];
}

const isAddress = (s: string) => /^[0-9.]+$/.test(s) || (s.includes(':') && !s.includes('/') && /^[0-9a-f:.]+$/i.test(s));

/**
 * A filter value: a workload name or id, `w:<id>`, `app:<application id>` (its members in the
 * window's analysis), `ep:<cidr>`, an address or a CIDR. Several separated by commas.
 */
export async function resolveSpec(db: Db, spec: string, analysis: () => Promise<AnalysisResult>, window: { from: Date; to: Date }): Promise<Resolved> {
  const out: Resolved = { workloads: [], addresses: [], cidrs: [], endpoints: [], held: [], scanners: [] };
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw.startsWith('ep:')) {
      out.endpoints.push(raw.slice(3));
      out.scanners = (await analysis()).coverage.excluded.scanners.map((x) => x.id);
      continue;
    }
    const s = raw;
    if (isAddress(s)) {
      out.addresses.push(s);
      continue;
    }
    if (s.includes('/') && !s.includes(':') ? /^[0-9.]+\/\d+$/.test(s) : /^[0-9a-f:]+\/\d+$/i.test(s)) {
      try {
        parseCidr(s);
      } catch (e) {
        throw new FlowQueryError(`${raw}: ${(e as Error).message}`);
      }
      out.cidrs.push(s);
      continue;
    }
    if (/^(app|role|env|zone):/.test(s)) {
      const side = sideOf(mapIndexOf(await analysis()), s);
      if (!side) throw new FlowQueryError(`${raw}: no such application or group in this window's map`);
      out.workloads.push(...side.workloads);
      out.endpoints.push(...side.endpoints);
      if (side.endpoints.size) out.scanners = (await analysis()).coverage.excluded.scanners.map((x) => x.id);
      continue;
    }
    const id = s.replace(/^w:/, '');
    const w = await db.workload.findFirst({ where: { OR: [{ id }, { name: id }] }, select: { id: true } });
    if (!w) throw new FlowQueryError(`${raw}: not a workload name, address, CIDR or app:<application>`);
    out.workloads.push(w.id);
  }
  if (out.workloads.length) {
    const held = await db.addressBinding.findMany({
      where: { workloadId: { in: out.workloads }, validFrom: { lt: window.to }, OR: [{ validTo: null }, { validTo: { gt: window.from } }] },
      select: { ip: true },
    });
    out.held = [...new Set(held.map((h) => h.ip))];
  }
  return out;
}

const empty = (r: Resolved | null) => !r || r.workloads.length + r.addresses.length + r.cidrs.length + r.endpoints.length === 0;

function sideSql(r: Resolved, addr: string, bind: string, p: Record<string, unknown>, name: string, role: 'client' | 'server'): string {
  const parts: string[] = [];
  if (r.endpoints.length) {
    p[`${name}E`] = r.endpoints;
    const key = role === 'client' ? clientEndpointKey(addr) : serverEndpointKey(addr);
    let scanners = '';
    if (role === 'client' && r.scanners.length) {
      p[`${name}S`] = r.scanners;
      scanners = ` AND ${addrText(addr)} NOT IN {${name}S:Array(String)}`;
    }
    parts.push(`(NOT (r.start < ${bind}.valid_to) AND ${key} IN {${name}E:Array(String)}${scanners})`);
  }
  if (r.workloads.length) {
    p[`${name}W`] = r.workloads;
    parts.push(`(r.start < ${bind}.valid_to AND ${bind}.workload_id IN {${name}W:Array(String)})`);
  }
  if (r.addresses.length) {
    p[`${name}A`] = r.addresses.map(asV6);
    parts.push(`${addr} IN {${name}A:Array(IPv6)}`);
  }
  r.cidrs.forEach((c, i) => {
    p[`${name}C${i}`] = c;
    parts.push(`isIPAddressInRange(${addrText(addr)}, {${name}C${i}:String})`);
  });
  return `(${parts.join(' OR ')})`;
}

export interface FlowFilter {
  from: Date;
  to: Date;
  client: Resolved | null;
  server: Resolved | null;
  /** either side */
  endpoint: Resolved | null;
  ports: string[];
  protocol: number | null;
  limit: number;
  /** rows before this start time (ISO) for the next page */
  before: string | null;
}

export async function queryFlows(store: Store, f: FlowFilter): Promise<FlowsPage> {
  const span = f.to.getTime() - f.from.getTime();
  const bucket: FlowsPage['bucket'] = span <= 6 * 3600_000 ? 'minute' : span <= 8 * 86_400_000 ? 'hour' : 'day';
  const p: Record<string, unknown> = { from: chTime(f.from), to: chTime(f.to), limit: f.limit };
  const where: string[] = [];
  if (!empty(f.client)) where.push(sideSql(f.client!, 'r.ca', 'bc', p, 'c', 'client'));
  if (!empty(f.server)) where.push(sideSql(f.server!, 'r.sa', 'bs', p, 's', 'server'));
  if (!empty(f.endpoint)) where.push(`(${sideSql(f.endpoint!, 'r.ca', 'bc', p, 'ec', 'client')} OR ${sideSql(f.endpoint!, 'r.sa', 'bs', p, 'es', 'server')})`);
  const withNets = [f.client, f.server, f.endpoint].some((x) => x && x.endpoints.length) ? `WITH ${networksWith(store)}` : '';
  if (f.protocol !== null) {
    p.protocol = f.protocol;
    where.push('r.protocol = {protocol:UInt8}');
  }
  const ranges = f.ports.map((s) => {
    const r = parsePortFilter(s);
    if (!r) throw new FlowQueryError(`port: "${s}" is not a port, a range (8000-8100) or protocol/port (tcp/443)`);
    return r;
  });
  if (ranges.length) {
    where.push(`(${ranges.map((r, i) => {
      p[`plo${i}`] = r.from;
      p[`phi${i}`] = r.to;
      const proto = r.protocol === null ? '' : ` AND r.protocol = ${Number(r.protocol)}`;
      return `(${serverPortOf('r.protocol', 'r.sport')} BETWEEN {plo${i}:UInt16} AND {phi${i}:UInt16}${proto})`;
    }).join(' OR ')})`);
  }
  // Narrow the scan of raw flows by exact addresses where a side names only addresses.
  const pre: string[] = [];
  for (const side of [f.client, f.server, f.endpoint]) {
    if (!empty(side) && side!.cidrs.length === 0 && side!.endpoints.length === 0) {
      const k = `pre${pre.length}`;
      p[k] = [...side!.addresses, ...side!.held].map(asV6);
      pre.push(`(src_addr IN {${k}:Array(IPv6)} OR dst_addr IN {${k}:Array(IPv6)})`);
    }
  }
  const inner = `
    SELECT start_time AS start, end_time AS end,
           if(server_side = 'dst', src_addr, dst_addr) AS ca, if(server_side = 'dst', dst_addr, src_addr) AS sa,
           if(server_side = 'dst', src_port, dst_port) AS cport, if(server_side = 'dst', dst_port, src_port) AS sport,
           protocol, if(server_side = 'dst', bytes, rev_bytes) AS bytes_c2s, if(server_side = 'dst', rev_bytes, bytes) AS bytes_s2c,
           packets + rev_packets AS packets, tcp_flags, exporter, source_kind, action, sampling_rate, orientation
      FROM ${store.t('flows')}
     WHERE start_time >= {from:DateTime} AND start_time < {to:DateTime} ${pre.length ? `AND ${pre.join(' AND ')}` : ''}`;
  const from = `(${inner}) AS r
    ASOF LEFT JOIN ${store.t('address_bindings')} AS bc ON r.ca = bc.addr AND r.start >= bc.valid_from
    ASOF LEFT JOIN ${store.t('address_bindings')} AS bs ON r.sa = bs.addr AND r.start >= bs.valid_from`;
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const bucketExpr = bucket === 'minute' ? 'toStartOfMinute(r.start)' : bucket === 'hour' ? 'toStartOfHour(r.start)' : 'toStartOfDay(r.start)';

  const t0 = performance.now();
  const series = await store.rows<{ t: string; flows: number; bytes: number }>(
    `${withNets} SELECT toString(${bucketExpr}) AS t, count() AS flows, sum(r.bytes_c2s + r.bytes_s2c) AS bytes FROM ${from} ${cond} GROUP BY t ORDER BY t`,
    p,
  );
  const pageCond = f.before ? `${cond ? `${cond} AND` : 'WHERE'} r.start < {before:DateTime64(3)}` : cond;
  if (f.before) p.before = f.before.replace('T', ' ').replace('Z', '');
  const rows = await store.rows<{
    start: string;
    end: string;
    ca: string;
    sa: string;
    cport: number;
    sport: number;
    protocol: number;
    bytes_c2s: number;
    bytes_s2c: number;
    packets: number;
    tcp_flags: number;
    exporter: string;
    source_kind: string;
    action: string;
    sampling_rate: number;
    orientation: string;
    cw: string;
    sw: string;
  }>(
    `${withNets} SELECT toString(r.start) AS start, toString(r.end) AS end, ${addrText('r.ca')} AS ca, ${addrText('r.sa')} AS sa, r.cport AS cport, r.sport AS sport, r.protocol AS protocol,
            r.bytes_c2s AS bytes_c2s, r.bytes_s2c AS bytes_s2c, r.packets AS packets, r.tcp_flags AS tcp_flags, r.exporter AS exporter, r.source_kind AS source_kind,
            toString(r.action) AS action, r.sampling_rate AS sampling_rate, toString(r.orientation) AS orientation,
            if(r.start < bc.valid_to, bc.workload_name, '') AS cw, if(r.start < bs.valid_to, bs.workload_name, '') AS sw
       FROM ${from} ${pageCond}
      ORDER BY r.start DESC
      LIMIT {limit:UInt32}`,
    p,
  );
  const iso = (t: string) => `${t.replace(' ', 'T')}${t.endsWith('Z') ? '' : 'Z'}`;
  return {
    window: { from: f.from.toISOString(), to: f.to.toISOString() },
    bucket,
    series: series.map((s) => ({ t: iso(s.t), flows: Number(s.flows), bytes: Number(s.bytes) })),
    total: series.reduce((n, s) => n + Number(s.flows), 0),
    rows: rows.map((r) => ({
      start: iso(r.start),
      end: iso(r.end),
      client: r.ca,
      clientPort: r.cport,
      clientWorkload: r.cw || null,
      server: r.sa,
      serverPort: r.sport,
      serverWorkload: r.sw || null,
      protocol: protocolName(r.protocol),
      bytesToServer: Number(r.bytes_c2s),
      bytesToClient: Number(r.bytes_s2c),
      packets: Number(r.packets),
      tcpFlags: r.tcp_flags,
      exporter: r.exporter,
      sourceKind: r.source_kind,
      action: r.action,
      samplingRate: r.sampling_rate,
      orientation: r.orientation,
    })),
    tookMs: Math.round(performance.now() - t0),
  };
}

/** The explorer's request as the flows page's API and `bulkhead flows` take it: a window, filters as people write them, a page. */
export interface FlowsRequest {
  window: { from?: string | Date; to?: string | Date; days?: number };
  /** filter values (resolveSpec), several separated by commas */
  client?: string;
  server?: string;
  /** either side */
  endpoint?: string;
  /** server ports, comma separated: 443, tcp/443, 8000-8100, udp */
  port?: string;
  /** tcp, udp, icmp or a protocol number */
  protocol?: string;
  limit: number;
  /** the start (ISO) of the last row of the previous page */
  before?: string | null;
}

/**
 * One page of the explorer. Filters that name map nodes (app:, ep:, role:...) are resolved
 * against the window's analysis, computed once per window and shared (./analysis.ts).
 */
export async function readFlows(rt: Runtime, q: FlowsRequest): Promise<FlowsPage> {
  const win = resolveWindow(q.window);
  const analysis = () => analysisResult(rt, q.window);
  const db = rt.db.prisma;
  const protocol = q.protocol ? (protocolNumber(q.protocol.trim()) ?? null) : null;
  if (q.protocol && protocol === null) throw new FlowQueryError(`protocol: "${q.protocol}" is not tcp, udp, icmp or a protocol number`);
  return queryFlows(rt.store, {
    from: win.from,
    to: win.to,
    client: q.client ? await resolveSpec(db, q.client, analysis, win) : null,
    server: q.server ? await resolveSpec(db, q.server, analysis, win) : null,
    endpoint: q.endpoint ? await resolveSpec(db, q.endpoint, analysis, win) : null,
    ports: q.port ? q.port.split(',').map((s) => s.trim()).filter(Boolean) : [],
    protocol,
    limit: q.limit,
    before: q.before ?? null,
  });
}
