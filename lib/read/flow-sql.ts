// SQL pieces for the flow readers of lib/read/ (the flows explorer, the traffic behind a line of
// the map): endpoints are named by lib/analysis/endpoint-sql.ts, the one definition the analysis
// query (lib/analysis/edges.ts) uses too, so that the flows behind a line of the map are the ones
// the analysis counted (lib/read/edge.test.ts checks the totals on a generated estate).
import { addrTextSql, boundSql, clientKeySql, serverKeySql } from '../analysis/endpoint-sql';

export { addrTextSql as addrText, clientKeySql as clientEndpointKey, networksWith, serverKeySql as serverEndpointKey, serverPortSql as serverPortOf } from '../analysis/endpoint-sql';
export { chTime } from '../analysis/window';

/**
 * Endpoint keys of a row: `time` is when it was seen (a conversation's first_seen, a flow's
 * start), `bc`/`bs` the ASOF-joined bindings of client and server.
 */
export function endpointKeys(time: string, clientAddr: string, serverAddr: string) {
  return {
    client: `if(${boundSql(time, 'bc')}, bc.workload_id, ${clientKeySql(clientAddr)})`,
    server: `if(${boundSql(time, 'bs')}, bs.workload_id, ${serverKeySql(serverAddr)})`,
  };
}

/**
 * The client as scanner detection names it (workload id or the plain address): discovery drops
 * a scanner's conversations before naming endpoints, so readers of its edges must too.
 */
export const scannerKey = (time: string, clientAddr: string) => `if(${boundSql(time, 'bc')}, bc.workload_id, ${addrTextSql(clientAddr)})`;

/** An address as stored (IPv4 as ::ffff:a.b.c.d) for IN lists of IPv6 columns. */
export const asV6 = (a: string) => (a.includes(':') ? a : `::ffff:${a}`);
