// Inventory: workloads, labels and address bindings over time, from any source.
//   applyInventory(db, store, observations, { source, at })   (./apply.ts, rules in docs/inventory.md;
//   its steps in ./prepare.ts, ./workloads.ts, ./bindings.ts, ./labels.ts)
export * from './types';
export { applyInventory } from './apply';
export { fromInventoryJson, parseTime, type InventoryParseResult } from './json';
