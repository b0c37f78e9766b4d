// Names that stay: an application discovery named after a member keeps the name it was saved
// under when most of its members bore it, a split application keeps it on its larger part, a
// name is kept once, and previous names never move a workload. Without history the anchor is the
// member with the most distinct peers, so traffic volume alone does not rename.
import { describe, expect, it } from 'vitest';
import { assignApplications, type AppNode } from './applications';
import { communities, type Grouping } from './cluster';
import type { EnvValue } from './environments';
import { keepPreviousNames } from './previous-names';
import type { AnalysisEdge } from './types';

const NONE: EnvValue = { env: null, source: 'inferred', confidence: 0 };
const host = (id: string) => `host-${id}`;
const prev = (entries: Record<string, string>) => new Map(Object.entries(entries));

function edge(from: string, to: string, port: number, activeHours = 300): AnalysisEdge {
  const t = new Date(0);
  return {
    from, to, protocol: 6, port, flows: activeHours, bytes: 1, packets: 1, bytesToServer: 1, bytesToClient: 1, firstSeen: t, lastSeen: t, activeHours, activeDays: 14,
    periodicity: 'continuous', flags: { coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false }, service: null, failedFlows: 0,
    fromScanner: false, fromNetwork: null,
  };
}

const node = (id: string): AppNode => ({ id, name: host(id), label: null, labelDecided: false, stem: null, env: NONE });

/** each group a star around its first member (web calls every other member), no edges between groups */
function stars(groups: string[][]) {
  const nodes = groups.flat().map(node);
  const edges = groups.flatMap(([hub, ...rest]) => rest.map((m) => edge(hub!, m, 8080)));
  return { nodes, edges };
}

function names(nodes: AppNode[], edges: AnalysisEdge[], previous = new Map<string, string>()) {
  const r = assignApplications(nodes, communities(nodes, edges, 1), new Map(), previous);
  return { name: (id: string) => r.byNode.get(id)!.name, r };
}

describe('keepPreviousNames', () => {
  it('keeps a name a strict majority of the members bore, not one a minority or half bore', () => {
    const groups = [{ members: ['a', 'b', 'c'] }, { members: ['d', 'e', 'f', 'g'] }];
    const kept = keepPreviousNames(groups, prev({ a: 'app-x', b: 'app-x', d: 'app-y', e: 'app-y', f: 'app-z' }), new Set(), host);
    expect(kept).toEqual(['app-x', null]);
  });

  it('gives a name once, to the group with most bearers; each group keeps one name', () => {
    const groups = [{ members: ['a', 'b', 'c'] }, { members: ['d', 'e', 'f', 'g', 'h'] }];
    const kept = keepPreviousNames(groups, prev({ a: 'app-x', b: 'app-x', d: 'app-x', e: 'app-x', f: 'app-x' }), new Set(), host);
    expect(kept).toEqual([null, 'app-x']);
    // the smaller group's other name is still free to keep
    const both = keepPreviousNames(groups, prev({ a: 'app-x', b: 'app-w', c: 'app-w', d: 'app-x', e: 'app-x', f: 'app-x' }), new Set(), host);
    expect(both).toEqual(['app-w', 'app-x']);
  });

  it('breaks a tie in bearers by the larger share, then by hostname, never by input order', () => {
    const a = [{ members: ['a', 'b'] }, { members: ['c', 'd', 'e'] }];
    const p = prev({ a: 'app-x', b: 'app-x', c: 'app-x', d: 'app-x' });
    expect(keepPreviousNames(a, p, new Set(), host)).toEqual(['app-x', null]);
    expect(keepPreviousNames([...a].reverse(), p, new Set(), host)).toEqual([null, 'app-x']);
    const even = [{ members: ['m', 'n'] }, { members: ['k', 'l'] }];
    const q = prev({ m: 'app-x', n: 'app-x', k: 'app-x', l: 'app-x' });
    expect(keepPreviousNames(even, q, new Set(), host)).toEqual([null, 'app-x']);
    expect(keepPreviousNames([...even].reverse(), q, new Set(), host)).toEqual(['app-x', null]);
  });

  it('gives a name the group it is its own anyway before others with as many bearers (members that joined it later)', () => {
    // a hypervisor joined the application anchored by "lnx" after it was named, so it bore the
    // name too; alone in its own group now, with a hostname that sorts first, it must not take it
    const groups = [{ members: ['esx'], name: 'app-esx' }, { members: ['lnx'], name: 'app-lnx' }];
    const p = prev({ esx: 'app-lnx', lnx: 'app-lnx' });
    expect(keepPreviousNames(groups, p, new Set(), host)).toEqual([null, 'app-lnx']);
    expect(keepPreviousNames([...groups].reverse(), p, new Set(), host)).toEqual(['app-lnx', null]);
    // more bearers still win: a split application keeps its name on its larger part
    const split = [{ members: ['a', 'b', 'c'], name: 'app-a' }, { members: ['x'], name: 'app-x' }];
    expect(keepPreviousNames(split, prev({ a: 'app-x', b: 'app-x', c: 'app-x', x: 'app-x' }), new Set(), host)).toEqual(['app-x', null]);
  });

  it('does not keep a name that labels or hostnames give to an application of this analysis', () => {
    expect(keepPreviousNames([{ members: ['a', 'b'] }], prev({ a: 'orders', b: 'orders' }), new Set(['orders']), host)).toEqual([null]);
  });
});

describe('application names across analyses', () => {
  it('keeps an application\'s previous name instead of its anchor, and never moves a workload for it', () => {
    const { nodes, edges } = stars([['a1', 'a2', 'a3'], ['b1', 'b2', 'b3', 'b4']]);
    const fresh = names(nodes, edges);
    expect(fresh.name('a2')).toBe('app-host-a1');
    expect(fresh.name('b3')).toBe('app-host-b1');
    // an earlier analysis named them otherwise; one stray suggestion sits in the other application
    const previous = prev({ a1: 'app-host-a2', a2: 'app-host-a2', b1: 'app-old', b2: 'app-old', b4: 'app-old', a3: 'app-old' });
    const again = names(nodes, edges, previous);
    expect(['a1', 'a2', 'a3'].map(again.name)).toEqual(['app-host-a2', 'app-host-a2', 'app-host-a2']);
    expect(['b1', 'b2', 'b3', 'b4'].map(again.name)).toEqual(['app-old', 'app-old', 'app-old', 'app-old']);
    expect(again.r.applications.find((a) => a.id === 'app-old')!.evidence.join('\n')).toMatch(/keeps the name discovery gave it before \(3 of 4 members bore it\)/);
    // structure decided the members: the same groups as without history
    const groups = (n: (id: string) => string) => nodes.map((x) => nodes.filter((y) => n(y.id) === n(x.id)).map((y) => y.id).join());
    expect(groups(again.name)).toEqual(groups(fresh.name));
  });

  it('keeps the name of a split application on its larger part; the other is named afresh', () => {
    const { nodes, edges } = stars([['a1', 'a2', 'a3', 'a4', 'a5'], ['b1', 'b2', 'b3']]);
    const previous = new Map(nodes.map((n) => [n.id, 'app-whole']));
    const { name } = names(nodes, edges, previous);
    expect(['a1', 'a3', 'a5'].map(name)).toEqual(['app-whole', 'app-whole', 'app-whole']);
    expect(['b1', 'b2', 'b3'].map(name)).toEqual(['app-host-b1', 'app-host-b1', 'app-host-b1']);
  });

  it('lets a kept name win a collision with a new anchor name; the newcomer gets a free suffix', () => {
    const { nodes, edges } = stars([['a1', 'a2', 'a3'], ['b1', 'b2', 'b3'], ['c1', 'c2', 'c3']]);
    // the a-application was saved as app-host-b1 (b1 was its anchor then), and c as app-host-b1-2
    const previous = prev({ a1: 'app-host-b1', a2: 'app-host-b1', a3: 'app-host-b1', c1: 'app-host-b1-2', c2: 'app-host-b1-2' });
    const { name } = names(nodes, edges, previous);
    expect(name('a2')).toBe('app-host-b1');
    expect(name('c2')).toBe('app-host-b1-2');
    expect(name('b2')).toBe('app-host-b1-3');
  });

  it('names an application after the member with the most distinct peers, whatever the traffic volume', () => {
    // one community as structure gave it: a1 calls a2, a3, a4 now and then; a2 reads a busy
    // database a5 all the time: a2 carries the most traffic, a1 has the most peers
    const grouping = (links: Array<[string, string, number]>): Grouping => {
      const adjacency = new Map<string, Map<string, number>>();
      for (const [a, b, w] of links) {
        for (const [x, y] of [[a, b], [b, a]] as const) adjacency.set(x, (adjacency.get(x) ?? new Map<string, number>()).set(y, w));
      }
      return { community: new Map([...adjacency.keys()].map((id) => [id, 0])), adjacency, declined: new Map() };
    };
    const name = (links: Array<[string, string, number]>) => {
      const g = grouping(links);
      return assignApplications([...g.adjacency.keys()].map(node), g).byNode.get('a2')!.name;
    };
    expect(name([['a1', 'a2', 1], ['a1', 'a3', 1], ['a1', 'a4', 1], ['a2', 'a5', 50]])).toBe('app-host-a1');
    // members with as many peers: the hostname decides, an hour more or less of traffic does not
    for (const n of [0, 1, -1]) expect(name([['a1', 'a2', 10 + n], ['a2', 'a3', 10 - n], ['a3', 'a1', 10]])).toBe('app-host-a1');
    for (const n of [0, 1, -1]) expect(name([['a3', 'a2', 10 + n], ['a2', 'a4', 10 - n], ['a4', 'a3', 10]])).toBe('app-host-a2');
  });
});
