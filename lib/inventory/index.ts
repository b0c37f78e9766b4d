// Inventory: workloads, labels and address bindings over time, from any source.
//   applyInventory(db, store, observations, { source, at })   (./apply.ts, rules in docs/inventory.md;
//   its steps in ./prepare.ts, ./workloads.ts, ./bindings.ts, ./labels.ts)
//   importInventory(db, store, { kind, path, parsed, ... }, audit)   the same, with its import run and audit event (./import.ts)
export * from './types';
export { applyInventory } from './apply';
export { importInventory, KEPT_ERRORS, type InventoryAuditRecorder, type InventoryImport } from './import';
export { fromInventoryJson, parseTime, type InventoryParseResult } from './json';
