// Inventory: workloads, labels and address bindings over time, from any source.
//   applyInventory(db, store, observations, { source, at })   (./apply.ts)
export * from './types';
