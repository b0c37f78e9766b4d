// Identity: which workload held an address when, and what an unknown address is.
//   bindings.ts   Prisma AddressBinding history -> ClickHouse address_bindings (the SQL contract)
//   networks.ts   named networks and built-in classes -> ClickHouse named_networks
//   resolve.ts    (address, time) -> workload | named network (+ reverse DNS) in TypeScript
//   dns.ts        reverse DNS of unknown addresses -> ClickHouse address_names
import type { Db } from '../db';
import type { Store } from '../store';
import { syncBindings } from './bindings';
import { syncNamedNetworks } from './networks';

export { loadBindings, OPEN_END, syncBindings, type BindingRow } from './bindings';
export { canonicalAddress } from './address';
export { BUILTIN_NETWORKS, loadNamedNetworks, namedNetworkSql, NetworkTable, syncNamedNetworks, type NamedNetworkSpec } from './networks';
export { IdentityResolver, resolveAddress, type Resolved, type ResolvedNetwork, type ResolvedWorkload } from './resolve';

/** Copy both identity tables to ClickHouse (after inventory or named networks change). */
export async function syncIdentity(db: Db, store: Store): Promise<{ bindings: number; networks: number }> {
  const bindings = await syncBindings(db, store);
  const networks = await syncNamedNetworks(db, store);
  return { bindings, networks };
}
