// Bulkhead's own inventory JSON: an array of
//   { name, addresses: ["10.0.0.5" | { ip, from?, to? }], labels?: { key: value }, kind?, externalId? }
// (ISO-8601 times; `to: null` or absent = still bound). Unknown fields (instanceId, owner, ...)
// are kept as the workload's attributes, never refused. docs/inventory.md has examples.
// It lives in lib/ (not beside the other adapters in collectors/inventory) because it is
// Bulkhead's own format: the CLI reads it from files, the JSON API from request bodies.
import { z } from 'zod';
import type { InventoryObservation, ObservedAddress } from './types';
import { WORKLOAD_KINDS } from './types';

export interface InventoryParseResult {
  observations: InventoryObservation[];
  /** entries that could not be read, by JSON path */
  errors: Array<{ where: string; reason: string }>;
  skipped: Array<{ what: string; reason: string }>;
}

/** ISO-8601 time (date, or date and time with optional zone; no zone = UTC), or null when not one. */
export function parseTime(v: unknown): Date | null {
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v : null;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(t)) return null;
  const withZone = /[T ]\d{2}:\d{2}/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? `${t.replace(' ', 'T')}Z` : t.replace(' ', 'T');
  const d = new Date(withZone);
  return Number.isFinite(d.getTime()) ? d : null;
}

const time = z.union([z.string(), z.null()]).optional();
const address = z.union([
  z.string(),
  z.object({ ip: z.string(), from: time, to: time }).passthrough(),
]);
const entry = z
  .object({
    name: z.string().trim().min(1, 'a non-empty name'),
    addresses: z.array(address).default([]),
    labels: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    kind: z.enum(WORKLOAD_KINDS as unknown as [string, ...string[]]).optional(),
    externalId: z.string().min(1).optional(),
  })
  .passthrough();

const KNOWN = new Set(['name', 'addresses', 'labels', 'kind', 'externalId']);

export function fromInventoryJson(doc: unknown): InventoryParseResult {
  const out: InventoryParseResult = { observations: [], errors: [], skipped: [] };
  const list = Array.isArray(doc) ? doc : Array.isArray((doc as { workloads?: unknown })?.workloads) ? ((doc as { workloads: unknown[] }).workloads) : null;
  const prefix = Array.isArray(doc) ? '' : 'workloads';
  if (!list) {
    out.errors.push({ where: '(root)', reason: 'expected an array of workloads ({ name, addresses, labels? })' });
    return out;
  }
  list.forEach((raw, i) => {
    const at = `${prefix}[${i}]`;
    const r = entry.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      out.errors.push({ where: `${at}${issue.path.length ? `.${issue.path.join('.')}` : ''}`, reason: issue.message });
      return;
    }
    const e = r.data;
    const addresses: ObservedAddress[] = [];
    let bad = false;
    e.addresses.forEach((a, k) => {
      if (typeof a === 'string') {
        addresses.push({ ip: a });
        return;
      }
      const from = a.from === undefined || a.from === null ? undefined : parseTime(a.from);
      const to = a.to === undefined || a.to === null ? null : parseTime(a.to);
      if (from === null) {
        out.errors.push({ where: `${at}.addresses[${k}].from`, reason: `"${a.from}" is not an ISO-8601 time` });
        bad = true;
        return;
      }
      if (to === null && a.to !== undefined && a.to !== null) {
        out.errors.push({ where: `${at}.addresses[${k}].to`, reason: `"${a.to}" is not an ISO-8601 time` });
        bad = true;
        return;
      }
      addresses.push({ ip: a.ip, ...(from ? { from } : {}), to });
    });
    // an entry with an unreadable address is refused whole: applying the rest would close the
    // binding of the address that could not be read
    if (bad) return;
    const attributes: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) if (!KNOWN.has(k)) attributes[k] = v;
    const o: InventoryObservation = {
      name: e.name,
      addresses,
      ...(e.labels ? { labels: Object.fromEntries(Object.entries(e.labels).map(([k, v]) => [k, String(v)])) } : {}),
      ...(e.kind ? { kind: e.kind as InventoryObservation['kind'] } : {}),
      ...(e.externalId ? { externalId: e.externalId } : {}),
      ...(Object.keys(attributes).length ? { attributes } : {}),
    };
    out.observations.push(o);
  });
  return out;
}
