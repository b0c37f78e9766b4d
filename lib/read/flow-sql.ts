// SQL pieces for reading flows the way discovery names their endpoints: a conversation's client
// and server become a workload id when the address belonged to a workload at that time (ASOF
// join on address_bindings, [valid_from, valid_to)), otherwise the CIDR of the named network
// that holds it, the internet for unknown public clients, or the address itself.
//
// These expressions must name endpoints exactly as lib/analysis/edges.ts does, so that the flows
// behind a line of the map are the ones the analysis counted; app/_data/edge-details.test.ts
// checks that the totals agree with the analysis on a generated estate.
import { addrTextSql, internetSql, serverPortSql } from '../../lib/analysis/endpoint-sql';
import type { Store } from '../../lib/store';

const textOf = addrTextSql;
const net = (x: string) => `arrayFirst(n -> ${x} >= n.1 AND ${x} <= n.2, nets)`;

/** `WITH nets AS ...`: the named networks, most specific first (as discovery orders them). */
export function netsCte(store: Store): string {
  return `(SELECT groupArray(tuple(range_start, range_end, cidr, name, kind, builtin))
     FROM (SELECT range_start, range_end, cidr, name, kind, builtin FROM ${store.t('named_networks')} ORDER BY prefix DESC, builtin ASC, name)) AS nets`;
}

export const clientEndpointKey = (x: string) =>
  `multiIf(${net(x)}.6 = 0 AND ${net(x)}.3 != '', ${net(x)}.3, ${net(x)}.5 = 'internet', ${internetSql(x)}, ${textOf(x)})`;
export const serverEndpointKey = (x: string) => `if(${net(x)}.6 = 0 AND ${net(x)}.3 != '', ${net(x)}.3, ${textOf(x)})`;
export const addrText = textOf;

/**
 * Endpoint keys of a row: `time` is when it was seen (a conversation's first_seen, a flow's
 * start), `bc`/`bs` the ASOF-joined bindings of client and server.
 */
export function endpointKeys(time: string, clientAddr: string, serverAddr: string) {
  return {
    client: `if(${time} < bc.valid_to, bc.workload_id, ${clientEndpointKey(clientAddr)})`,
    server: `if(${time} < bs.valid_to, bs.workload_id, ${serverEndpointKey(serverAddr)})`,
  };
}

/**
 * The client as scanner detection names it (workload id or the plain address): discovery drops
 * a scanner's conversations before naming endpoints, so readers of its edges must too.
 */
export const scannerKey = (time: string, clientAddr: string) => `if(${time} < bc.valid_to, bc.workload_id, ${textOf(clientAddr)})`;

/** Server port as discovery keys it: 0 for ICMP. */
export const serverPortOf = serverPortSql;

export { chTime } from '../../lib/analysis/window';

/** An address as stored (IPv4 as ::ffff:a.b.c.d) for IN lists of IPv6 columns. */
export const asV6 = (a: string) => (a.includes(':') ? a : `::ffff:${a}`);
