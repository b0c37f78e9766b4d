// Workloads of an import: the rows that exist (read in bulk by name and externalId), then each
// prepared observation matched to one (by externalId, else by name), created, renamed or updated
// in memory. Nothing is written here: ./apply.ts writes the plan in one transaction.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import type { Prepared } from './prepare';
import type { ApplyResult, InventoryNote } from './types';

const CHUNK = 500;

/** Bulk reads and writes go CHUNK rows at a time (bound parameters have limits). */
export const chunks = <T>(xs: readonly T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

export interface WorkloadRow {
  id: string;
  name: string;
  externalId: string | null;
  kind: string;
  source: string;
  attributes: Record<string, unknown> | null;
}

export type WorkloadUpdate = { name?: string; externalId?: string; kind?: string; attributes?: Record<string, unknown> };

export interface WorkloadPlan {
  created: WorkloadRow[];
  /** by workload id, only what changes */
  updates: Map<string, WorkloadUpdate>;
  /** each prepared observation's workload (existing or created) */
  target: Map<Prepared, WorkloadRow>;
}

/** The existing workloads named or externally identified by the observations, by id. */
export async function readWorkloads(db: Db, prepared: readonly Prepared[]): Promise<Map<string, WorkloadRow>> {
  const names = prepared.map((p) => p.name);
  const externalIds = prepared.flatMap((p) => (p.externalId ? [p.externalId] : []));
  const workloads = new Map<string, WorkloadRow>();
  for (const c of chunks(names)) for (const w of await db.workload.findMany({ where: { name: { in: c } } })) workloads.set(w.id, toRow(w));
  for (const c of chunks(externalIds)) for (const w of await db.workload.findMany({ where: { externalId: { in: c } } })) workloads.set(w.id, toRow(w));
  return workloads;
}

function toRow(w: { id: string; name: string; externalId: string | null; kind: string; source: string; attributes: unknown }): WorkloadRow {
  return {
    id: w.id,
    name: w.name,
    externalId: w.externalId,
    kind: w.kind,
    source: w.source,
    attributes: w.attributes && typeof w.attributes === 'object' && !Array.isArray(w.attributes) ? (w.attributes as Record<string, unknown>) : null,
  };
}

/**
 * Matches each observation to a workload; the rows in `workloads` are updated in place (they
 * stand for the store after the import) and renames are counted in `result`.
 */
export function matchWorkloads(prepared: readonly Prepared[], workloads: ReadonlyMap<string, WorkloadRow>, source: string, result: ApplyResult, note: (n: InventoryNote) => void): WorkloadPlan {
  const byName = new Map<string, WorkloadRow>();
  const byExternal = new Map<string, WorkloadRow>();
  for (const w of workloads.values()) {
    byName.set(w.name, w);
    if (w.externalId) byExternal.set(w.externalId, w);
  }
  const created: WorkloadRow[] = [];
  const updates = new Map<string, WorkloadUpdate>();
  const target = new Map<Prepared, WorkloadRow>();
  for (const p of prepared) {
    let w = (p.externalId && byExternal.get(p.externalId)) || byName.get(p.name);
    if (!w) {
      w = { id: randomUUID(), name: p.name, externalId: p.externalId ?? null, kind: p.kind ?? 'unknown', source, attributes: Object.keys(p.attributes).length ? p.attributes : null };
      created.push(w);
      byName.set(w.name, w);
      if (w.externalId) byExternal.set(w.externalId, w);
      target.set(p, w);
      continue;
    }
    target.set(p, w);
    if (created.includes(w)) {
      // a second observation of a workload created by this import: merge into the new row
      if (p.kind && p.kind !== 'unknown') w.kind = p.kind;
      if (Object.keys(p.attributes).length) w.attributes = { ...(w.attributes ?? {}), ...p.attributes };
      continue;
    }
    const u = updates.get(w.id) ?? {};
    // Only the source that created a workload renames it (two inventories that name one machine
    // differently, say EC2 and Kubernetes, would otherwise rename it back and forth).
    if (p.name !== w.name && !p.provisionalName && w.source === source) {
      const holder = byName.get(p.name);
      if (holder && holder !== w) {
        note({ workload: w.name, message: `not renamed to "${p.name}": another workload has that name` });
      } else {
        byName.delete(w.name);
        byName.set(p.name, w);
        u.name = p.name;
        w.name = p.name;
        result.workloads.renamed++;
      }
    }
    if (p.externalId && p.externalId !== w.externalId) {
      const holder = byExternal.get(p.externalId);
      if (!holder || holder === w) {
        u.externalId = p.externalId;
        w.externalId = p.externalId;
        byExternal.set(p.externalId, w);
      }
    }
    if (p.kind && p.kind !== 'unknown' && p.kind !== w.kind) {
      u.kind = p.kind;
      w.kind = p.kind;
    }
    if (Object.keys(p.attributes).length) {
      const merged = { ...(w.attributes ?? {}), ...p.attributes };
      if (JSON.stringify(merged) !== JSON.stringify(w.attributes ?? {})) {
        u.attributes = merged;
        w.attributes = merged;
      }
    }
    if (Object.keys(u).length) updates.set(w.id, u);
  }
  return { created, updates, target };
}
