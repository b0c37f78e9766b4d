// SQL expressions that name a conversation's endpoints the way discovery does. Shared by
// lib/analysis/edges.ts (the analysis query) and the web app's flow readers (app/_data/flow-sql.ts),
// so that the flows behind a line of the map are the ones the analysis counted.

/** An address column as people read it: IPv4 as a dotted quad, IPv6 as RFC 5952 text. */
export const addrTextSql = (x: string) => `replaceRegexpOne(IPv6NumToString(${x}), '^::ffff:([0-9.]+)$', '\\\\1')`;

/** True for an IPv4 address stored in an IPv6 column (::ffff:a.b.c.d). */
export const isV4Sql = (x: string) => `(${x} BETWEEN toIPv6('::ffff:0.0.0.0') AND toIPv6('::ffff:255.255.255.255'))`;

/** The internet as a client endpoint: unknown public clients are grouped per address family. */
export const internetSql = (x: string) => `if(${isV4Sql(x)}, '0.0.0.0/0', '::/0')`;

/** Server port as discovery keys it: 0 for ICMP (type/code are not services). */
export const serverPortSql = (protocol: string, port: string) => `if(${protocol} IN (1, 58), 0, ${port})`;
