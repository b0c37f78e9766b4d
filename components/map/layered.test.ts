import { describe, expect, it } from 'vitest';
import { elkGraph, layeredLayout, leafBox } from './layered';
import { computeLayout, leafSize, type LayoutResult } from './layout';
import { polylineCrossesRect, rectAround, type Point, type Rect } from './route-check';
import type { MapView, NodeKind, ViewEdge, ViewNode } from './view';

function node(id: string, kind: NodeKind, parent: string | null, extra: Partial<ViewNode> = {}): ViewNode {
  const group = kind === 'env' || kind === 'app' || kind === 'zone' || kind === 'role';
  return {
    id,
    label: id.slice(id.indexOf(':') + 1),
    title: id,
    kind,
    parent,
    depth: parent ? 2 : 1,
    collapsed: false,
    group,
    workloads: 1,
    zone: kind === 'endpoint' ? 'external' : null,
    env: 'prod',
    app: null,
    role: null,
    appKind: null,
    endpointKind: kind === 'endpoint' ? 'internet' : null,
    enforcement: kind === 'app' ? 'visibility' : null,
    focus: true,
    ...extra,
  };
}

function edge(source: string, target: string): ViewEdge {
  const flags = { coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false };
  return { id: `e:${source}->${target}`, source, target, ports: ['tcp/443'], flows: 1, bytes: 1, failedFlows: 0, members: [], firstSeen: '', lastSeen: '', periodicity: 'once', flags };
}

/**
 * shop (two web servers, an api, a database) and pay (an api) in prod, the internet outside. The
 * grid puts shop's workloads in one row in tier order (web, web, api, db), so web1 -> db runs
 * straight through web2 and the api.
 */
function shopView(): Pick<MapView, 'nodes' | 'edges'> {
  const nodes = [
    node('env:prod', 'env', null),
    node('zone:external', 'zone', null, { zone: 'external' }),
    node('app:shop', 'app', 'env:prod'),
    node('app:pay', 'app', 'env:prod'),
    node('w:web1', 'workload', 'app:shop', { role: 'web', depth: 4 }),
    node('w:web2', 'workload', 'app:shop', { role: 'web', depth: 4 }),
    node('w:api', 'workload', 'app:shop', { role: 'api', depth: 4 }),
    node('w:db', 'workload', 'app:shop', { role: 'db', depth: 4 }),
    node('w:papi', 'workload', 'app:pay', { role: 'api', depth: 4 }),
    node('ep:0.0.0.0/0', 'endpoint', 'zone:external', { depth: 4 }),
  ];
  const edges = [
    edge('ep:0.0.0.0/0', 'w:web1'),
    edge('ep:0.0.0.0/0', 'w:web2'),
    edge('w:web1', 'w:api'),
    edge('w:web2', 'w:api'),
    edge('w:api', 'w:db'),
    edge('w:web1', 'w:db'),
    edge('w:api', 'w:papi'),
    edge('w:papi', 'ep:0.0.0.0/0'),
  ];
  return { nodes, edges };
}

/** Every (line, node) pair where the drawn line passes through a node that is not one of its ends. */
function crossings(view: Pick<MapView, 'nodes' | 'edges'>, layout: LayoutResult, withLabels: boolean) {
  const leaves = view.nodes.filter((n) => layout.positions[n.id]);
  const rects = new Map<string, Rect[]>();
  for (const n of leaves) {
    const p = layout.positions[n.id]!;
    const d = leafSize(n);
    const list = [rectAround(p, d, d, 0.5)];
    if (withLabels) {
      // the label, drawn on the node's right (style.ts `side-label`)
      const b = leafBox(n);
      list.push({ x1: p.x + d / 2, y1: p.y - b.h / 2 + 0.5, x2: p.x - d / 2 + b.w - 0.5, y2: p.y + b.h / 2 - 0.5 });
    }
    rects.set(n.id, list);
  }
  const out: string[] = [];
  for (const e of view.edges) {
    const pts: Point[] = [layout.positions[e.source]!, ...(layout.routes?.[e.id] ?? []), layout.positions[e.target]!];
    for (const n of leaves) {
      if (n.id === e.source || n.id === e.target) continue;
      if (rects.get(n.id)!.some((r) => polylineCrossesRect(pts, r))) out.push(`${e.id} through ${n.id}`);
    }
  }
  return out;
}

describe('layered layout', () => {
  it('a grid draws a line through a node it does not connect', () => {
    const view = shopView();
    expect(crossings(view, computeLayout(view), false)).toContain('e:w:web1->w:db through w:web2');
  });

  it('routes every line around the nodes and labels it does not connect', async () => {
    const view = shopView();
    const layout = await layeredLayout(view);
    for (const e of view.edges) expect(layout.routes, e.id).toHaveProperty([e.id]);
    expect(crossings(view, layout, true)).toEqual([]);
  });

  it('places clients above their servers, the internet above what it calls and below what calls it', async () => {
    const view = shopView();
    const { positions: p } = await layeredLayout(view);
    const y = (id: string) => p[id]!.y;
    expect(y('ep:0.0.0.0/0')).toBeLessThan(y('w:web1'));
    expect(y('w:web1')).toBeLessThan(y('w:api'));
    expect(y('w:api')).toBeLessThan(y('w:db'));
    expect(y('w:api')).toBeLessThan(y('w:papi'));
    // the one line against the flow (pay calls out to the internet) runs back up
    expect(y('w:papi')).toBeGreaterThan(y('ep:0.0.0.0/0'));
  });

  it('keeps groups as boxes around what they hold, and leaves with their labels apart', async () => {
    const view = shopView();
    const layout = await layeredLayout(view);
    const inside = (id: string, box: string) => {
      const b = layout.boxes[box]!;
      const p = layout.positions[id]!;
      return Math.abs(p.x - b.x) < b.w / 2 && Math.abs(p.y - b.y) < b.h / 2;
    };
    for (const id of ['w:web1', 'w:web2', 'w:api', 'w:db']) expect(inside(id, 'app:shop'), id).toBe(true);
    expect(inside('w:papi', 'app:pay')).toBe(true);
    expect(inside('w:papi', 'env:prod')).toBe(true);
    expect(inside('w:papi', 'app:shop')).toBe(false);
    // the external zone is not one box: the internet sits where its lines put it
    expect(layout.boxes['zone:external']).toBeUndefined();
    expect(inside('ep:0.0.0.0/0', 'env:prod')).toBe(false);
    // no leaf's box (node and label) overlaps another's
    const leaves = view.nodes.filter((n) => layout.positions[n.id]);
    const area = (n: ViewNode) => {
      const b = leafBox(n);
      const p = layout.positions[n.id]!;
      return { x1: p.x - b.d / 2, x2: p.x - b.d / 2 + b.w, y1: p.y - b.h / 2, y2: p.y + b.h / 2 };
    };
    for (const a of leaves)
      for (const b of leaves) {
        if (a === b) continue;
        const r = area(a);
        const s = area(b);
        expect(r.x2 <= s.x1 || s.x2 <= r.x1 || r.y2 <= s.y1 || s.y2 <= r.y1, `${a.id} overlaps ${b.id}`).toBe(true);
      }
  });

  it('stacks nodes without lines in columns instead of one long row', async () => {
    const nodes = [node('env:prod', 'env', null), ...Array.from({ length: 16 }, (_, i) => node(`app:a${String(i).padStart(2, '0')}`, 'app', 'env:prod', { collapsed: true, workloads: 3 }))];
    const layout = await layeredLayout({ nodes, edges: [] });
    const ys = new Set(nodes.slice(1).map((n) => Math.round(layout.positions[n.id]!.y)));
    expect(ys.size).toBeGreaterThan(2);
    expect(layout.size.w / layout.size.h).toBeLessThan(4);
    // the stacking edges are the layout's, not lines of the map
    expect(Object.keys(layout.routes ?? {})).toEqual([]);
    expect(elkGraph({ nodes, edges: [] }).children![0]!.edges!.length).toBeGreaterThan(0);
  });
});
