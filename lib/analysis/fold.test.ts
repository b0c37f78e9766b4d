import { describe, expect, it } from 'vitest';
import { foldEdge, startFold, type FoldableEdge } from './fold';

const flags = (f: Partial<FoldableEdge<string>['flags']> = {}) => ({ coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false, ...f });

describe('folding edges', () => {
  it('sums, widens the seen range, keeps the most regular rhythm and any flag', () => {
    const a: FoldableEdge<string> = { protocol: 6, port: 443, flows: 3, bytes: 100, firstSeen: '2026-01-02', lastSeen: '2026-01-03', periodicity: 'weekly', flags: flags({ management: true }) };
    const b: FoldableEdge<string> = { protocol: 1, port: 0, flows: 2, bytes: 50, firstSeen: '2026-01-01', lastSeen: '2026-01-02', periodicity: 'daily', flags: flags({ external: true }) };
    const c: FoldableEdge<string> = { protocol: 6, port: 443, flows: 1, bytes: 1, firstSeen: '2026-01-05', lastSeen: '2026-01-09', periodicity: 'continuous', flags: flags() };
    const f = startFold(a);
    for (const e of [a, b, c]) foldEdge(f, e);
    expect([...f.portSet]).toEqual(['tcp/443', 'icmp']);
    expect(f).toMatchObject({ flows: 6, bytes: 151, edges: 3, firstSeen: '2026-01-01', lastSeen: '2026-01-09', periodicity: 'continuous' });
    expect(f.flags).toEqual(flags({ management: true, external: true }));
  });

  it('folds Date-stamped edges and keeps the earlier rhythm on a tie', () => {
    const e = (day: number, periodicity: FoldableEdge<Date>['periodicity']): FoldableEdge<Date> => ({ protocol: 17, port: 53, flows: 1, bytes: 1, firstSeen: new Date(Date.UTC(2026, 0, day)), lastSeen: new Date(Date.UTC(2026, 0, day + 1)), periodicity, flags: flags() });
    const f = startFold(e(5, 'daily'));
    foldEdge(f, e(5, 'daily'));
    foldEdge(f, e(3, 'monthly'));
    expect(f.firstSeen).toEqual(new Date(Date.UTC(2026, 0, 3)));
    expect(f.lastSeen).toEqual(new Date(Date.UTC(2026, 0, 6)));
    expect(f.periodicity).toBe('daily');
    expect([...f.portSet]).toEqual(['udp/53']);
  });
});
