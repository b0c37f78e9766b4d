// Applying inventory observations to the relational store: workloads, labels and address
// bindings with validity intervals, then the ClickHouse copy of the bindings (syncBindings).
//
// The rules (docs/inventory.md explains them with examples):
//  - A workload is matched by externalId, else by name; a match by externalId with a new name
//    renames it (when the name is free).
//  - Bindings of one address never overlap. An observation "W holds A from f" (open) closes
//    whoever held A before f at f (the address moved) and stops where a later holder starts (an
//    older snapshot replayed after a newer one cannot take the address back). An explicit
//    interval [f, t) replaces what the store said about A for that interval; holdings outside
//    it are kept (split when they straddle it).
//  - Holdings of the same workload that overlap or touch are merged: history stays one row per
//    continuous holding.
//  - An observed workload's open bindings from the same source that it no longer lists are
//    closed at `at`; with prune, so are those of the source's workloads that were not observed.
//  - Labels set by people (source "user") are never overwritten by an import.
//
// Everything is computed in memory from a few bulk reads and written in one transaction, so
// that a large inventory (thousands of pods) applies in seconds and either fully or not at all.
// The steps: prepare (./prepare.ts), workloads read and matched (./workloads.ts), bindings read
// and claimed (./bindings.ts), labels read and planned (./labels.ts), then writeInventory.
import type { Db } from '../db';
import { syncBindings } from '../identity/bindings';
import { syncNamedNetworks } from '../identity/networks';
import type { Store } from '../store';
import { applyClaims, closeUnlisted, readBindings, readHolderNames, type BindingTable, type ClaimContext } from './bindings';
import { planLabels, readLabels, type LabelPlan } from './labels';
import { noteTo, prepare } from './prepare';
import type { ApplyOptions, ApplyResult, InventoryObservation } from './types';
import { chunks, matchWorkloads, readWorkloads, type WorkloadPlan } from './workloads';

/** What an application of an inventory reports before anything is done (the steps add to it). */
export function emptyResult(): ApplyResult {
  return {
    workloads: { created: 0, updated: 0, unchanged: 0, renamed: 0 },
    bindings: { opened: 0, moved: 0, closed: 0, extended: 0, trimmed: 0 },
    labels: { set: 0, unchanged: 0, keptUser: 0 },
    notes: [],
    refused: [],
    conflicts: [],
    synced: null,
  };
}

/**
 * Apply inventory observations: create or update workloads, labels and address bindings, then
 * copy the bindings to ClickHouse (when a store is given) so SQL resolves (address, time).
 */
export async function applyInventory(db: Db, store: Store | null, observations: readonly InventoryObservation[], opts: ApplyOptions): Promise<ApplyResult> {
  const at = (opts.at ?? new Date()).getTime();
  const source = opts.source;
  const result = emptyResult();
  const note = noteTo(result.notes);
  const prepared = prepare(observations, at, result.refused, result.notes, result.conflicts);

  const existing = await readWorkloads(db, prepared);
  const plan = matchWorkloads(prepared, existing, source, result, note);

  const table = await readBindings(db, prepared, [...existing.keys()], source, Boolean(opts.prune));
  const names = await readHolderNames(db, table, [...existing.values(), ...plan.created]);
  const cx: ClaimContext = { table, source, result, note, wname: (id) => names.get(id) ?? id };
  const { listed, incomplete } = applyClaims(cx, prepared, plan.target);
  closeUnlisted(cx, listed, incomplete, at, opts);

  const labels = planLabels(prepared, plan.target, await readLabels(db, prepared, plan.target, existing), result, note);

  result.workloads.created = plan.created.length;
  result.workloads.updated = plan.updates.size;
  result.workloads.unchanged = new Set([...plan.target.values()].map((w) => w.id)).size - plan.created.length - plan.updates.size;

  if (opts.dryRun) return result;
  await writeInventory(db, plan, table, labels);
  if (store) {
    result.synced = await syncBindings(db, store);
    // the named networks table starts empty; filling it here means SQL classification works
    // as soon as an estate has inventory (it is a handful of rows)
    await syncNamedNetworks(db, store);
  }
  return result;
}

/** The plan written all or nothing. */
export async function writeInventory(db: Db, plan: WorkloadPlan, table: BindingTable, labels: LabelPlan): Promise<void> {
  const { created, updates } = plan;
  const all = table.all;
  const newBindings = [...all.values()].filter((b) => b.state === 'new');
  const changed = [...all.values()].filter((b) => b.state === 'changed');
  const deletedIds = [...all.values()].filter((b) => b.state === 'deleted').map((b) => b.id);
  await db.$transaction(
    async (tx) => {
      for (const c of chunks(created)) {
        await tx.workload.createMany({
          data: c.map((w) => ({ id: w.id, name: w.name, externalId: w.externalId, kind: w.kind, source: w.source, attributes: (w.attributes ?? undefined) as never })),
        });
      }
      for (const [id, u] of updates) await tx.workload.update({ where: { id }, data: { ...u, attributes: u.attributes as never } });
      // Deletions first: a binding replaced by this import must not collide with rows created for it.
      for (const c of chunks(deletedIds)) await tx.addressBinding.deleteMany({ where: { id: { in: c } } });
      for (const b of changed) await tx.addressBinding.update({ where: { id: b.id }, data: { validFrom: new Date(b.from), validTo: b.to === null ? null : new Date(b.to) } });
      for (const c of chunks(newBindings)) {
        await tx.addressBinding.createMany({
          data: c.map((b) => ({ id: b.id, workloadId: b.workloadId, ip: b.ip, validFrom: new Date(b.from), validTo: b.to === null ? null : new Date(b.to), source: b.source })),
        });
      }
      for (const c of chunks(labels.creates)) await tx.label.createMany({ data: c });
      for (const l of labels.updates) await tx.label.update({ where: { id: l.id }, data: { value: l.value, source: 'inventory', confirmed: true } });
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}
