// Edges from the hourly rollup, in one ClickHouse query: identity resolution by time, scanner
// and ephemeral-noise detection, and the grouping of unknown endpoints into named networks all
// happen in the engine, so that what comes back is small (one row per dependency).
//
//  1. Every rollup row in the periodicity span is resolved to workloads by the time it was seen:
//     ASOF joins on address_bindings pick the binding that started last before the
//     conversation's first_seen and keep it only while it was valid (first_seen < valid_to),
//     which is lib/identity/bindings.ts's [valid_from, valid_to) contract. An address that
//     changed hands therefore gives each holder its own edges.
//  2. Rows are grouped per (client, server, protocol, server port), where an unbound endpoint is
//     its address. Counters are those of the window; active days are kept over the whole
//     periodicity span (monthly jobs need two months to be seen twice).
//  3. Window functions over that small result flag scanners (one client, many targets, mostly
//     unanswered or refused, or a sweep of many ports) and ephemeral noise (a server port in the
//     ephemeral range that one client used in at most two hours).
//  4. Unknown endpoints become the CIDR of the named network that holds them (most specific
//     first, lib/identity/networks.ts); unknown public clients become the internet; anything
//     else stays an address. Scanners collapse to one summary row each, noise to one row.
import { SERVICE_PORTS } from '../flow/orientation';
import type { Store } from '../store';
import type { AnalysisWindow } from './types';
import { chTime, DAY_MS } from './window';

/** Scanner thresholds (docs/discovery.md explains them). */
export const SCANNER = { minTargets: 50, failedRatio: 0.5, sweepPorts: 100 } as const;

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
  /** hours of day (UTC) with traffic */
  hods: number[];
  /** distinct addresses behind a grouped client / server endpoint */
  c_addresses: number;
  s_addresses: number;
}

export interface ScannerRow {
  ckey: string;
  flows: number;
  first_seen: string;
  last_seen: string;
  targets: number;
  failed_targets: number;
  hosts: number;
  ports: number;
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
}

// Service ports in the ephemeral range are real services, never noise.
const HIGH_SERVICE_PORTS = [...SERVICE_PORTS].filter((p) => p >= 32768);

const textOf = (x: string) => `replaceRegexpOne(IPv6NumToString(${x}), '^::ffff:([0-9.]+)$', '\\\\1')`;
const isV4 = (x: string) => `(${x} BETWEEN toIPv6('::ffff:0.0.0.0') AND toIPv6('::ffff:255.255.255.255'))`;

export function edgeSql(store: Store): string {
  const net = (x: string) => `arrayFirst(n -> ${x} >= n.1 AND ${x} <= n.2, nets)`;
  // a named network (not a built-in class) names the endpoint by its CIDR
  const clientKey = (x: string) =>
    `multiIf(${net(x)}.6 = 0 AND ${net(x)}.3 != '', ${net(x)}.3, ${net(x)}.5 = 'internet', if(${isV4(x)}, '0.0.0.0/0', '::/0'), ${textOf(x)})`;
  const serverKey = (x: string) => `if(${net(x)}.6 = 0 AND ${net(x)}.3 != '', ${net(x)}.3, ${textOf(x)})`;
  return `
WITH
  (SELECT groupArray(tuple(range_start, range_end, cidr, name, kind, builtin))
     FROM (SELECT range_start, range_end, cidr, name, kind, builtin FROM ${store.t('named_networks')} ORDER BY prefix DESC, builtin ASC, name)) AS nets
SELECT
  kind, ckey, skey, g_protocol AS protocol, g_port AS port,
  sum(flows) AS flows, sum(b_c2s) AS bytes_c2s, sum(b_s2c) AS bytes_s2c, sum(pk) AS packets, sum(ff) AS failed_flows,
  toString(min(fs)) AS first_seen, toString(max(ls)) AS last_seen,
  uniqIfMerge(hs) AS active_hours,
  groupUniqArrayArray(days) AS days, groupUniqArrayArray(hods) AS hods,
  count() AS rows, uniqExact(ca) AS c_addresses, uniqExact(sa) AS s_addresses,
  any(c_targets) AS targets, any(c_failed) AS failed_targets, any(c_hosts) AS hosts, any(c_ports) AS ports
FROM (
  SELECT *,
    multiIf(
      c_targets >= {minTargets:UInt32} AND (c_failed >= c_targets * {failedRatio:Float64} OR c_ports >= {sweepPorts:UInt32}), 'scanner',
      protocol IN (6, 17, 132) AND (port >= 32768 OR port = 0) AND port NOT IN {highServicePorts:Array(UInt16)}
        AND p_clients = 1 AND p_hours <= 2 AND length(days) <= 1, 'noise',
      'edge') AS kind,
    multiIf(kind = 'noise', '', cw != '', concat('w:', cw), kind = 'scanner', ${textOf('ca')}, ${clientKey('ca')}) AS ckey,
    if(kind = 'edge', if(sw != '', concat('w:', sw), ${serverKey('sa')}), '') AS skey,
    if(kind = 'edge', protocol, 0) AS g_protocol,
    if(kind = 'edge', port, 0) AS g_port
  FROM (
    SELECT *,
      count() OVER (PARTITION BY cw, ca) AS c_targets,
      sum(toUInt8(ff >= flows)) OVER (PARTITION BY cw, ca) AS c_failed,
      uniqExact(tuple(sw, sa)) OVER (PARTITION BY cw, ca) AS c_hosts,
      uniqExact(port) OVER (PARTITION BY cw, ca) AS c_ports,
      count() OVER (PARTITION BY sw, sa, protocol, port) AS p_clients,
      sum(hw) OVER (PARTITION BY sw, sa, protocol, port) AS p_hours
    FROM (
      SELECT
        if(c.first_seen < bc.valid_to, bc.workload_id, '') AS cw,
        if(cw = '', c.client_addr, toIPv6('::')) AS ca,
        if(c.first_seen < bs.valid_to, bs.workload_id, '') AS sw,
        if(sw = '', c.server_addr, toIPv6('::')) AS sa,
        c.protocol AS protocol,
        if(c.protocol IN (1, 58), 0, c.server_port) AS port,
        sumIf(c.flows, c.hour >= {from:DateTime}) AS flows,
        sumIf(c.bytes_c2s, c.hour >= {from:DateTime}) AS b_c2s,
        sumIf(c.bytes_s2c, c.hour >= {from:DateTime}) AS b_s2c,
        sumIf(c.packets_c2s + c.packets_s2c, c.hour >= {from:DateTime}) AS pk,
        sumIf(c.rejected_flows + c.unanswered_flows, c.hour >= {from:DateTime}) AS ff,
        minIf(c.first_seen, c.hour >= {from:DateTime}) AS fs,
        maxIf(c.last_seen, c.hour >= {from:DateTime}) AS ls,
        uniqIfState(c.hour, c.hour >= {from:DateTime}) AS hs,
        uniqIf(c.hour, c.hour >= {from:DateTime}) AS hw,
        groupUniqArray(toUInt16(intDiv(toUInt32(c.hour) - {dayZero:UInt32}, 86400))) AS days,
        groupUniqArrayIf(toHour(c.hour), c.hour >= {from:DateTime}) AS hods
      FROM ${store.t('conversations_hourly')} AS c
      ASOF LEFT JOIN ${store.t('address_bindings')} AS bc ON c.client_addr = bc.addr AND c.first_seen >= bc.valid_from
      ASOF LEFT JOIN ${store.t('address_bindings')} AS bs ON c.server_addr = bs.addr AND c.first_seen >= bs.valid_from
      WHERE c.hour >= {pfrom:DateTime} AND c.hour < {to:DateTime}
      GROUP BY cw, ca, sw, sa, protocol, port
      HAVING flows > 0
    )
  )
)
GROUP BY kind, ckey, skey, g_protocol, g_port`;
}

export async function queryEdges(store: Store, window: AnalysisWindow, periodicity: AnalysisWindow): Promise<EdgeQueryResult> {
  const dayZero = Math.floor(periodicity.from.getTime() / DAY_MS) * DAY_MS;
  const rows = await store.rows<RawRow>(edgeSql(store), {
    from: chTime(window.from),
    to: chTime(window.to),
    pfrom: chTime(periodicity.from),
    dayZero: dayZero / 1000,
    minTargets: SCANNER.minTargets,
    failedRatio: SCANNER.failedRatio,
    sweepPorts: SCANNER.sweepPorts,
    highServicePorts: HIGH_SERVICE_PORTS,
  });
  const edges: EdgeRow[] = [];
  const scanners: ScannerRow[] = [];
  const noise = { conversations: 0, flows: 0 };
  for (const r of rows) {
    if (r.kind === 'edge') edges.push(r);
    else if (r.kind === 'scanner') {
      scanners.push({ ckey: r.ckey, flows: r.flows, first_seen: r.first_seen, last_seen: r.last_seen, targets: r.targets, failed_targets: r.failed_targets, hosts: r.hosts, ports: r.ports });
    } else {
      noise.conversations += r.rows;
      noise.flows += r.flows;
    }
  }
  return { edges, scanners, noise, dayZero };
}
