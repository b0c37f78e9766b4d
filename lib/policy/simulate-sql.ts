// Simulation inside ClickHouse: the scratch tables (rule rows, workload membership, decided
// conversations), the one statement that decides every conversation of the window, and the
// small aggregations read back. No raw flow or rollup row is pulled into JavaScript.
import type { AnalysisWindow } from '../analysis/types';
import { chTime } from '../analysis/window';
import type { Store } from '../store';
import type { SimulateOptions, SimulationResult } from './simulate-types';
import { ENFORCE_LEVEL, KIND, type MemberRow, type RuleRow } from './simulate-rules';
import { addressValue, valueText } from '../identity/networks';
import { NO_SCANNERS, type ScannerTraffic } from './scanner-traffic';

/** Scratch table names of one simulation (a random tag keeps concurrent simulations apart). */
export interface ScratchTables {
  /** rule rows */
  R: string;
  /** workload membership */
  M: string;
  /** decided conversations */
  E: string;
  /** what discovery set apart as scanning (./scanner-traffic.ts) */
  P: string;
}

export function scratchTables(store: Store, tag: string): ScratchTables {
  return { R: store.t(`policy_sim_${tag}_rules`), M: store.t(`policy_sim_${tag}_members`), E: store.t(`policy_sim_${tag}_eval`), P: store.t(`policy_sim_${tag}_probes`) };
}

/** Scanner rows: kind (1 source workload, 2 probing workload, 3 kept conversation, 4 outside address), workload, address, server workload, protocol, port. */
export function probeRows(t: ScannerTraffic): Array<[number, string, string, string, number, number]> {
  const addr = (a: string) => valueText(addressValue(a) ?? 0n);
  return [
    ...t.sources.map((w): [number, string, string, string, number, number] => [PROBE.source, w, '::', '', 0, 0]),
    ...t.probing.map((w): [number, string, string, string, number, number] => [PROBE.probing, w, '::', '', 0, 0]),
    ...t.kept.map(([w, sw, proto, port]): [number, string, string, string, number, number] => [PROBE.kept, w, '::', sw, proto, port]),
    ...t.addresses.filter((a) => addressValue(a) !== null).map((a): [number, string, string, string, number, number] => [PROBE.address, '', addr(a), '', 0, 0]),
  ];
}
const PROBE = { source: 1, probing: 2, kept: 3, address: 4 } as const;

export async function loadScratchTables(store: Store, T: ScratchTables, rows: readonly RuleRow[], members: readonly MemberRow[], scanners: ScannerTraffic = NO_SCANNERS): Promise<void> {
  await store.command(
    `CREATE TABLE ${T.R} (j UInt32, rid UInt32, fk UInt8, flo IPv6, fhi IPv6, fex Array(Tuple(IPv6, IPv6)), tk UInt8, tlo IPv6, thi IPv6, tex Array(Tuple(IPv6, IPv6)), proto UInt8, plo UInt16, phi UInt16) ENGINE = Memory`,
  );
  await store.command(`CREATE TABLE ${T.M} (workload_id String, fj Array(UInt32), tj Array(UInt32), app String, enf UInt8) ENGINE = Memory`);
  await store.command(
    `CREATE TABLE ${T.E} (cw String, ca IPv6, sw String, sa IPv6, protocol UInt8, port UInt16, flows UInt64, bytes UInt64, failed UInt64, fs DateTime64(3, 'UTC'), ls DateTime64(3, 'UTC'), rids Array(UInt32), capp String, sapp String, enf UInt8, blk UInt8, scan UInt8) ENGINE = Memory`,
  );
  await store.command(`CREATE TABLE ${T.P} (kind UInt8, w String, a IPv6, sw String, proto UInt8, port UInt16) ENGINE = Memory`);
  const probes = probeRows(scanners);
  if (probes.length) await store.client.insert({ table: T.P, format: 'JSONCompactEachRow', values: probes });
  for (let i = 0; i < rows.length; i += 20_000) {
    await store.client.insert({ table: T.R, format: 'JSONCompactEachRow', values: rows.slice(i, i + 20_000) });
  }
  for (let i = 0; i < members.length; i += 20_000) {
    await store.client.insert({ table: T.M, format: 'JSONCompactEachRow', values: members.slice(i, i + 20_000) });
  }
}

/** The SQL that names an address's endpoint: a named network (not built in), the internet, or itself. */
const endpointSql = (x: string) =>
  `if(empty(${x}_net.3) OR ${x}_net.6 = 1, if(${x}_net.5 = 'internet', 'internet', replaceRegexpOne(IPv6NumToString(${x}), '^::ffff:([0-9.]+)$', '\\\\1')), concat('net:', ${x}_net.4))`;

/**
 * Every conversation of the window into T.E, with the rules that allow it (rids), the higher
 * enforcement level of its two sides (enf; an address that is no workload is 0), whether it is
 * blocked (blk): no rule allows it and, unless every endpoint enforces (`all`), an enforced side
 * would drop it (its egress for the client, its ingress for the server); and whether it is a
 * scanner's probe (scan, by T.P): the aggregations count probes apart from what would break.
 */
export async function decideConversations(store: Store, T: ScratchTables, window: AnalysisWindow, all: boolean): Promise<void> {
  // Candidates first, with small arrays only: the rule rows whose `from` may hold the client (its
  // label rows, and every CIDR or any row) intersected with those whose `to` may hold the server.
  // Only those few pairs are joined with the rule rows and checked for ranges and ports, so no
  // per-row work grows with the size of the policy.
  const inRange = (addr: string, side: 'f' | 't') => `(${addr} >= r.${side}lo AND ${addr} <= r.${side}hi AND NOT arrayExists(e -> ${addr} >= e.1 AND ${addr} <= e.2, r.${side}ex))`;
  await store.command(
    `INSERT INTO ${T.E}
WITH
(SELECT groupArray(j) FROM ${T.R} WHERE fk != ${KIND.labels}) AS NONLABEL_FROM,
(SELECT groupArray(j) FROM ${T.R} WHERE tk != ${KIND.labels}) AS NONLABEL_TO,
(SELECT groupArray(w) FROM ${T.P} WHERE kind = ${PROBE.source}) AS SCAN_SOURCES,
(SELECT groupArray(w) FROM ${T.P} WHERE kind = ${PROBE.probing}) AS SCAN_PROBING,
(SELECT groupArray(tuple(w, sw, proto, port)) FROM ${T.P} WHERE kind = ${PROBE.kept}) AS SCAN_KEPT,
(SELECT groupArray(a) FROM ${T.P} WHERE kind = ${PROBE.address}) AS SCAN_ADDRESSES
SELECT cw, ca, sw, sa, protocol, port, any(flows), any(bytes), any(failed), any(fs), any(ls),
arrayDistinct(groupArrayIf(r.rid,
  r.j != 0
  AND (r.fk != ${KIND.cidr} OR ${inRange('ca', 'f')})
  AND (r.tk != ${KIND.cidr} OR ${inRange('sa', 't')})
  AND (r.proto = 0 OR (r.proto = 1 AND protocol IN (1, 58)) OR (r.proto = protocol AND port >= r.plo AND port <= r.phi)))) AS rids,
any(capp), any(sapp), any(xenf) AS enf,
empty(rids) AND ({all:UInt8} = 1 OR enf = ${ENFORCE_LEVEL.enforced}) AS blk,
if(cw != '',
   has(SCAN_SOURCES, cw) OR (has(SCAN_PROBING, cw) AND sw != '' AND NOT has(SCAN_KEPT, tuple(cw, sw, toUInt8(protocol), toUInt16(port)))),
   has(SCAN_ADDRESSES, ca)) AS scan
FROM (
SELECT conv.*, mc.app AS capp, ms.app AS sapp, greatest(mc.enf, ms.enf) AS xenf, arrayIntersect(arrayConcat(mc.fj, NONLABEL_FROM), arrayConcat(ms.tj, NONLABEL_TO)) AS cand
FROM (
  SELECT
    if(c.first_seen < bc.valid_to, bc.workload_id, '') AS cw,
    c.client_addr AS ca,
    if(c.first_seen < bs.valid_to, bs.workload_id, '') AS sw,
    c.server_addr AS sa,
    c.protocol AS protocol,
    if(c.protocol IN (1, 58), 0, c.server_port) AS port,
    sum(c.flows) AS flows,
    sum(c.bytes_c2s + c.bytes_s2c) AS bytes,
    sum(c.rejected_flows + c.unanswered_flows) AS failed,
    min(c.first_seen) AS fs,
    max(c.last_seen) AS ls
  FROM ${store.t('conversations_hourly')} AS c
  ASOF LEFT JOIN ${store.t('address_bindings')} AS bc ON c.client_addr = bc.addr AND c.first_seen >= bc.valid_from
  ASOF LEFT JOIN ${store.t('address_bindings')} AS bs ON c.server_addr = bs.addr AND c.first_seen >= bs.valid_from
  WHERE c.hour >= {from:DateTime} AND c.hour < {to:DateTime}
  GROUP BY cw, ca, sw, sa, protocol, port
  HAVING flows > 0
) AS conv
LEFT JOIN ${T.M} AS mc ON conv.cw = mc.workload_id
LEFT JOIN ${T.M} AS ms ON conv.sw = ms.workload_id
) AS x
LEFT ARRAY JOIN cand AS cj
LEFT JOIN ${T.R} AS r ON r.j = cj
GROUP BY cw, ca, sw, sa, protocol, port`,
    { from: chTime(window.from), to: chTime(window.to), all: all ? 1 : 0 },
  );
}

export interface BlockedRow {
  ck: string; sk: string; protocol: number; port: number; depFlows: number; depBytes: number; depFailed: number; fs: string; ls: string; cn: number; sn: number; ex: Array<[string, string, number]>; total: number;
}

/** What the aggregations over the decided conversations return, as the engine names it. */
export interface Aggregates {
  tot: Record<string, number> | undefined;
  cov: Record<string, number> | undefined;
  apps: SimulationResult['applications'];
  blockedRows: BlockedRow[];
  blockedTotal: number;
  hits: Array<{ rid: number; hitFlows: number; hitBytes: number; last: string }>;
  detail: SimulationResult['detail'];
}

export async function readAggregates(store: Store, T: ScratchTables, opts: Pick<SimulateOptions, 'top' | 'examples' | 'detail'>): Promise<Aggregates> {
  const [tot] = await store.rows<Record<string, number>>(
    `SELECT sum(flows) AS totalFlows, sum(bytes) AS totalBytes,
            sumIf(flows, NOT blk) AS allowedFlows, sumIf(bytes, NOT blk) AS allowedBytes,
            sumIf(flows, blk AND NOT scan) AS blockedFlows, sumIf(bytes, blk AND NOT scan) AS blockedBytes,
            sumIf(flows - least(failed, flows), blk AND NOT scan) AS blockedAnsweredFlows,
            sumIf(flows, empty(rids) AND NOT blk AND enf = ${ENFORCE_LEVEL.test} AND NOT scan) AS loggedFlows,
            sumIf(flows, scan) AS scanFlows, sumIf(flows, blk AND scan) AS scanBlockedFlows,
            uniqExactIf(tuple(if(cw != '', cw, toString(ca)), if(sw != '', sw, toString(sa)), protocol, port), blk AND scan) AS scanBlockedDependencies,
            uniqExactIf(if(cw != '', cw, toString(ca)), scan) AS scanSources
     FROM ${T.E}`,
  );
  const [cov] = await store.rows<Record<string, number>>(
    `SELECT count() AS connections, countIf(ok) AS covered, countIf(answered) AS answeredConnections, countIf(answered AND ok) AS answeredCovered FROM (
       SELECT if(cw != '', cw, toString(ca)) AS c, if(sw != '', sw, toString(sa)) AS s, protocol, port,
              min(notEmpty(rids)) AS ok, sum(flows) > sum(failed) AS answered
       FROM ${T.E} WHERE NOT scan GROUP BY c, s, protocol, port)`,
  );
  const appRows = await store.rows<{ application: string; appFlows: number; appBytes: number; allowedFlows: number; blockedFlows: number; blockedBytes: number; blockedAnsweredFlows: number; blockedDependencies: number; scanBlockedFlows: number }>(
    `SELECT application, sum(flows) AS appFlows, sum(bytes) AS appBytes, sumIf(flows, NOT blk) AS allowedFlows,
            sumIf(flows, blk AND NOT scan) AS blockedFlows, sumIf(bytes, blk AND NOT scan) AS blockedBytes,
            sumIf(flows - least(failed, flows), blk AND NOT scan) AS blockedAnsweredFlows,
            uniqExactIf(tuple(if(cw != '', cw, toString(ca)), if(sw != '', sw, toString(sa)), protocol, port), blk AND NOT scan) AS blockedDependencies,
            sumIf(flows, blk AND scan) AS scanBlockedFlows
     FROM ${T.E} ARRAY JOIN arrayDistinct(arrayFilter(a -> a != '', [capp, sapp])) AS application
     GROUP BY application ORDER BY blockedAnsweredFlows DESC, blockedFlows DESC, application`,
  );
  const apps = appRows.map(({ appFlows, appBytes, scanBlockedFlows, ...a }) => ({ ...a, flows: appFlows, bytes: appBytes, scannerBlockedFlows: scanBlockedFlows }));
  const top = Math.max(0, opts.top ?? 20);
  const nExamples = Math.max(1, opts.examples ?? 3);
  const blockedRows = await store.rows<BlockedRow>(
    `WITH (SELECT groupArray(tuple(range_start, range_end, cidr, name, kind, builtin)) FROM (SELECT * FROM ${store.t('named_networks')} ORDER BY prefix DESC, builtin ASC, name)) AS nets
     SELECT ck, sk, protocol, port, sum(f) AS depFlows, sum(b) AS depBytes, sum(x) AS depFailed,
            toString(min(t0)) AS fs, toString(max(t1)) AS ls, uniqExact(ca) AS cn, uniqExact(sa) AS sn,
            arraySlice(arrayReverseSort(e -> e.3, groupArray(tuple(ct, st, f))), 1, {ex:UInt32}) AS ex,
            count() OVER () AS total
     FROM (
       SELECT cw, sw, ca, sa, protocol, port, flows AS f, bytes AS b, failed AS x, fs AS t0, ls AS t1,
              arrayFirst(n -> ca >= n.1 AND ca <= n.2, nets) AS ca_net, arrayFirst(n -> sa >= n.1 AND sa <= n.2, nets) AS sa_net,
              if(cw != '', concat('w:', cw), ${endpointSql('ca')}) AS ck,
              if(sw != '', concat('w:', sw), ${endpointSql('sa')}) AS sk,
              replaceRegexpOne(IPv6NumToString(ca), '^::ffff:([0-9.]+)$', '\\\\1') AS ct,
              replaceRegexpOne(IPv6NumToString(sa), '^::ffff:([0-9.]+)$', '\\\\1') AS st
       FROM ${T.E} WHERE blk AND NOT scan)
     GROUP BY ck, sk, protocol, port
     ORDER BY depFlows DESC, ck, sk, protocol, port
     LIMIT {top:UInt32}`,
    { top, ex: nExamples },
  );
  const hits = await store.rows<{ rid: number; hitFlows: number; hitBytes: number; last: string }>(
    `SELECT rid, sum(flows) AS hitFlows, sum(bytes) AS hitBytes, toString(max(ls)) AS last FROM ${T.E} ARRAY JOIN rids AS rid GROUP BY rid`,
  );
  let blockedTotal = blockedRows[0]?.total ?? 0;
  if (!blockedRows.length) {
    const [b] = await store.rows<{ n: number }>(`SELECT uniqExact(tuple(if(cw != '', cw, toString(ca)), if(sw != '', sw, toString(sa)), protocol, port)) AS n FROM ${T.E} WHERE blk AND NOT scan`);
    blockedTotal = b?.n ?? 0;
  }
  let detail: SimulationResult['detail'];
  if (opts.detail) {
    const d = await store.rows<{ ct: string; st: string; cw: string; sw: string; protocol: number; port: number; rowFlows: number; allowed: number }>(
      `SELECT replaceRegexpOne(IPv6NumToString(ca), '^::ffff:([0-9.]+)$', '\\\\1') AS ct, replaceRegexpOne(IPv6NumToString(sa), '^::ffff:([0-9.]+)$', '\\\\1') AS st,
              cw, sw, protocol, port, sum(flows) AS rowFlows, sumIf(flows, NOT blk) AS allowed
       FROM ${T.E} GROUP BY ct, st, cw, sw, protocol, port`,
    );
    detail = d.map((r) => ({ client: r.ct, server: r.st, clientWorkload: r.cw || null, serverWorkload: r.sw || null, protocol: r.protocol, port: r.port, flows: r.rowFlows, allowedFlows: r.allowed }));
  }
  return { tot, cov, apps, blockedRows, blockedTotal, hits, detail };
}
