// Preparing observations: each validated (a refused one, or a refused address, says why),
// addresses canonicalized, observations of the same workload (same externalId, else same name)
// merged into one, in first-seen order. Nothing is read from or written to the database.
import { canonicalAddress, isHostLocal } from '../identity/address';
import { labelProblem, nameProblem } from '../identity/limits';
import type { ApplyResult, InventoryNote, InventoryObservation, WorkloadKind } from './types';
import { WORKLOAD_KINDS } from './types';

/** At most this many notes and conflicts are kept: a large import's report stays readable. */
export const MAX_NOTES = 200;

export interface Claim {
  ip: string;
  from: number;
  /** null = open */
  to: number | null;
}

export interface Prepared {
  name: string;
  provisionalName: boolean;
  /** an address of it was refused: do not close bindings it does not list */
  incomplete: boolean;
  externalId?: string;
  kind?: WorkloadKind;
  claims: Claim[];
  labels: Record<string, string>;
  attributes: Record<string, unknown>;
}

/** Adds a note to `notes` (mutated) until MAX_NOTES. */
export const noteTo = (notes: InventoryNote[]) => (n: InventoryNote) => void (notes.length < MAX_NOTES && notes.push(n));

export const iso = (ms: number) => new Date(ms).toISOString();

/** Validate, canonicalize and merge observations of the same workload. */
export function prepare(observations: readonly InventoryObservation[], at: number, refused: ApplyResult['refused'], notes: InventoryNote[], conflicts: InventoryNote[]): Prepared[] {
  const byKey = new Map<string, Prepared>();
  const note = noteTo(notes);
  const conflict = noteTo(conflicts);
  // who claimed an address from a time, within this import: a second claimant is a conflict
  const claimedBy = new Map<string, string>();
  for (const o of observations) {
    const name = typeof o.name === 'string' ? o.name.trim() : '';
    const problem = nameProblem(name);
    if (problem) {
      refused.push({ name: String(o.name ?? '').slice(0, 120), reason: problem });
      continue;
    }
    if (o.kind !== undefined && !WORKLOAD_KINDS.includes(o.kind)) {
      refused.push({ name, reason: `kind: "${String(o.kind)}" is not one of ${WORKLOAD_KINDS.join(', ')}` });
      continue;
    }
    const key = o.externalId ? `x:${o.externalId}` : `n:${name}`;
    let p = byKey.get(key);
    if (!p) {
      p = { name, incomplete: false, provisionalName: Boolean(o.provisionalName), externalId: o.externalId || undefined, kind: o.kind, claims: [], labels: {}, attributes: {} };
      byKey.set(key, p);
    } else if (!o.externalId && !o.provisionalName && !p.provisionalName) {
      conflict({ workload: name, message: 'listed twice: merged into one workload (a name is one workload; give each an externalId to tell two apart)' });
    }
    if (p.provisionalName && !o.provisionalName) {
      // a real name wins over a fallback one for the same workload
      p.name = name;
      p.provisionalName = false;
    }
    for (const a of o.addresses ?? []) {
      const ip = canonicalAddress(String(a?.ip ?? ''));
      if (!ip) {
        refused.push({ name, reason: `address: "${String(a?.ip)}" is not an IP address` });
        p.incomplete = true;
        continue;
      }
      if (isHostLocal(ip)) {
        note({ workload: name, ip, message: 'loopback or link-local address ignored: it does not identify a workload' });
        continue;
      }
      const from = a.from ? a.from.getTime() : at;
      const to = a.to ? a.to.getTime() : null;
      if (!Number.isFinite(from) || (to !== null && !Number.isFinite(to))) {
        refused.push({ name, reason: `address ${ip}: invalid from/to time` });
        p.incomplete = true;
        continue;
      }
      if (to !== null && to <= from) {
        refused.push({ name, reason: `address ${ip}: "to" (${iso(to)}) is not after "from" (${iso(from)})` });
        p.incomplete = true;
        continue;
      }
      const claimKey = `${ip}|${from}`;
      const other = claimedBy.get(claimKey);
      if (other !== undefined && other !== key) {
        conflict({ workload: name, ip, message: `also claimed by ${byKey.get(other)?.name ?? 'another workload'} from ${iso(from)}: the first entry holds it, this one is not bound` });
      } else claimedBy.set(claimKey, key);
      p.claims.push({ ip, from, to });
    }
    for (const [k, v] of Object.entries(o.labels ?? {})) {
      const key2 = k.trim();
      if (!key2 || v === undefined || v === null || String(v).trim() === '') continue;
      const bad = labelProblem(key2, String(v).trim());
      if (bad) {
        conflict({ workload: name, message: `${bad}: left out` });
        continue;
      }
      p.labels[key2] = String(v).trim();
    }
    Object.assign(p.attributes, o.attributes ?? {});
  }
  return [...byKey.values()];
}
