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
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { syncBindings } from '../identity/bindings';
import { syncNamedNetworks } from '../identity/networks';
import { canonicalAddress, isHostLocal } from '../identity/address';
import { labelProblem, nameProblem } from '../identity/limits';
import type { Store } from '../store';
import type { ApplyOptions, ApplyResult, InventoryNote, InventoryObservation, WorkloadKind } from './types';
import { WORKLOAD_KINDS } from './types';

const MAX_NOTES = 200;
const CHUNK = 500;

interface Binding {
  id: string;
  workloadId: string;
  ip: string;
  from: number;
  /** null = open */
  to: number | null;
  source: string;
  state: 'same' | 'new' | 'changed' | 'deleted';
}

interface WorkloadRow {
  id: string;
  name: string;
  externalId: string | null;
  kind: string;
  source: string;
  attributes: Record<string, unknown> | null;
}

interface Claim {
  ip: string;
  from: number;
  to: number | null;
}

interface Prepared {
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

const chunks = <T>(xs: readonly T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));
const end = (b: { to: number | null }) => b.to ?? Number.POSITIVE_INFINITY;
const iso = (ms: number) => new Date(ms).toISOString();

/** Validate, canonicalize and merge observations of the same workload. */
function prepare(observations: readonly InventoryObservation[], at: number, refused: ApplyResult['refused'], notes: InventoryNote[], conflicts: InventoryNote[]): Prepared[] {
  const byKey = new Map<string, Prepared>();
  const note = (n: InventoryNote) => void (notes.length < MAX_NOTES && notes.push(n));
  const conflict = (n: InventoryNote) => void (conflicts.length < MAX_NOTES && conflicts.push(n));
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

function emptyResult(): ApplyResult {
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
  const notes = result.notes;
  const note = (n: InventoryNote) => void (notes.length < MAX_NOTES && notes.push(n));
  const prepared = prepare(observations, at, result.refused, notes, result.conflicts);

  // --- read what exists -------------------------------------------------------------------
  const names = prepared.map((p) => p.name);
  const externalIds = prepared.flatMap((p) => (p.externalId ? [p.externalId] : []));
  const workloads = new Map<string, WorkloadRow>();
  const toRow = (w: { id: string; name: string; externalId: string | null; kind: string; source: string; attributes: unknown }): WorkloadRow => ({
    id: w.id,
    name: w.name,
    externalId: w.externalId,
    kind: w.kind,
    source: w.source,
    attributes: w.attributes && typeof w.attributes === 'object' && !Array.isArray(w.attributes) ? (w.attributes as Record<string, unknown>) : null,
  });
  for (const c of chunks(names)) for (const w of await db.workload.findMany({ where: { name: { in: c } } })) workloads.set(w.id, toRow(w));
  for (const c of chunks(externalIds)) for (const w of await db.workload.findMany({ where: { externalId: { in: c } } })) workloads.set(w.id, toRow(w));
  const byName = new Map<string, WorkloadRow>();
  const byExternal = new Map<string, WorkloadRow>();
  for (const w of workloads.values()) {
    byName.set(w.name, w);
    if (w.externalId) byExternal.set(w.externalId, w);
  }

  // --- workloads: match, create, rename, update ----------------------------------------------
  const created: WorkloadRow[] = [];
  const updates = new Map<string, { name?: string; externalId?: string; kind?: string; attributes?: Record<string, unknown> }>();
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

  // --- bindings ------------------------------------------------------------------------------
  const byIp = new Map<string, Binding[]>();
  const all = new Map<string, Binding>();
  const add = (b: Binding) => {
    all.set(b.id, b);
    let l = byIp.get(b.ip);
    if (!l) byIp.set(b.ip, (l = []));
    l.push(b);
  };
  const load = (rows: Array<{ id: string; workloadId: string; ip: string; validFrom: Date; validTo: Date | null; source: string }>) => {
    for (const r of rows) {
      if (all.has(r.id)) continue;
      add({ id: r.id, workloadId: r.workloadId, ip: r.ip, from: r.validFrom.getTime(), to: r.validTo ? r.validTo.getTime() : null, source: r.source, state: 'same' });
    }
  };
  const ips = [...new Set(prepared.flatMap((p) => p.claims.map((c) => c.ip)))];
  for (const c of chunks(ips)) load(await db.addressBinding.findMany({ where: { ip: { in: c } } }));
  const existingIds = [...workloads.keys()];
  for (const c of chunks(existingIds)) load(await db.addressBinding.findMany({ where: { workloadId: { in: c }, validTo: null, source } }));
  if (opts.prune) load(await db.addressBinding.findMany({ where: { validTo: null, source } }));
  const nameOf = new Map<string, string>([...workloads.values(), ...created].map((w) => [w.id, w.name]));
  const otherNames = [...new Set([...all.values()].map((b) => b.workloadId).filter((id) => !nameOf.has(id)))];
  for (const c of chunks(otherNames)) for (const w of await db.workload.findMany({ where: { id: { in: c } }, select: { id: true, name: true } })) nameOf.set(w.id, w.name);
  const wname = (id: string) => nameOf.get(id) ?? id;

  const touch = (b: Binding) => {
    if (b.state === 'same') b.state = 'changed';
  };
  const live = (ip: string) => (byIp.get(ip) ?? []).filter((b) => b.state !== 'deleted');

  const claim = (w: WorkloadRow, c: Claim) => {
    const list = live(c.ip);
    let until = c.to;
    if (until === null) {
      // An open holding stops where another workload's later holding starts.
      for (const b of list) if (b.workloadId !== w.id && b.from >= c.from) until = Math.min(until ?? Number.POSITIVE_INFINITY, b.from);
    }
    if (until !== null && until <= c.from) {
      const holder = list.find((b) => b.workloadId !== w.id && b.from === until);
      note({ workload: w.name, ip: c.ip, message: `not bound: ${holder ? wname(holder.workloadId) : 'another workload'} holds it from ${iso(until)}` });
      return;
    }
    const claimEnd = until ?? Number.POSITIVE_INFINITY;
    for (const b of list) {
      if (b.workloadId === w.id || !(b.from < claimEnd && end(b) > c.from)) continue;
      if (b.from < c.from) {
        if (end(b) > claimEnd) {
          // b straddles a bounded claim: keep b before and after it
          add({ id: randomUUID(), workloadId: b.workloadId, ip: b.ip, from: claimEnd, to: b.to, source: b.source, state: 'new' });
          b.to = c.from;
          touch(b);
          result.bindings.trimmed++;
        } else {
          const wasOpen = b.to === null;
          b.to = c.from;
          touch(b);
          if (wasOpen) {
            result.bindings.moved++;
            note({ workload: w.name, ip: c.ip, message: `moved from ${wname(b.workloadId)} at ${iso(c.from)}` });
          } else result.bindings.trimmed++;
        }
      } else if (end(b) > claimEnd) {
        b.from = claimEnd;
        touch(b);
        result.bindings.trimmed++;
      } else {
        b.state = 'deleted';
        result.bindings.trimmed++;
        note({ workload: w.name, ip: c.ip, message: `replaced ${wname(b.workloadId)}'s holding ${iso(b.from)} .. ${b.to === null ? 'open' : iso(b.to)}` });
      }
    }
    const own = list.filter((b) => b.workloadId === w.id && b.state !== 'deleted' && b.from <= claimEnd && end(b) >= c.from);
    if (own.length === 0) {
      add({ id: randomUUID(), workloadId: w.id, ip: c.ip, from: c.from, to: until, source, state: 'new' });
      result.bindings.opened++;
      return;
    }
    own.sort((a, b) => a.from - b.from);
    let from = c.from;
    let to: number | null = until;
    // The union: an interval says the workload held the address then, not that it stopped
    // holding it outside the interval (that is what "no longer listed" and moves are for).
    for (const b of own) {
      from = Math.min(from, b.from);
      if (b.to === null) to = null;
      else if (to !== null) to = Math.max(to, b.to);
    }
    const keep = own[0]!;
    for (const b of own.slice(1)) b.state = 'deleted';
    if (keep.from !== from || keep.to !== to || own.length > 1) {
      result.bindings.extended++;
      keep.from = from;
      keep.to = to;
      touch(keep);
    }
  };

  const listed = new Map<string, Set<string>>();
  const claims: Array<[WorkloadRow, Claim]> = [];
  const incomplete = new Set<string>();
  for (const p of prepared) {
    const w = target.get(p)!;
    if (p.incomplete) incomplete.add(w.id);
    let s = listed.get(w.id);
    if (!s) listed.set(w.id, (s = new Set()));
    for (const c of p.claims) {
      s.add(c.ip);
      claims.push([w, c]);
    }
  }
  // Oldest first, so that a history file applies in order whatever order its rows come in.
  claims.sort((a, b) => a[1].from - b[1].from);
  for (const [w, c] of claims) claim(w, c);

  // Open bindings of this source that the observed workloads no longer list (or, with prune,
  // of workloads not observed at all) close at `at`.
  for (const b of all.values()) {
    if (opts.additive || b.state === 'deleted' || b.to !== null || b.source !== source || b.from >= at || incomplete.has(b.workloadId)) continue;
    const l = listed.get(b.workloadId);
    if (l ? !l.has(b.ip) : opts.prune) {
      b.to = at;
      touch(b);
      result.bindings.closed++;
      note({ workload: wname(b.workloadId), ip: b.ip, message: l ? `no longer listed: closed at ${iso(at)}` : `workload not in the inventory: closed at ${iso(at)}` });
    }
  }

  // --- labels --------------------------------------------------------------------------------
  const labelRows = new Map<string, Map<string, { id: string; value: string; source: string }>>();
  const labelled = prepared.filter((p) => Object.keys(p.labels).length).map((p) => target.get(p)!.id).filter((id) => workloads.has(id));
  for (const c of chunks([...new Set(labelled)])) {
    for (const l of await db.label.findMany({ where: { workloadId: { in: c } } })) {
      let m = labelRows.get(l.workloadId);
      if (!m) labelRows.set(l.workloadId, (m = new Map()));
      m.set(l.key, { id: l.id, value: l.value, source: l.source });
    }
  }
  const labelCreates: Array<{ id: string; workloadId: string; key: string; value: string; source: string; confirmed: boolean }> = [];
  const labelUpdates: Array<{ id: string; value: string }> = [];
  for (const p of prepared) {
    const w = target.get(p)!;
    const existing = labelRows.get(w.id);
    for (const [key, value] of Object.entries(p.labels)) {
      const e = existing?.get(key);
      if (!e) {
        labelCreates.push({ id: randomUUID(), workloadId: w.id, key, value, source: 'inventory', confirmed: true });
        existing?.set(key, { id: '', value, source: 'inventory' });
        result.labels.set++;
      } else if (e.value === value) {
        result.labels.unchanged++;
      } else if (e.source === 'user') {
        result.labels.keptUser++;
        note({ workload: w.name, message: `label ${key}=${e.value} set by a person kept (inventory says ${value})` });
      } else {
        if (e.id) labelUpdates.push({ id: e.id, value });
        e.value = value;
        e.source = 'inventory';
        result.labels.set++;
      }
    }
  }

  result.workloads.created = created.length;
  result.workloads.updated = updates.size;
  result.workloads.unchanged = new Set([...target.values()].map((w) => w.id)).size - created.length - updates.size;

  if (opts.dryRun) return result;

  // --- write, all or nothing ---------------------------------------------------------------------
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
      for (const c of chunks(labelCreates)) await tx.label.createMany({ data: c });
      for (const l of labelUpdates) await tx.label.update({ where: { id: l.id }, data: { value: l.value, source: 'inventory', confirmed: true } });
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
  if (store) {
    result.synced = await syncBindings(db, store);
    // the named networks table starts empty; filling it here means SQL classification works
    // as soon as an estate has inventory (it is a handful of rows)
    await syncNamedNetworks(db, store);
  }
  return result;
}
