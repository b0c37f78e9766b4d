// What the estate tells Bulkhead besides its flows: the inventory as Bulkhead's own JSON
// (docs/inventory.md, "Bulkhead JSON"; `bulkhead import inventory FILE`), and the networks the
// estate declares (`bulkhead networks add NAME CIDR... --kind K`). Undeclared networks (admin
// workstations, most user subnets) are left out on purpose: Bulkhead must find them itself.
import { writeFileSync } from 'node:fs';
import type { ZooEstate, ZooNetwork } from './model';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Writes one entry per workload: its address history with explicit intervals (so the import
 * reproduces every handover whatever its `--at`), the tags as the estate has them (possibly
 * wrong; absent when none) and the OS, which Bulkhead keeps as an attribute.
 */
export function writeInventory(estate: ZooEstate, path: string): { workloads: number; addresses: number } {
  let addresses = 0;
  const entries = estate.workloads.map((w) => {
    addresses += w.bindings.length;
    return JSON.stringify({
      name: w.name,
      kind: w.kind,
      addresses: w.bindings.map((b) => ({ ip: b.ip, from: iso(b.from), to: b.to === null ? null : iso(b.to) })),
      ...(Object.keys(w.labels).length ? { labels: w.labels } : {}),
      os: w.os,
    });
  });
  // one workload a line: a large inventory stays readable and diffable
  writeFileSync(path, `[\n${entries.join(',\n')}\n]\n`);
  return { workloads: entries.length, addresses };
}

/** `bulkhead networks add --kind`: people's networks are `user`, a partner's range `partner`. */
const KINDS: Record<ZooNetwork['kind'], 'user' | 'partner'> = { admin: 'user', users: 'user', vpn: 'user', partner: 'partner' };

export interface DeclaredNetwork {
  name: string;
  kind: 'user' | 'partner';
  cidrs: string[];
}

/** The networks the estate declares, one per name (a name given to several ranges gets them all). */
export function declaredNetworks(estate: ZooEstate): DeclaredNetwork[] {
  const byName = new Map<string, DeclaredNetwork>();
  for (const n of estate.networks) {
    if (!n.declared) continue;
    const known = byName.get(n.name);
    if (known) known.cidrs.push(n.cidr);
    else byName.set(n.name, { name: n.name, kind: KINDS[n.kind], cidrs: [n.cidr] });
  }
  return [...byName.values()];
}

/** The `bulkhead` argument lists that declare them: `networks add NAME CIDR... --kind K`, one per network. */
export function networksAddArgs(estate: ZooEstate): string[][] {
  return declaredNetworks(estate).map((n) => ['networks', 'add', n.name, ...n.cidrs, '--kind', n.kind]);
}
