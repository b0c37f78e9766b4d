// What is behind one line of the map (GET /api/v1/map/edge, and `bulkhead edge`): its traffic
// over time (from the hourly rollup) and a sample of the latest raw flow records, for exactly the
// workload-level dependencies of the analysis folded into it (./sides.ts says which).
import type { AnalysisResult } from '../analysis/types';
import { protocolName } from '../flow/record';
import type { Runtime } from '../runtime';
import { addrText, asV6, chTime, endpointKeys, networksWith, scannerKey, serverPortOf } from './flow-sql';
import { addressesOf, edgesBetween, type Side } from './sides';

export interface SeriesPoint {
  /** bucket start, ISO */
  t: string;
  flows: number;
  bytes: number;
}

export interface FlowSample {
  start: string;
  end: string;
  client: string;
  clientPort: number;
  server: string;
  serverPort: number;
  protocol: string;
  bytes: number;
  packets: number;
  exporter: string;
  sourceKind: string;
}

export interface EdgeDetails {
  window: { from: string; to: string };
  /** workload-level dependencies behind the line */
  dependencies: number;
  bucket: 'hour' | 'day';
  series: SeriesPoint[];
  totalFlows: number;
  samples: FlowSample[];
  timings: { seriesMs: number; samplesMs: number };
  /** raw flow retention in days (0: forever), to explain an empty sample */
  retentionDays: number;
}

const DAY = 86_400_000;
const SAMPLE = 20;

export async function edgeDetails(
  rt: Pick<Runtime, 'store' | 'config'>,
  result: AnalysisResult,
  client: Side,
  server: Side,
  opts: { ports?: string[]; excludeCore?: boolean; excludeManagement?: boolean },
): Promise<EdgeDetails> {
  const { store } = rt;
  const members = edgesBetween(result, client, server, opts);
  const from = result.window.from;
  const to = result.window.to;
  const bucket = to.getTime() - from.getTime() > 3 * DAY ? 'day' : 'hour';
  const base: EdgeDetails = {
    window: { from: from.toISOString(), to: to.toISOString() },
    dependencies: members.length,
    bucket,
    series: [],
    totalFlows: 0,
    samples: [],
    timings: { seriesMs: 0, samplesMs: 0 },
    retentionDays: rt.config.retention.flowsDays,
  };
  if (!members.length) return base;
  const keys = [...new Set(members.map((e) => `${e.from}|${e.to}|${e.protocol}|${e.port}`))];
  const ca = addressesOf(result, client);
  const sa = addressesOf(result, server);
  const scanners = result.coverage.excluded.scanners.map((x) => x.id);
  const params = { from: chTime(from), to: chTime(to), keys, ca: (ca ?? []).map(asV6), sa: (sa ?? []).map(asV6), scanners };

  const t0 = performance.now();
  const rk = endpointKeys('c.first_seen', 'c.client_addr', 'c.server_addr');
  const series = await store.rows<{ t: string; flows: number; bytes: number }>(
    `WITH ${networksWith(store)}
     SELECT toString(${bucket === 'day' ? 'toStartOfDay(hour)' : 'hour'}) AS t, sum(flows) AS flows, sum(bytes) AS bytes
       FROM (
         SELECT c.hour AS hour, c.flows AS flows, c.bytes_c2s + c.bytes_s2c AS bytes,
                concat(${rk.client}, '|', ${rk.server}, '|', toString(c.protocol), '|', toString(${serverPortOf('c.protocol', 'c.server_port')})) AS k,
                ${scannerKey('c.first_seen', 'c.client_addr')} AS scanner
           FROM ${store.t('conversations_hourly')} AS c
           ASOF LEFT JOIN ${store.t('address_bindings')} AS bc ON c.client_addr = bc.addr AND c.first_seen >= bc.valid_from
           ASOF LEFT JOIN ${store.t('address_bindings')} AS bs ON c.server_addr = bs.addr AND c.first_seen >= bs.valid_from
          WHERE c.hour >= {from:DateTime} AND c.hour < {to:DateTime}
            ${ca ? 'AND c.client_addr IN {ca:Array(IPv6)}' : ''}
            ${sa ? 'AND c.server_addr IN {sa:Array(IPv6)}' : ''}
       )
      WHERE k IN {keys:Array(String)} AND scanner NOT IN {scanners:Array(String)}
      GROUP BY t ORDER BY t`,
    params,
  );

  const t1 = performance.now();
  // The sample is the latest flows: read raw flows only from the last bucket with traffic, so
  // a click never scans a month of raw records.
  const last = [...series].reverse().find((r) => Number(r.flows) > 0);
  const sampleFrom = last ? chTime(`${last.t.replace(' ', 'T')}Z`) : params.to;
  const fk = endpointKeys('r.start', 'r.ca', 'r.sa');
  const samples = await store.rows<{ start: string; end: string; ca: string; sa: string; cport: number; sport: number; protocol: number; bytes: number; packets: number; exporter: string; source_kind: string }>(
    `WITH ${networksWith(store)}
     SELECT toString(r.start) AS start, toString(r.end) AS end, ${addrText('r.ca')} AS ca, ${addrText('r.sa')} AS sa, r.cport AS cport, r.sport AS sport,
            r.protocol AS protocol, r.bytes AS bytes, r.packets AS packets, r.exporter AS exporter, r.source_kind AS source_kind
       FROM (
         SELECT start_time AS start, end_time AS end,
                if(server_side = 'dst', src_addr, dst_addr) AS ca, if(server_side = 'dst', dst_addr, src_addr) AS sa,
                if(server_side = 'dst', src_port, dst_port) AS cport, if(server_side = 'dst', dst_port, src_port) AS sport,
                protocol, bytes + rev_bytes AS bytes, packets + rev_packets AS packets, exporter, source_kind
           FROM ${store.t('flows')}
          WHERE start_time >= {sampleFrom:DateTime} AND start_time < {to:DateTime}
            ${ca ? 'AND (src_addr IN {ca:Array(IPv6)} OR dst_addr IN {ca:Array(IPv6)})' : ''}
            ${sa ? 'AND (src_addr IN {sa:Array(IPv6)} OR dst_addr IN {sa:Array(IPv6)})' : ''}
       ) AS r
       ASOF LEFT JOIN ${store.t('address_bindings')} AS bc ON r.ca = bc.addr AND r.start >= bc.valid_from
       ASOF LEFT JOIN ${store.t('address_bindings')} AS bs ON r.sa = bs.addr AND r.start >= bs.valid_from
      WHERE concat(${fk.client}, '|', ${fk.server}, '|', toString(r.protocol), '|', toString(${serverPortOf('r.protocol', 'r.sport')})) IN {keys:Array(String)}
        AND ${scannerKey('r.start', 'r.ca')} NOT IN {scanners:Array(String)}
      ORDER BY r.start DESC
      LIMIT ${SAMPLE}`,
    { ...params, sampleFrom },
  );

  const t2 = performance.now();
  const iso = (t: string) => `${t.replace(' ', 'T')}${t.endsWith('Z') ? '' : 'Z'}`;
  return {
    ...base,
    series: series.map((s) => ({ t: iso(s.t), flows: Number(s.flows), bytes: Number(s.bytes) })),
    totalFlows: series.reduce((n, s) => n + Number(s.flows), 0),
    timings: { seriesMs: Math.round(t1 - t0), samplesMs: Math.round(t2 - t1) },
    samples: samples.map(
      (f): FlowSample => ({
        start: iso(f.start),
        end: iso(f.end),
        client: f.ca,
        clientPort: f.cport,
        server: f.sa,
        serverPort: f.sport,
        protocol: protocolName(f.protocol),
        bytes: Number(f.bytes),
        packets: Number(f.packets),
        exporter: f.exporter,
        sourceKind: f.source_kind,
      }),
    ),
  };
}
