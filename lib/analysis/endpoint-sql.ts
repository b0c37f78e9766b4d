// How discovery names a conversation's endpoints, in SQL: the one definition that
// lib/analysis/edges.ts (the analysis query) and the flow readers of lib/read/ (the flows
// explorer, the traffic behind a line of the map) both build their queries from, so that the
// flows behind a line of the map are the ones the analysis counted.
//
// An endpoint is the workload that held the address when the row was seen (a binding applies
// over [valid_from, valid_to); the ASOF join gives valid_from <= time), otherwise the CIDR of the
// most specific named network that holds it, the internet for unknown public clients, or the
// address itself. Queries that name endpoints start with `WITH ${networksWith(store)}`.
import type { Store } from '../store';

/** An address column as people read it: IPv4 as a dotted quad, IPv6 as RFC 5952 text. */
export const addrTextSql = (x: string) => `replaceRegexpOne(IPv6NumToString(${x}), '^::ffff:([0-9.]+)$', '\\\\1')`;

/** True for an IPv4 address stored in an IPv6 column (::ffff:a.b.c.d). */
export const isV4Sql = (x: string) => `(${x} BETWEEN toIPv6('::ffff:0.0.0.0') AND toIPv6('::ffff:255.255.255.255'))`;

/** The internet as a client endpoint: unknown public clients are grouped per address family. */
export const internetSql = (x: string) => `if(${isV4Sql(x)}, '0.0.0.0/0', '::/0')`;

/** Server port as discovery keys it: 0 for ICMP (type/code are not services). */
export const serverPortSql = (protocol: string, port: string) => `if(${protocol} IN (1, 58), 0, ${port})`;

/** Whether the ASOF-joined binding `bind` held the address at `time`. */
export const boundSql = (time: string, bind: string) => `(${time} < ${bind}.valid_to AND ${bind}.workload_id != '')`;

/**
 * The WITH items naming networks: the named networks, most specific first, as three constant
 * arrays (ranges, CIDRs, codes). Lookups go by index through transform() because indexing a
 * constant array per row would copy it per row.
 */
export function networksWith(store: Store): string {
  const ordered = `(SELECT range_start, range_end, cidr, kind, builtin FROM ${store.t('named_networks')} ORDER BY prefix DESC, builtin ASC, name)`;
  return `(SELECT groupArray(tuple(range_start, range_end)) FROM ${ordered}) AS net_ranges,
  (SELECT groupArray(cidr) FROM ${ordered}) AS net_cidrs,
  (SELECT groupArray(toUInt8(multiIf(builtin = 0, 1, kind = 'internet', 2, 0))) FROM ${ordered}) AS net_codes`;
}

/** The 1-based index of the most specific network holding address column `x` (0: none). */
export const networkIndexSql = (x: string) => `arrayFirstIndex(n -> ${x} >= n.1 AND ${x} <= n.2, net_ranges)`;

/** The code of the network at index `i`: 1 a named network (names the endpoint by its CIDR), 2 the built-in internet, 0 anything else. */
export const networkCodeSql = (i: string) => `transform(${i}, range(1, length(net_codes) + 1), net_codes, 0)`;

const networkCidrSql = (i: string) => `transform(${i}, range(1, length(net_cidrs) + 1), net_cidrs, '')`;

/** An unbound client address `x` as an endpoint; `i` its network index (networkIndexSql). */
export const clientKeySql = (x: string, i = networkIndexSql(x)) =>
  `multiIf(${networkCodeSql(i)} = 1, ${networkCidrSql(i)}, ${networkCodeSql(i)} = 2, ${internetSql(x)}, ${addrTextSql(x)})`;

/** An unbound server address `x` as an endpoint: servers are never "the internet". */
export const serverKeySql = (x: string, i = networkIndexSql(x)) => `if(${networkCodeSql(i)} = 1, ${networkCidrSql(i)}, ${addrTextSql(x)})`;
