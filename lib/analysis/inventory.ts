// The inventory an analysis reads: the workloads that held an address in the window or appear in
// an edge (a workload's address may have moved on since), with the labels that are facts (not
// unconfirmed suggestions) and which of them a person decided, and the application name an earlier
// analysis suggested (it may keep naming the same application, never decide membership). In
// hostname order: the clustering visits workloads in this order, and random ids must not decide.
import type { Db } from '../db';
import { cmp } from './cmp';
import type { EdgeRow } from './edges';
import type { AnalysisEdge } from './types';

export interface InventoryWorkload {
  id: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  /** label keys a person decided (set by hand, or a confirmed suggestion): they win over structure */
  decided: Set<string>;
  addresses: string[];
  /** the unconfirmed `app` suggestion an earlier analysis saved: a name only, never a fact */
  previousApp: string | null;
}

export async function loadInventory(db: Db, w: { from: Date; to: Date }, edges: readonly EdgeRow[], scannerKeys: readonly string[]): Promise<Map<string, InventoryWorkload>> {
  const overlap = { validFrom: { lt: w.to }, OR: [{ validTo: null }, { validTo: { gt: w.from } }] };
  const rows = await db.workload.findMany({
    where: { addresses: { some: overlap } },
    select: { id: true, name: true, kind: true, labels: { select: { key: true, value: true, source: true, confirmed: true } }, addresses: { where: overlap, select: { ip: true } } },
  });
  const out = new Map<string, InventoryWorkload>();
  const add = (r: (typeof rows)[number]) => {
    const labels: Record<string, string> = {};
    const decided = new Set<string>();
    let previousApp: string | null = null;
    // unconfirmed suggestions are not facts: they never feed back into inference (only a name is kept)
    for (const l of r.labels) {
      if (l.source === 'inferred' && !l.confirmed) {
        if (l.key === 'app') previousApp = l.value;
        continue;
      }
      labels[l.key] = l.value;
      if (l.source !== 'inventory') decided.add(l.key);
    }
    out.set(r.id, { id: r.id, name: r.name, kind: r.kind, labels, decided, addresses: [...new Set(r.addresses.map((a) => a.ip))].sort(), previousApp });
  };
  for (const r of rows) add(r);
  const missing = new Set<string>();
  for (const e of edges) for (const k of [e.ckey, e.skey]) if (k.startsWith('w:') && !out.has(k.slice(2))) missing.add(k.slice(2));
  for (const k of scannerKeys) if (k.startsWith('w:') && !out.has(k.slice(2))) missing.add(k.slice(2));
  const ids = [...missing];
  for (let i = 0; i < ids.length; i += 500) {
    const more = await db.workload.findMany({
      where: { id: { in: ids.slice(i, i + 500) } },
      select: { id: true, name: true, kind: true, labels: { select: { key: true, value: true, source: true, confirmed: true } }, addresses: { where: overlap, select: { ip: true } } },
    });
    for (const r of more) add(r);
  }
  // names are unique (the schema says so); ids only order what names cannot
  return new Map([...out].sort(([a, x], [b, y]) => cmp(x.name, y.name) || cmp(a, b)));
}

/** A workload no longer in inventory still appears under its id: added to `inventory` (mutated) for each edge end that is neither a known workload nor an outside endpoint. */
export function addUnseenWorkloads(inventory: Map<string, InventoryWorkload>, edges: readonly AnalysisEdge[], endpointAddrs: ReadonlyMap<string, number>): void {
  for (const e of edges) {
    for (const id of [e.from, e.to]) {
      if (!inventory.has(id) && !endpointAddrs.has(id)) inventory.set(id, { id, name: id, kind: 'unknown', labels: {}, decided: new Set(), addresses: [], previousApp: null });
    }
  }
}
