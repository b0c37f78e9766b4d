// The steps of applyInventory one by one, in memory (apply.test.ts runs them against a database).
import { describe, expect, it } from 'vitest';
import { addBinding, applyClaims, claimAddress, closeUnlisted, emptyBindingTable, loadBindings, type ClaimContext } from './bindings';
import { emptyResult } from './apply';
import { planLabels } from './labels';
import { prepare, type Prepared } from './prepare';
import type { InventoryNote } from './types';
import { matchWorkloads, type WorkloadRow } from './workloads';

const T = Date.UTC(2026, 0, 10);
const H = 3_600_000;

const result = emptyResult;
const row = (id: string, name: string, extra: Partial<WorkloadRow> = {}): WorkloadRow => ({ id, name, externalId: null, kind: 'vm', source: 'csv', attributes: null, ...extra });
const prepared = (name: string, extra: Partial<Prepared> = {}): Prepared => ({ name, provisionalName: false, incomplete: false, claims: [], labels: {}, attributes: {}, ...extra });

function context(rows: Array<[string, string, number, number | null]>): ClaimContext {
  const table = emptyBindingTable();
  loadBindings(table, rows.map(([id, workloadId, from, to]) => ({ id, workloadId, ip: '10.0.0.1', validFrom: new Date(from), validTo: to === null ? null : new Date(to), source: 'csv' })));
  const notes: InventoryNote[] = [];
  return { table, source: 'csv', result: result(), note: (n) => void notes.push(n), wname: (id) => id };
}

describe('prepare', () => {
  it('merges observations of one workload, refuses bad names and addresses with reasons, ignores loopback', () => {
    const r = result();
    const p = prepare(
      [
        { name: 'web-1', addresses: [{ ip: '10.0.0.1' }, { ip: '127.0.0.1' }], labels: { app: ' shop ' } },
        { name: 'web-1', addresses: [{ ip: 'nope' }] },
        { name: '', addresses: [] },
      ],
      T, r.refused, r.notes, r.conflicts,
    );
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ name: 'web-1', incomplete: true, labels: { app: 'shop' }, claims: [{ ip: '10.0.0.1', from: T, to: null }] });
    expect(r.refused.map((x) => x.reason)).toEqual([expect.stringContaining('"nope" is not an IP address'), expect.any(String)]);
    expect(r.notes.map((n) => n.ip)).toEqual(['127.0.0.1']);
    expect(r.conflicts).toHaveLength(1);
  });
});

describe('matchWorkloads', () => {
  it('creates the unknown, renames by externalId only for the creating source', () => {
    const mine = row('1', 'old', { externalId: 'x:1' });
    const theirs = row('2', 'theirs', { externalId: 'x:2', source: 'aws' });
    const r = result();
    const plan = matchWorkloads([prepared('new', { externalId: 'x:1' }), prepared('renamed', { externalId: 'x:2' }), prepared('fresh')], new Map([['1', mine], ['2', theirs]]), 'csv', r, () => {});
    expect(plan.updates).toEqual(new Map([['1', { name: 'new' }]]));
    expect(plan.created.map((w) => [w.name, w.source])).toEqual([['fresh', 'csv']]);
    expect(r.workloads.renamed).toBe(1);
    expect(theirs.name).toBe('theirs');
  });
});

describe('bindings', () => {
  it('a later open claim moves the address: the old holding closes where the new one starts', () => {
    const cx = context([['b1', 'a', T - 10 * H, null]]);
    claimAddress(cx, row('b', 'b'), { ip: '10.0.0.1', from: T, to: null });
    const all = [...cx.table.all.values()];
    expect(all.map((b) => [b.workloadId, b.from, b.to, b.state])).toEqual([['a', T - 10 * H, T, 'changed'], ['b', T, null, 'new']]);
    expect(cx.result.bindings).toMatchObject({ moved: 1, opened: 1 });
  });

  it('a bounded claim inside another holding splits it, and an older open claim stops at the newer holder', () => {
    const cx = context([['b1', 'a', T - 10 * H, null]]);
    claimAddress(cx, row('b', 'b'), { ip: '10.0.0.1', from: T - 5 * H, to: T - 4 * H });
    expect([...cx.table.all.values()].map((b) => [b.workloadId, b.from, b.to])).toEqual([['a', T - 10 * H, T - 5 * H], ['a', T - 4 * H, null], ['b', T - 5 * H, T - 4 * H]]);
    const cy = context([['b1', 'a', T, null]]);
    claimAddress(cy, row('b', 'b'), { ip: '10.0.0.1', from: T - H, to: null });
    expect([...cy.table.all.values()].find((b) => b.workloadId === 'b')).toMatchObject({ from: T - H, to: T });
  });

  it('applies claims oldest first and closes open holdings no longer listed, unless an address was refused', () => {
    const cx = context([['b1', 'a', T - 10 * H, null]]);
    addBinding(cx.table, { id: 'b2', workloadId: 'a', ip: '10.0.0.2', from: T - 10 * H, to: null, source: 'csv', state: 'same' });
    const a = row('a', 'a');
    const p = prepared('a', { claims: [{ ip: '10.0.0.1', from: T - 2 * H, to: null }] });
    const { listed, incomplete } = applyClaims(cx, [p], new Map([[p, a]]));
    expect(listed).toEqual(new Map([['a', new Set(['10.0.0.1'])]]));
    closeUnlisted(cx, listed, incomplete, T, {});
    expect(cx.table.all.get('b2')).toMatchObject({ to: T, state: 'changed' });
    expect(cx.table.all.get('b1')).toMatchObject({ to: null });
    expect(cx.result.bindings.closed).toBe(1);
    const cz = context([]);
    addBinding(cz.table, { id: 'b3', workloadId: 'a', ip: '10.0.0.3', from: T - H, to: null, source: 'csv', state: 'same' });
    closeUnlisted(cz, listed, new Set(['a']), T, {});
    expect(cz.table.all.get('b3')!.to).toBeNull();
  });
});

describe('planLabels', () => {
  it('creates, updates and keeps what a person set', () => {
    const w = row('1', 'web');
    const p = prepared('web', { labels: { app: 'shop', env: 'prod', role: 'web' } });
    const r = result();
    const notes: InventoryNote[] = [];
    const plan = planLabels([p], new Map([[p, w]]), new Map([['1', new Map([['env', { id: 'l1', value: 'dev', source: 'inventory' }], ['role', { id: 'l2', value: 'api', source: 'user' }]])]]), r, (n) => void notes.push(n));
    expect(plan.creates.map((c) => [c.key, c.value])).toEqual([['app', 'shop']]);
    expect(plan.updates).toEqual([{ id: 'l1', value: 'prod' }]);
    expect(r.labels).toEqual({ set: 2, unchanged: 0, keptUser: 1 });
    expect(notes[0]!.message).toContain('role=api set by a person kept');
  });
});
