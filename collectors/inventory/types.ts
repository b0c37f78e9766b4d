// What an inventory adapter returns: observations for lib/inventory's applyInventory, and the
// entries it could not read, each named by where it is in the file.
import type { InventoryObservation } from '../../lib/inventory/types';

export type InventoryFormat = 'json' | 'csv' | 'vcenter' | 'kubernetes' | 'aws';
export const INVENTORY_FORMATS: readonly InventoryFormat[] = ['json', 'csv', 'vcenter', 'kubernetes', 'aws'];

export interface InventoryError {
  /** "line 7" (CSV), "[3].addresses[1]" (JSON path), "items[12] (Pod shop/web-1)" */
  where: string;
  reason: string;
}

export interface AdapterResult {
  observations: InventoryObservation[];
  errors: InventoryError[];
  /** entries deliberately left out, with why (completed pods, terminated instances, ...) */
  skipped: Array<{ what: string; reason: string }>;
}

export const emptyResult = (): AdapterResult => ({ observations: [], errors: [], skipped: [] });

type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** A key of an object regardless of case (govc changed its JSON from PascalCase to camelCase; PowerCLI is PascalCase). */
export function ci(o: unknown, key: string): unknown {
  const x = obj(o);
  if (!x) return undefined;
  if (key in x) return x[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(x)) if (k.toLowerCase() === lower) return x[k];
  return undefined;
}

export { parseTime } from '../../lib/inventory/json';
