// Edges from the hourly rollup, in one ClickHouse query: identity resolution by time, scanner
// and ephemeral-noise detection, and the grouping of unknown endpoints into named networks all
// happen in the engine, so that what comes back is small (one row per dependency).
//
//  1. Rollup rows of the periodicity span are resolved to workloads by the time they were seen:
//     ASOF joins on address_bindings pick the binding that started last before the row's
//     first_seen and keep it only while it was valid (first_seen < valid_to), which is
//     lib/identity/bindings.ts's [valid_from, valid_to) contract. Whole days come from the
//     daily rollup (about 30 rows per dependency a month instead of up to 720), except days on
//     which one of the addresses changed hands, and the partial days at the window's edges:
//     those come from the hourly rollup, so an address that changed hands gives each holder
//     its own edges, hour by hour.
//  2. Rows are grouped per (client, server, protocol, server port), where an unbound endpoint is
//     its address. Counters are those of the window; active days are kept over the whole
//     periodicity span (monthly jobs need two months to be seen twice).
//  3. Window functions over that small result find sweeping sources by behaviour (./scanners.ts
//     says how) and set their probes apart, keeping what the same source uses like everyone
//     else; and they flag ephemeral noise (a server port in the ephemeral range that one client
//     used in at most two hours).
//  4. Unknown endpoints become the CIDR of the named network that holds them (most specific
//     first, lib/identity/networks.ts); unknown public clients become the internet; anything
//     else stays an address. A sweeper's probes collapse to one summary row per source, noise
//     to one row.
import { SERVICE_PORTS } from '../flow/orientation';
import type { Store } from '../store';
import type { AnalysisWindow } from './types';
import { chTime, DAY_MS } from './window';
import { addrTextSql, boundSql, clientKeySql, networkCodeSql, networkIndexSql, networksWith, serverKeySql, serverPortSql } from './endpoint-sql';
import { briefHours, SWEEP, sweeperSql, type SweepReason } from './scanners';

export interface EdgeRow {
  /** "w:<workload id>", a CIDR, or an address */
  ckey: string;
  skey: string;
  protocol: number;
  port: number;
  flows: number;
  bytes_c2s: number;
  bytes_s2c: number;
  packets: number;
  failed_flows: number;
  first_seen: string;
  last_seen: string;
  active_hours: number;
  /** day indexes from `dayZero` (UTC midnight) over the periodicity span */
  days: number[];
  /** hours of day (UTC) with traffic in the window, bit h = hour h */
  hods: number;
  /** distinct addresses behind a grouped client / server endpoint */
  c_addresses: number;
  s_addresses: number;
  /** 1 when the client is a sweeping source and this is what it uses like everyone else */
  from_sweeper: number;
}

/** A sweeping source: its probes (targets set apart), summed. */
export interface ScannerRow {
  ckey: string;
  flows: number;
  first_seen: string;
  last_seen: string;
  /** probes: distinct (host, protocol, port) targets set apart */
  targets: number;
  failed_targets: number;
  hosts: number;
  ports: number;
  reason: SweepReason;
}

export interface EdgeQueryResult {
  edges: EdgeRow[];
  scanners: ScannerRow[];
  noise: { conversations: number; flows: number };
  /** UTC midnight the day indexes count from */
  dayZero: number;
}

interface RawRow extends EdgeRow {
  kind: 'edge' | 'scanner' | 'noise';
  rows: number;
  targets: number;
  failed_targets: number;
  hosts: number;
  ports: number;
  reason: SweepReason;
}

// Service ports in the ephemeral range are real services, never noise.
const HIGH_SERVICE_PORTS = [...SERVICE_PORTS].filter((p) => p >= 32768);

export function edgeSql(store: Store): string {
  // The network of an unknown endpoint is looked up once per row and only for unknown endpoints
  // (cni, sni below); ./endpoint-sql.ts names endpoints from it.
  const bindings = store.t('address_bindings');
  // (address, day) pairs on which a binding starts or ends: read hour by hour there
  const changed = `(SELECT addr, toDate(valid_from) FROM ${bindings} WHERE valid_from >= {pfrom:DateTime} - INTERVAL 1 DAY AND valid_from < {to:DateTime}
      UNION ALL SELECT addr, toDate(valid_to) FROM ${bindings} WHERE valid_to >= {pfrom:DateTime} AND valid_to < {to:DateTime})`;
  const changedAddrs = `(SELECT addr FROM ${bindings} WHERE (valid_from >= {pfrom:DateTime} - INTERVAL 1 DAY AND valid_from < {to:DateTime}) OR (valid_to >= {pfrom:DateTime} AND valid_to < {to:DateTime}))`;
  const fullDay = (d: string) => `((${d} >= {lbLo:Date} AND ${d} < {lbHi:Date}) OR (${d} >= {wLo:Date} AND ${d} < {wHi:Date}))`;
  return `
WITH
  ${networksWith(store)},
  -- workload ids by the 64-bit hash the grouping uses
  (SELECT tuple(groupArray(h), groupArray(id)) FROM (SELECT DISTINCT cityHash64(workload_id) AS h, workload_id AS id FROM ${bindings} WHERE workload_id != '')) AS ids
SELECT
  kind, ckey, skey, g_protocol AS protocol, g_port AS port,
  sum(flows) AS flows, sum(b_c2s) AS bytes_c2s, sum(b_s2c) AS bytes_s2c, sum(pk) AS packets, sum(ff) AS failed_flows,
  toString(min(fs)) AS first_seen, toString(max(ls)) AS last_seen,
  -- a dependency is one row unless its endpoint is a network holding several addresses: then
  -- active hours are counted exactly as distinct hours over the addresses, day by day
  if(count() = 1, any(hw), arrayReduce('uniqExact', arrayFlatten(arrayMap(t -> arrayMap(h -> toUInt32(t.1) * 24 + h, arrayFilter(h -> bitTest(t.2, h), range(24))), groupArrayArrayIf(hl, grouped))))) AS active_hours,
  if(count() = 1, any(days), groupUniqArrayArrayIf(days, grouped)) AS days,
  groupBitOr(hod) AS hods,
  sum(n) AS rows, uniqExactIf(ca, grouped) AS c_addresses, uniqExactIf(sa, grouped) AS s_addresses,
  any(k_targets) AS targets, any(k_failed) AS failed_targets, any(k_hosts) AS hosts, any(k_ports) AS ports,
  any(sweep_reason) AS reason, toUInt8(max(sweeper AND NOT grouped)) AS from_sweeper
FROM (
  SELECT *,
    if(kind = 'edge' AND cw = 0, ${networkIndexSql('ca')}, 0) AS cni,
    if(kind = 'edge' AND sw = 0, ${networkIndexSql('sa')}, 0) AS sni,
    ${networkCodeSql('cni')} AS ccode,
    ${networkCodeSql('sni')} AS scode,
    ccode != 0 OR scode = 1 AS grouped,
    multiIf(kind = 'noise', '', cw != 0, concat('w:', transform(cw, ids.1, ids.2, '')), kind = 'scanner', ${addrTextSql('ca')}, ${clientKeySql('ca', 'cni')}) AS ckey,
    multiIf(kind != 'edge', '', sw != 0, concat('w:', transform(sw, ids.1, ids.2, '')), ${serverKeySql('sa', 'sni')}) AS skey,
    if(kind = 'edge', protocol, 0) AS g_protocol,
    if(kind = 'edge', port, 0) AS g_port
  FROM (
    -- a sweeper's probes collapse to one row before anything else is computed for them
    SELECT * REPLACE (if(kind = 'scanner', k_flows, flows) AS flows, if(kind = 'scanner', k_fs, fs) AS fs, if(kind = 'scanner', k_ls, ls) AS ls),
      if(kind = 'scanner', k_targets, 1) AS n
    FROM (
      SELECT *,
        count() OVER k AS k_targets,
        sum(toUInt8(ff >= flows)) OVER k AS k_failed,
        uniqExact(tuple(sw, sa)) OVER k AS k_hosts,
        uniqExact(port) OVER k AS k_ports,
        sum(flows) OVER k AS k_flows,
        min(fs) OVER k AS k_fs,
        max(ls) OVER k AS k_ls,
        row_number() OVER k AS k_row
      FROM (
        SELECT *,
          multiIf(
            sweeper AND NOT ordinary, 'scanner',
            protocol IN (6, 17, 132) AND (port >= 32768 OR port = 0) AND port NOT IN {highServicePorts:Array(UInt16)}
              AND p_clients = 1 AND p_hours <= 2 AND length(days) <= 1, 'noise',
            'edge') AS kind
        FROM (
          SELECT *, ${sweeperSql()}
          FROM (
            SELECT *,
              count() OVER c AS c_targets,
              sum(toUInt8(ff >= flows)) OVER c AS c_failed,
              uniqExact(port) OVER c AS c_ports,
              countIf(hw <= {briefHours:UInt32}) OVER c AS b_targets,
              uniqExactIf(tuple(sw, sa), hw <= {briefHours:UInt32}) OVER c AS b_hosts,
              uniqExactIf(tuple(sw, sa), hw <= {briefHours:UInt32} AND protocol IN (1, 58)) OVER c AS b_icmp_hosts,
              countIf(hw <= {briefHours:UInt32} AND protocol NOT IN (1, 58)) OVER c AS b_port_targets,
              uniqExactIf(tuple(sw, sa), hw <= {briefHours:UInt32} AND protocol NOT IN (1, 58)) OVER c AS b_port_hosts,
              countIf(hw <= {briefHours:UInt32} AND ff >= flows) OVER c AS b_failed,
              count() OVER p AS p_clients,
              sum(hw) OVER p AS p_hours
            FROM (
                  -- one row per (client, server, protocol, port): counters of the window, days of the span
                  SELECT cw, ca, sw, sa, protocol, port,
                    sumIf(flows, in_w) AS flows, sumIf(b_c2s, in_w) AS b_c2s, sumIf(b_s2c, in_w) AS b_s2c, sumIf(pk, in_w) AS pk, sumIf(ff, in_w) AS ff,
                    minIf(fs, in_w) AS fs, maxIf(ls, in_w) AS ls,
                    sumIf(bitCount(mask), in_w) AS hw,
                    groupArrayIf(tuple(toUInt16(dateDiff('day', {day0:Date}, d)), mask), in_w AND (cw = 0 OR sw = 0)) AS hl,
                    groupUniqArray(toUInt16(dateDiff('day', {day0:Date}, d))) AS days,
                    groupBitOrIf(mask, in_w) AS hod
                  FROM (
                    -- identity by time, per day (or per hour where an address changed hands that day);
                    -- workloads are grouped by a 64-bit hash of their id (fixed-size keys hash fast)
                    SELECT
                      if(${boundSql('r.first_seen', 'bc')}, cityHash64(bc.workload_id), 0) AS cw,
                      if(cw = 0, r.client_addr, toIPv6('::')) AS ca,
                      if(${boundSql('r.first_seen', 'bs')}, cityHash64(bs.workload_id), 0) AS sw,
                      if(sw = 0, r.server_addr, toIPv6('::')) AS sa,
                      r.protocol AS protocol,
                      ${serverPortSql('r.protocol', 'r.server_port')} AS port,
                      r.d AS d, r.in_w AS in_w,
                      sum(r.flows) AS flows, sum(r.bytes_c2s) AS b_c2s, sum(r.bytes_s2c) AS b_s2c, sum(r.pk) AS pk, sum(r.ff) AS ff,
                      groupBitOr(r.mask) AS mask, min(r.first_seen) AS fs, max(r.last_seen) AS ls
                    FROM (
                      -- whole days, except where one of the addresses changed hands that day
                      SELECT day AS d, hours AS mask, day >= {wLo:Date} AS in_w, first_seen, last_seen, client_addr, server_addr, server_port, protocol,
                             flows, bytes_c2s, bytes_s2c, packets_c2s + packets_s2c AS pk, rejected_flows + unanswered_flows AS ff
                      FROM ${store.t('conversations_daily')}
                      WHERE ${fullDay('day')}
                        AND ((client_addr NOT IN ${changedAddrs} AND server_addr NOT IN ${changedAddrs}) OR ((client_addr, day) NOT IN ${changed} AND (server_addr, day) NOT IN ${changed}))
                      UNION ALL
                      -- hours of the partial days at the edges of the span and of the window
                      SELECT toDate(hour) AS d, toUInt32(bitShiftLeft(toUInt32(1), toHour(hour))) AS mask, hour >= {from:DateTime} AS in_w, first_seen, last_seen,
                             client_addr, server_addr, server_port, protocol, flows, bytes_c2s, bytes_s2c, packets_c2s + packets_s2c AS pk, rejected_flows + unanswered_flows AS ff
                      FROM ${store.t('conversations_hourly')}
                      WHERE hour >= {pfrom:DateTime} AND hour < {to:DateTime}
                        AND (hour < toDateTime({lbLo:Date}) OR (hour >= toDateTime({lbHi:Date}) AND hour < toDateTime({wLo:Date})) OR hour >= toDateTime({wHi:Date}))
                      UNION ALL
                      -- hours of whole days on which one of the addresses changed hands
                      SELECT toDate(hour) AS d, toUInt32(bitShiftLeft(toUInt32(1), toHour(hour))) AS mask, hour >= {from:DateTime} AS in_w, first_seen, last_seen,
                             client_addr, server_addr, server_port, protocol, flows, bytes_c2s, bytes_s2c, packets_c2s + packets_s2c AS pk, rejected_flows + unanswered_flows AS ff
                      FROM ${store.t('conversations_hourly')}
                      WHERE hour >= {pfrom:DateTime} AND hour < {to:DateTime} AND ${fullDay('toDate(hour)')}
                        AND (client_addr IN ${changedAddrs} OR server_addr IN ${changedAddrs})
                        AND ((client_addr, toDate(hour)) IN ${changed} OR (server_addr, toDate(hour)) IN ${changed})
                    ) AS r
                    ASOF LEFT JOIN ${bindings} AS bc ON r.client_addr = bc.addr AND r.first_seen >= bc.valid_from
                    ASOF LEFT JOIN ${bindings} AS bs ON r.server_addr = bs.addr AND r.first_seen >= bs.valid_from
                    GROUP BY cw, ca, sw, sa, protocol, port, d, in_w
                  )
                  GROUP BY cw, ca, sw, sa, protocol, port
                  HAVING flows > 0
            )
            WINDOW c AS (PARTITION BY cw, ca), p AS (PARTITION BY sw, sa, protocol, port)
          )
        )
      )
      WINDOW k AS (PARTITION BY cw, ca, kind)
    )
    WHERE kind != 'scanner' OR k_row = 1
  )
)
GROUP BY kind, ckey, skey, g_protocol, g_port`;
}

const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function queryEdges(store: Store, window: AnalysisWindow, periodicity: AnalysisWindow): Promise<EdgeQueryResult> {
  const dayZero = Math.floor(periodicity.from.getTime() / DAY_MS) * DAY_MS;
  const ceilDay = (ms: number) => Math.ceil(ms / DAY_MS) * DAY_MS;
  const floorDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
  const rows = await store.rows<RawRow>(edgeSql(store), {
    from: chTime(window.from),
    to: chTime(window.to),
    pfrom: chTime(periodicity.from),
    day0: dayText(dayZero),
    // whole days read from the daily rollup: before the window (periodicity only) and inside it
    lbLo: dayText(ceilDay(periodicity.from.getTime())),
    lbHi: dayText(Math.max(ceilDay(periodicity.from.getTime()), floorDay(window.from.getTime()))),
    wLo: dayText(ceilDay(window.from.getTime())),
    wHi: dayText(Math.max(ceilDay(window.from.getTime()), floorDay(window.to.getTime()))),
    ...SWEEP,
    briefHours: briefHours(window),
    highServicePorts: HIGH_SERVICE_PORTS,
  });
  const edges: EdgeRow[] = [];
  const scanners: ScannerRow[] = [];
  const noise = { conversations: 0, flows: 0 };
  for (const r of rows) {
    if (r.kind === 'edge') edges.push(r);
    else if (r.kind === 'scanner') {
      scanners.push({ ckey: r.ckey, flows: r.flows, first_seen: r.first_seen, last_seen: r.last_seen, targets: r.targets, failed_targets: r.failed_targets, hosts: r.hosts, ports: r.ports, reason: r.reason });
    } else {
      noise.conversations += r.rows;
      noise.flows += r.flows;
    }
  }
  return { edges, scanners, noise, dayZero };
}
