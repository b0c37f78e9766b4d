// Blast radius step by step on a small hand-made policy (simulate.test.ts runs it on an estate).
import { describe, expect, it } from 'vitest';
import { applicationReach, blastRadius, externalReach, reduction, widestReach, workloadBlast, type BlastRule } from './blast';
import { makeView } from './labels';
import { multiHopReach, oneHopReach } from './reach';
import type { PolicyWorkload } from './selectors';

const w = (id: string, labels: Record<string, string>): PolicyWorkload => ({ id, name: `${id}-host`, labels, suggested: [], addresses: [] });
// web -> api -> db, jump -> everything, the internet -> web
const ws = [w('web', { app: 'shop', role: 'web' }), w('api', { app: 'shop', role: 'api' }), w('db', { app: 'shop', role: 'db' }), w('jump', { app: 'jump' }), w('lone', {})];
const rules: BlastRule[] = [
  { id: 'r1', from: { labels: { role: 'web' } }, to: { labels: { role: 'api' } }, ports: [{ protocol: 'tcp', port: 8080 }] },
  { id: 'r2', from: { labels: { role: 'api' } }, to: { labels: { role: 'db' } }, ports: [{ protocol: 'tcp', port: 5432 }] },
  { id: 'r3', from: { labels: { app: 'jump' } }, to: { labels: {} }, ports: [{ protocol: 'tcp', port: 22 }] },
  { id: 'r4', from: { cidr: '0.0.0.0/0' }, to: { labels: { role: 'web' } }, ports: [{ protocol: 'tcp', port: 443 }] },
];

describe('reach', () => {
  it('one hop: what each workload reaches, never itself', () => {
    const r = oneHopReach(rules, ws);
    expect(r.adj.map((b) => [...b.each()])).toEqual([[1], [2], [], [0, 1, 2, 4], []]);
    expect([...r.ruleFrom[3]!.each()]).toEqual([]);
  });

  it('multi hop: the transitive closure, cycles included', () => {
    expect(multiHopReach(oneHopReach(rules, ws).adj).multi).toEqual([2, 1, 0, 4, 0]);
    const cycle: BlastRule[] = [...rules, { id: 'back', from: { labels: { role: 'db' } }, to: { labels: { role: 'web' } }, ports: [] }];
    expect(multiHopReach(oneHopReach(cycle, ws).adj).multi).toEqual([2, 2, 2, 4, 0]);
  });
});

describe('blast radius steps', () => {
  const one = [1, 1, 0, 4, 0];
  const multi = [2, 1, 0, 4, 0];

  it('per application, widest first; reduction against the flat network', () => {
    expect(applicationReach(ws, one, multi, 4).map((a) => [a.application, a.workloads, a.oneHop, a.multiHop])).toEqual([
      ['jump', 1, 4, 4],
      ['shop', 3, 2 / 3, 1],
      ['(no application)', 1, 0, 0],
    ]);
    expect(reduction(1, 4)).toBe(0.75);
    expect(reduction(1, 0)).toBe(0);
  });

  it('the widest workloads and outside sources', () => {
    expect(widestReach(ws, one, multi, 2).map((x) => x.id)).toEqual(['jump', 'web']);
    expect(externalReach(rules, oneHopReach(rules, ws).ruleTo, ws.length)).toEqual([{ source: '0.0.0.0/0', reach: 1 }]);
  });

  it('one workload: ports and rules per target, fewest hops with a path, who reaches it', () => {
    const reach = oneHopReach(rules, ws);
    const b = workloadBlast(ws, ws[0]!, rules, reach, multiHopReach(reach.adj).succ);
    expect(b.oneHop).toEqual([{ id: 'api', name: 'api-host', ports: ['tcp/8080'], rules: ['r1'] }]);
    expect(b.multiHop).toEqual([
      { id: 'api', name: 'api-host', hops: 1, path: ['web-host', 'api-host'] },
      { id: 'db', name: 'db-host', hops: 2, path: ['web-host', 'api-host', 'db-host'] },
    ]);
    expect(b.reachableFrom).toBe(1);
    expect(blastRadius(rules, makeView(ws), { workload: 'web-host' }).workload).toEqual(b);
  });
});

describe('blast radius as enforced', () => {
  const enforced = (state: 'enforced' | 'test' | 'visibility') => [{ application: 'shop', environment: '', state }];

  it('fences only the enforced applications: the others reach each other whatever the rules', () => {
    const r = blastRadius(rules, makeView(ws), { states: enforced('enforced'), workload: 'lone-host' });
    // shop is fenced by its rules; jump and lone, not enforced, reach each other too
    expect(r.oneHop.max).toBe(4);
    expect(r.workload!.oneHop).toEqual([{ id: 'jump', name: 'jump-host', ports: ['any'], rules: [] }]);
    const all = blastRadius(rules, makeView(ws));
    expect(r.reduction.oneHop).toBeLessThan(all.reduction.oneHop);
  });

  it('a policy nothing enforces (test logs, visibility does nothing) cuts nothing', () => {
    for (const state of ['test', 'visibility'] as const) {
      const r = blastRadius(rules, makeView(ws), { states: enforced(state) });
      expect(r.reduction).toEqual({ oneHop: 0, multiHop: 0 });
      expect(r.oneHop.mean).toBe(ws.length - 1);
    }
  });
});
