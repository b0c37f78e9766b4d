// Labels of an import: the existing labels of the workloads it labels, then what to create and
// update. An inventory sets labels; a label a person set (source "user") is never overwritten.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import type { Prepared } from './prepare';
import type { ApplyResult, InventoryNote } from './types';
import { chunks, type WorkloadRow } from './workloads';

export type LabelRows = Map<string, Map<string, { id: string; value: string; source: string }>>;

export interface LabelPlan {
  creates: Array<{ id: string; workloadId: string; key: string; value: string; source: string; confirmed: boolean }>;
  updates: Array<{ id: string; value: string }>;
}

/** Existing labels (workload id -> key -> row) of the existing workloads the import labels. */
export async function readLabels(db: Db, prepared: readonly Prepared[], target: ReadonlyMap<Prepared, WorkloadRow>, existing: ReadonlyMap<string, WorkloadRow>): Promise<LabelRows> {
  const labelRows: LabelRows = new Map();
  const labelled = prepared.filter((p) => Object.keys(p.labels).length).map((p) => target.get(p)!.id).filter((id) => existing.has(id));
  for (const c of chunks([...new Set(labelled)])) {
    for (const l of await db.label.findMany({ where: { workloadId: { in: c } } })) {
      let m = labelRows.get(l.workloadId);
      if (!m) labelRows.set(l.workloadId, (m = new Map()));
      m.set(l.key, { id: l.id, value: l.value, source: l.source });
    }
  }
  return labelRows;
}

/** What to write for each observed label; `labelRows` is updated to what the store will hold, counts go to `result`. */
export function planLabels(prepared: readonly Prepared[], target: ReadonlyMap<Prepared, WorkloadRow>, labelRows: LabelRows, result: ApplyResult, note: (n: InventoryNote) => void): LabelPlan {
  const creates: LabelPlan['creates'] = [];
  const updates: LabelPlan['updates'] = [];
  for (const p of prepared) {
    const w = target.get(p)!;
    const existing = labelRows.get(w.id);
    for (const [key, value] of Object.entries(p.labels)) {
      const e = existing?.get(key);
      if (!e) {
        creates.push({ id: randomUUID(), workloadId: w.id, key, value, source: 'inventory', confirmed: true });
        existing?.set(key, { id: '', value, source: 'inventory' });
        result.labels.set++;
      } else if (e.value === value) {
        result.labels.unchanged++;
      } else if (e.source === 'user') {
        result.labels.keptUser++;
        note({ workload: w.name, message: `label ${key}=${e.value} set by a person kept (inventory says ${value})` });
      } else {
        if (e.id) updates.push({ id: e.id, value });
        e.value = value;
        e.source = 'inventory';
        result.labels.set++;
      }
    }
  }
  return { creates, updates };
}
