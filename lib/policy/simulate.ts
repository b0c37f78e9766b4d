// Simulation: a policy evaluated against the traffic observed in a window, inside ClickHouse.
//
// The hourly rollup is resolved to workloads by time (ASOF joins on address_bindings, like
// discovery) and grouped per (client workload or address, server workload or address, protocol,
// port). Rules go up as two small scratch tables: one row per (rule, port range) with its CIDR
// ranges, and one row per workload with the rule rows whose label selectors pick it (label
// matching is done here, on a few thousand workloads; what crosses into the engine is small).
// The engine then decides every conversation: a rule row allows it when its `from` holds the
// client (label membership, CIDR range minus exceptions, or any), its `to` holds the server and
// its ports hold the protocol and port. The decided conversations land in a third scratch table
// and a few small aggregations read them: totals, per application, the top would-block
// dependencies with examples, rule hits (stale rules) and coverage. No raw flow or rollup row is
// pulled into JavaScript.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db';
import { syncNamedNetworks, valueText } from '../identity/networks';
import type { Store } from '../store';
import { chTime } from '../analysis/window';
import { DISCOVERY_DAYS, resolveWindow } from '../analysis/window';
import { isAny, isLabels, type PortSpec, type Selector } from './model';
import type { PolicyView } from './labels';
import { cidrMatcher, selectWorkloads, type Range } from './selectors';

/** What simulation needs of a rule. */
export interface SimRule {
  id: string;
  from: Selector;
  to: Selector;
  ports: PortSpec[];
}

export interface SimulateOptions {
  from?: Date | string;
  to?: Date | string;
  /** window length in days when `from` is not given (default DISCOVERY_DAYS, the window rules are proposed from) */
  days?: number;
  /** top would-block dependencies to list (default 20) */
  top?: number;
  /** examples (address pairs) per would-block dependency (default 3) */
  examples?: number;
  /** also return every decided (client address, server address, protocol, port) row: for measurement against ground truth */
  detail?: boolean;
  /** a name for the policy in the result ("approved", "proposed", a file) */
  policyName?: string;
}

export interface SimEndpoint {
  /** workload id, network name, "internet", or the address */
  key: string;
  name: string;
  kind: 'workload' | 'network' | 'internet' | 'address';
}

export interface BlockedDependency {
  from: SimEndpoint;
  to: SimEndpoint;
  protocol: number;
  port: number;
  flows: number;
  bytes: number;
  /** flows that were refused or unanswered anyway (scans and misconfigurations look like this) */
  failedFlows: number;
  firstSeen: string;
  lastSeen: string;
  /** distinct client and server addresses behind it */
  clientAddresses: number;
  serverAddresses: number;
  examples: Array<{ client: string; server: string; flows: number }>;
}

export interface SimulationResult {
  policy: { name: string; rules: number };
  window: { from: string; to: string };
  totals: {
    flows: number;
    bytes: number;
    allowedFlows: number;
    allowedBytes: number;
    blockedFlows: number;
    blockedBytes: number;
    /** blocked flows that had an answer (real traffic that would break), versus refused/unanswered attempts */
    blockedAnsweredFlows: number;
  };
  /**
   * Rule coverage: share of observed connections (client, server, protocol, port; client and
   * server are workloads or addresses) whose flows the policy allows. `answered` counts only
   * connections with at least one answered flow (scans of closed ports are not connections).
   */
  coverage: { connections: number; covered: number; ratio: number; answered: { connections: number; covered: number; ratio: number } };
  /** per application (app label, @env when known): traffic it sends or receives */
  applications: Array<{ application: string; flows: number; bytes: number; allowedFlows: number; blockedFlows: number; blockedBytes: number; blockedAnsweredFlows: number; blockedDependencies: number }>;
  /** the largest would-block dependencies */
  blocked: BlockedDependency[];
  /** how many would-block dependencies there are in all */
  blockedDependencies: number;
  /** flows each rule allowed in the window, and when it last did (null: no hit) */
  ruleHits: Array<{ id: string; flows: number; bytes: number; lastHit: string | null }>;
  detail?: Array<{ client: string; server: string; clientWorkload: string | null; serverWorkload: string | null; protocol: number; port: number; flows: number; allowedFlows: number }>;
  timings: { prepareMs: number; evaluateMs: number; aggregateMs: number; totalMs: number };
}

const KIND = { labels: 0, cidr: 1, any: 2 } as const;
const ZERO = '::';
const ALL_ONES = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

function sideColumns(s: Selector): { kind: number; lo: string; hi: string; except: Array<[string, string]> } {
  if (isAny(s)) return { kind: KIND.any, lo: ZERO, hi: ALL_ONES, except: [] };
  if (isLabels(s)) return { kind: KIND.labels, lo: ZERO, hi: ZERO, except: [] };
  const m = cidrMatcher(s);
  const t = (r: Range): [string, string] => [valueText(r.lo), valueText(r.hi)];
  const [lo, hi] = t(m.range);
  return { kind: KIND.cidr, lo, hi, except: m.except.map(t) };
}

function portColumns(p: PortSpec): { proto: number; lo: number; hi: number } {
  if (p.protocol === 'any') return { proto: 0, lo: 0, hi: 65535 };
  if (p.protocol === 'icmp') return { proto: 1, lo: 0, hi: 65535 };
  const proto = p.protocol === 'tcp' ? 6 : 17;
  if (p.port === undefined) return { proto, lo: 0, hi: 65535 };
  return { proto, lo: p.port, hi: p.endPort ?? p.port };
}

/** The SQL that names an address's endpoint: a named network (not built in), the internet, or itself. */
const endpointSql = (x: string) =>
  `if(empty(${x}_net.3) OR ${x}_net.6 = 1, if(${x}_net.5 = 'internet', 'internet', replaceRegexpOne(IPv6NumToString(${x}), '^::ffff:([0-9.]+)$', '\\\\1')), concat('net:', ${x}_net.4))`;

export async function simulatePolicy(store: Store, db: Db, rules: readonly SimRule[], view: PolicyView, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const t0 = performance.now();
  const window = resolveWindow({ from: opts.from, to: opts.to, days: opts.days ?? DISCOVERY_DAYS });
  const tag = randomBytes(5).toString('hex');
  const R = store.t(`policy_sim_${tag}_rules`);
  const M = store.t(`policy_sim_${tag}_members`);
  const E = store.t(`policy_sim_${tag}_eval`);

  // --- rule rows and label membership ---------------------------------------------------------------
  const rows: Array<[number, number, number, string, string, Array<[string, string]>, number, string, string, Array<[string, string]>, number, number, number]> = [];
  const fromRows = new Map<string, number[]>();
  const toRows = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, id: string, j: number) => {
    let a = m.get(id);
    if (!a) m.set(id, (a = []));
    a.push(j);
  };
  rules.forEach((r, ri) => {
    const f = sideColumns(r.from);
    const t = sideColumns(r.to);
    const fw = isLabels(r.from) ? selectWorkloads(r.from, view.workloads) : [];
    const tw = isLabels(r.to) ? selectWorkloads(r.to, view.workloads) : [];
    for (const p of r.ports) {
      const j = rows.length + 1; // ClickHouse arrays are 1-based
      const pc = portColumns(p);
      rows.push([j, ri, f.kind, f.lo, f.hi, f.except, t.kind, t.lo, t.hi, t.except, pc.proto, pc.lo, pc.hi]);
      for (const w of fw) push(fromRows, w.id, j);
      for (const w of tw) push(toRows, w.id, j);
    }
  });
  const appOf = (id: string) => {
    const l = view.byId.get(id)?.labels;
    return l?.app ? (l.env ? `${l.app}@${l.env}` : l.app) : '';
  };
  const members = view.workloads.map((w) => [w.id, fromRows.get(w.id) ?? [], toRows.get(w.id) ?? [], appOf(w.id)]);

  const [nn] = await store.rows<{ n: number }>(`SELECT count() AS n FROM ${store.t('named_networks')}`);
  if (!nn?.n) await syncNamedNetworks(db, store);

  await store.command(
    `CREATE TABLE ${R} (j UInt32, rid UInt32, fk UInt8, flo IPv6, fhi IPv6, fex Array(Tuple(IPv6, IPv6)), tk UInt8, tlo IPv6, thi IPv6, tex Array(Tuple(IPv6, IPv6)), proto UInt8, plo UInt16, phi UInt16) ENGINE = Memory`,
  );
  try {
    await store.command(`CREATE TABLE ${M} (workload_id String, fj Array(UInt32), tj Array(UInt32), app String) ENGINE = Memory`);
    await store.command(
      `CREATE TABLE ${E} (cw String, ca IPv6, sw String, sa IPv6, protocol UInt8, port UInt16, flows UInt64, bytes UInt64, failed UInt64, fs DateTime64(3, 'UTC'), ls DateTime64(3, 'UTC'), rids Array(UInt32), capp String, sapp String) ENGINE = Memory`,
    );
    for (let i = 0; i < rows.length; i += 20_000) {
      await store.client.insert({ table: R, format: 'JSONCompactEachRow', values: rows.slice(i, i + 20_000) });
    }
    for (let i = 0; i < members.length; i += 20_000) {
      await store.client.insert({ table: M, format: 'JSONCompactEachRow', values: members.slice(i, i + 20_000) });
    }
    const t1 = performance.now();

    // --- decide every conversation in the engine ------------------------------------------------------
    // Candidates first, with small arrays only: the rule rows whose `from` may hold the client (its
    // label rows, and every CIDR or any row) intersected with those whose `to` may hold the server.
    // Only those few pairs are joined with the rule rows and checked for ranges and ports, so no
    // per-row work grows with the size of the policy.
    const inRange = (addr: string, side: 'f' | 't') => `(${addr} >= r.${side}lo AND ${addr} <= r.${side}hi AND NOT arrayExists(e -> ${addr} >= e.1 AND ${addr} <= e.2, r.${side}ex))`;
    await store.command(
      `INSERT INTO ${E}
WITH
  (SELECT groupArray(j) FROM ${R} WHERE fk != ${KIND.labels}) AS NONLABEL_FROM,
  (SELECT groupArray(j) FROM ${R} WHERE tk != ${KIND.labels}) AS NONLABEL_TO
SELECT cw, ca, sw, sa, protocol, port, any(flows), any(bytes), any(failed), any(fs), any(ls),
  arrayDistinct(groupArrayIf(r.rid,
    r.j != 0
    AND (r.fk != ${KIND.cidr} OR ${inRange('ca', 'f')})
    AND (r.tk != ${KIND.cidr} OR ${inRange('sa', 't')})
    AND (r.proto = 0 OR (r.proto = 1 AND protocol IN (1, 58)) OR (r.proto = protocol AND port >= r.plo AND port <= r.phi)))) AS rids,
  any(capp), any(sapp)
FROM (
  SELECT conv.*, mc.app AS capp, ms.app AS sapp, arrayIntersect(arrayConcat(mc.fj, NONLABEL_FROM), arrayConcat(ms.tj, NONLABEL_TO)) AS cand
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
  LEFT JOIN ${M} AS mc ON conv.cw = mc.workload_id
  LEFT JOIN ${M} AS ms ON conv.sw = ms.workload_id
) AS x
LEFT ARRAY JOIN cand AS cj
LEFT JOIN ${R} AS r ON r.j = cj
GROUP BY cw, ca, sw, sa, protocol, port`,
      { from: chTime(window.from), to: chTime(window.to) },
    );
    const t2 = performance.now();

    // --- aggregations over the decided conversations -----------------------------------------------------
    const [tot] = await store.rows<Record<string, number>>(
      `SELECT sum(flows) AS totalFlows, sum(bytes) AS totalBytes,
              sumIf(flows, notEmpty(rids)) AS allowedFlows, sumIf(bytes, notEmpty(rids)) AS allowedBytes,
              sumIf(flows - least(failed, flows), empty(rids)) AS blockedAnsweredFlows
       FROM ${E}`,
    );
    const [cov] = await store.rows<Record<string, number>>(
      `SELECT count() AS connections, countIf(ok) AS covered, countIf(answered) AS answeredConnections, countIf(answered AND ok) AS answeredCovered FROM (
         SELECT if(cw != '', cw, toString(ca)) AS c, if(sw != '', sw, toString(sa)) AS s, protocol, port,
                min(notEmpty(rids)) AS ok, sum(flows) > sum(failed) AS answered
         FROM ${E} GROUP BY c, s, protocol, port)`,
    );
    const appRows = await store.rows<{ application: string; appFlows: number; appBytes: number; allowedFlows: number; blockedFlows: number; blockedBytes: number; blockedAnsweredFlows: number; blockedDependencies: number }>(
      `SELECT application, sum(flows) AS appFlows, sum(bytes) AS appBytes, sumIf(flows, notEmpty(rids)) AS allowedFlows,
              sumIf(flows, empty(rids)) AS blockedFlows, sumIf(bytes, empty(rids)) AS blockedBytes,
              sumIf(flows - least(failed, flows), empty(rids)) AS blockedAnsweredFlows,
              uniqExactIf(tuple(if(cw != '', cw, toString(ca)), if(sw != '', sw, toString(sa)), protocol, port), empty(rids)) AS blockedDependencies
       FROM ${E} ARRAY JOIN arrayDistinct(arrayFilter(a -> a != '', [capp, sapp])) AS application
       GROUP BY application ORDER BY blockedAnsweredFlows DESC, blockedFlows DESC, application`,
    );
    const apps = appRows.map(({ appFlows, appBytes, ...a }) => ({ ...a, flows: appFlows, bytes: appBytes }));
    const top = Math.max(0, opts.top ?? 20);
    const nExamples = Math.max(1, opts.examples ?? 3);
    const blockedRows = await store.rows<{
      ck: string; sk: string; protocol: number; port: number; depFlows: number; depBytes: number; depFailed: number; fs: string; ls: string; cn: number; sn: number; ex: Array<[string, string, number]>; total: number;
    }>(
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
         FROM ${E} WHERE empty(rids))
       GROUP BY ck, sk, protocol, port
       ORDER BY depFlows DESC, ck, sk, protocol, port
       LIMIT {top:UInt32}`,
      { top, ex: nExamples },
    );
    const hits = await store.rows<{ rid: number; hitFlows: number; hitBytes: number; last: string }>(
      `SELECT rid, sum(flows) AS hitFlows, sum(bytes) AS hitBytes, toString(max(ls)) AS last FROM ${E} ARRAY JOIN rids AS rid GROUP BY rid`,
    );
    let blockedTotal = blockedRows[0]?.total ?? 0;
    if (!blockedRows.length) {
      const [b] = await store.rows<{ n: number }>(`SELECT uniqExact(tuple(if(cw != '', cw, toString(ca)), if(sw != '', sw, toString(sa)), protocol, port)) AS n FROM ${E} WHERE empty(rids)`);
      blockedTotal = b?.n ?? 0;
    }
    let detail: SimulationResult['detail'];
    if (opts.detail) {
      const d = await store.rows<{ ct: string; st: string; cw: string; sw: string; protocol: number; port: number; rowFlows: number; allowed: number }>(
        `SELECT replaceRegexpOne(IPv6NumToString(ca), '^::ffff:([0-9.]+)$', '\\\\1') AS ct, replaceRegexpOne(IPv6NumToString(sa), '^::ffff:([0-9.]+)$', '\\\\1') AS st,
                cw, sw, protocol, port, sum(flows) AS rowFlows, sumIf(flows, notEmpty(rids)) AS allowed
         FROM ${E} GROUP BY ct, st, cw, sw, protocol, port`,
      );
      detail = d.map((r) => ({ client: r.ct, server: r.st, clientWorkload: r.cw || null, serverWorkload: r.sw || null, protocol: r.protocol, port: r.port, flows: r.rowFlows, allowedFlows: r.allowed }));
    }
    const t3 = performance.now();

    const endpoint = (k: string): SimEndpoint => {
      if (k.startsWith('w:')) {
        const id = k.slice(2);
        return { key: id, name: view.byId.get(id)?.name ?? id, kind: 'workload' };
      }
      if (k === 'internet') return { key: k, name: 'internet', kind: 'internet' };
      if (k.startsWith('net:')) return { key: k.slice(4), name: k.slice(4), kind: 'network' };
      return { key: k, name: k, kind: 'address' };
    };
    const hitBy = new Map(hits.map((h) => [h.rid, h]));
    const ratio = (a: number, b: number) => (b ? a / b : 1);
    const flows = tot?.totalFlows ?? 0;
    const allowedFlows = tot?.allowedFlows ?? 0;
    return {
      policy: { name: opts.policyName ?? 'policy', rules: rules.length },
      window: { from: window.from.toISOString(), to: window.to.toISOString() },
      totals: {
        flows,
        bytes: tot?.totalBytes ?? 0,
        allowedFlows,
        allowedBytes: tot?.allowedBytes ?? 0,
        blockedFlows: flows - allowedFlows,
        blockedBytes: (tot?.totalBytes ?? 0) - (tot?.allowedBytes ?? 0),
        blockedAnsweredFlows: tot?.blockedAnsweredFlows ?? 0,
      },
      coverage: {
        connections: cov?.connections ?? 0,
        covered: cov?.covered ?? 0,
        ratio: ratio(cov?.covered ?? 0, cov?.connections ?? 0),
        answered: { connections: cov?.answeredConnections ?? 0, covered: cov?.answeredCovered ?? 0, ratio: ratio(cov?.answeredCovered ?? 0, cov?.answeredConnections ?? 0) },
      },
      applications: apps,
      blocked: blockedRows.map((b) => ({
        from: endpoint(b.ck),
        to: endpoint(b.sk),
        protocol: b.protocol,
        port: b.port,
        flows: b.depFlows,
        bytes: b.depBytes,
        failedFlows: Math.min(b.depFailed, b.depFlows),
        firstSeen: toIso(b.fs),
        lastSeen: toIso(b.ls),
        clientAddresses: b.cn,
        serverAddresses: b.sn,
        examples: b.ex.map(([client, server, f]) => ({ client, server, flows: f })),
      })),
      blockedDependencies: blockedTotal,
      ruleHits: rules.map((r, ri) => {
        const h = hitBy.get(ri);
        return { id: r.id, flows: h?.hitFlows ?? 0, bytes: h?.hitBytes ?? 0, lastHit: h ? toIso(h.last) : null };
      }),
      detail,
      timings: { prepareMs: Math.round(t1 - t0), evaluateMs: Math.round(t2 - t1), aggregateMs: Math.round(t3 - t2), totalMs: Math.round(performance.now() - t0) },
    };
  } finally {
    for (const t of [E, M, R]) await store.command(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  }
}

/** ClickHouse DateTime64 text (UTC) as ISO 8601. */
const toIso = (s: string) => new Date(`${s.replace(' ', 'T')}Z`).toISOString();
