// Address bindings of an import: who held which address when. The bindings the import can
// touch are read into a table; each claim is applied to it in memory (oldest first), then the
// open bindings no longer listed are closed. Each binding's state says what ./apply.ts writes.
// The rules are docs/inventory.md's; the header of ./apply.ts sums them up.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { iso, type Claim, type Prepared } from './prepare';
import type { ApplyOptions, ApplyResult, InventoryNote } from './types';
import { chunks, type WorkloadRow } from './workloads';

export interface Binding {
  id: string;
  workloadId: string;
  ip: string;
  from: number;
  /** null = open */
  to: number | null;
  source: string;
  state: 'same' | 'new' | 'changed' | 'deleted';
}

export interface BindingTable {
  /** by binding id, in load order then creation order */
  all: Map<string, Binding>;
  byIp: Map<string, Binding[]>;
}

/** What claiming reads and where it reports: the table (mutated), counters in `result`, notes. */
export interface ClaimContext {
  table: BindingTable;
  source: string;
  result: ApplyResult;
  note: (n: InventoryNote) => void;
  /** a workload's name for notes */
  wname: (id: string) => string;
}

const end = (b: { to: number | null }) => b.to ?? Number.POSITIVE_INFINITY;

export const emptyBindingTable = (): BindingTable => ({ all: new Map(), byIp: new Map() });

export function addBinding(t: BindingTable, b: Binding): void {
  t.all.set(b.id, b);
  let l = t.byIp.get(b.ip);
  if (!l) t.byIp.set(b.ip, (l = []));
  l.push(b);
}

type BindingRow = { id: string; workloadId: string; ip: string; validFrom: Date; validTo: Date | null; source: string };

/** Adds rows not in the table yet, unchanged. */
export function loadBindings(t: BindingTable, rows: readonly BindingRow[]): void {
  for (const r of rows) {
    if (t.all.has(r.id)) continue;
    addBinding(t, { id: r.id, workloadId: r.workloadId, ip: r.ip, from: r.validFrom.getTime(), to: r.validTo ? r.validTo.getTime() : null, source: r.source, state: 'same' });
  }
}

/** Every binding of a claimed address, the open ones of this source's observed workloads, and with prune every open one of the source. */
export async function readBindings(db: Db, prepared: readonly Prepared[], existingIds: readonly string[], source: string, prune: boolean): Promise<BindingTable> {
  const t = emptyBindingTable();
  const ips = [...new Set(prepared.flatMap((p) => p.claims.map((c) => c.ip)))];
  for (const c of chunks(ips)) loadBindings(t, await db.addressBinding.findMany({ where: { ip: { in: c } } }));
  for (const c of chunks(existingIds)) loadBindings(t, await db.addressBinding.findMany({ where: { workloadId: { in: c }, validTo: null, source } }));
  if (prune) loadBindings(t, await db.addressBinding.findMany({ where: { validTo: null, source } }));
  return t;
}

/** Names of the import's workloads and of every other holder in the table, for notes. */
export async function readHolderNames(db: Db, t: BindingTable, known: readonly WorkloadRow[]): Promise<Map<string, string>> {
  const nameOf = new Map<string, string>(known.map((w) => [w.id, w.name]));
  const otherNames = [...new Set([...t.all.values()].map((b) => b.workloadId).filter((id) => !nameOf.has(id)))];
  for (const c of chunks(otherNames)) for (const w of await db.workload.findMany({ where: { id: { in: c } }, select: { id: true, name: true } })) nameOf.set(w.id, w.name);
  return nameOf;
}

const touch = (b: Binding) => {
  if (b.state === 'same') b.state = 'changed';
};
const live = (t: BindingTable, ip: string) => (t.byIp.get(ip) ?? []).filter((b) => b.state !== 'deleted');

/** "w holds c.ip over [c.from, c.to)": other holders trimmed, split or replaced, w's own holdings merged. */
export function claimAddress(cx: ClaimContext, w: WorkloadRow, c: Claim): void {
  const list = live(cx.table, c.ip);
  let until = c.to;
  if (until === null) {
    // An open holding stops where another workload's later holding starts.
    for (const b of list) if (b.workloadId !== w.id && b.from >= c.from) until = Math.min(until ?? Number.POSITIVE_INFINITY, b.from);
  }
  if (until !== null && until <= c.from) {
    const holder = list.find((b) => b.workloadId !== w.id && b.from === until);
    cx.note({ workload: w.name, ip: c.ip, message: `not bound: ${holder ? cx.wname(holder.workloadId) : 'another workload'} holds it from ${iso(until)}` });
    return;
  }
  const claimEnd = until ?? Number.POSITIVE_INFINITY;
  for (const b of list) {
    if (b.workloadId === w.id || !(b.from < claimEnd && end(b) > c.from)) continue;
    if (b.from < c.from) {
      if (end(b) > claimEnd) {
        // b straddles a bounded claim: keep b before and after it
        addBinding(cx.table, { id: randomUUID(), workloadId: b.workloadId, ip: b.ip, from: claimEnd, to: b.to, source: b.source, state: 'new' });
        b.to = c.from;
        touch(b);
        cx.result.bindings.trimmed++;
      } else {
        const wasOpen = b.to === null;
        b.to = c.from;
        touch(b);
        if (wasOpen) {
          cx.result.bindings.moved++;
          cx.note({ workload: w.name, ip: c.ip, message: `moved from ${cx.wname(b.workloadId)} at ${iso(c.from)}` });
        } else cx.result.bindings.trimmed++;
      }
    } else if (end(b) > claimEnd) {
      b.from = claimEnd;
      touch(b);
      cx.result.bindings.trimmed++;
    } else {
      b.state = 'deleted';
      cx.result.bindings.trimmed++;
      cx.note({ workload: w.name, ip: c.ip, message: `replaced ${cx.wname(b.workloadId)}'s holding ${iso(b.from)} .. ${b.to === null ? 'open' : iso(b.to)}` });
    }
  }
  const own = list.filter((b) => b.workloadId === w.id && b.state !== 'deleted' && b.from <= claimEnd && end(b) >= c.from);
  if (own.length === 0) {
    addBinding(cx.table, { id: randomUUID(), workloadId: w.id, ip: c.ip, from: c.from, to: until, source: cx.source, state: 'new' });
    cx.result.bindings.opened++;
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
    cx.result.bindings.extended++;
    keep.from = from;
    keep.to = to;
    touch(keep);
  }
}

/** Every claim of the import, oldest first; what each workload listed, and which workloads had an address refused. */
export function applyClaims(cx: ClaimContext, prepared: readonly Prepared[], target: ReadonlyMap<Prepared, WorkloadRow>): { listed: Map<string, Set<string>>; incomplete: Set<string> } {
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
  for (const [w, c] of claims) claimAddress(cx, w, c);
  return { listed, incomplete };
}

/**
 * Open bindings of this source that the observed workloads no longer list (or, with prune, of
 * workloads not observed at all) close at `at`; not for a workload with a refused address.
 */
export function closeUnlisted(cx: ClaimContext, listed: ReadonlyMap<string, Set<string>>, incomplete: ReadonlySet<string>, at: number, opts: Pick<ApplyOptions, 'additive' | 'prune'>): void {
  for (const b of cx.table.all.values()) {
    if (opts.additive || b.state === 'deleted' || b.to !== null || b.source !== cx.source || b.from >= at || incomplete.has(b.workloadId)) continue;
    const l = listed.get(b.workloadId);
    if (l ? !l.has(b.ip) : opts.prune) {
      b.to = at;
      touch(b);
      cx.result.bindings.closed++;
      cx.note({ workload: cx.wname(b.workloadId), ip: b.ip, message: l ? `no longer listed: closed at ${iso(at)}` : `workload not in the inventory: closed at ${iso(at)}` });
    }
  }
}
