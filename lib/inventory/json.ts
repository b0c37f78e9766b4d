// Bulkhead's own inventory JSON: an array of
//   { name, addresses: ["10.0.0.5" | { ip, from?, to? }], labels?: { key: value }, kind?, externalId? }
// (ISO-8601 times; `to: null` or absent = still bound). Unknown fields (instanceId, owner, ...)
// are kept as the workload's attributes, never refused. docs/inventory.md has examples.
import { z } from 'zod';
import type { InventoryObservation, ObservedAddress } from '../../lib/inventory/types';
import { WORKLOAD_KINDS } from '../../lib/inventory/types';
import { emptyResult, parseTime, type AdapterResult } from './types';

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

export function fromInventoryJson(doc: unknown): AdapterResult {
  const out = emptyResult();
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
