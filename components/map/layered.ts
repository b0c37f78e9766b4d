// The map's layered layout: clients above the servers they call, with every line routed around
// the nodes it does not connect. A grid (./layout.ts) draws a line from orders to payments straight
// through fraud when fraud sits between them, and that reads as orders -> fraud -> payments;
// ELK's layered algorithm (elkjs, the Eclipse Layout Kernel compiled to JavaScript) puts each
// node in a layer below its clients, gives long lines their own slots in the layers they cross
// and routes them orthogonally in the channels between layers, so a line touches only its ends.
// The nesting (environment > application > role) is laid out with the graph (hierarchy handling
// "include children"), so environments, shared services and external networks stay boxes and the
// lines between them go around boxes they do not belong to.
//
// Pure: positions and routes out of a function of the view, no DOM; the canvas only draws them.
// ELK is about linear in practice but with a large constant (the demo's workload level, some 300
// nodes and 900 lines, takes under a second here): views beyond LAYERED_LIMIT fall back to the grid.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { computeLayout, leafSize, type LayoutResult } from './layout';
import type { MapView, ViewNode } from './view';

/** Views with more nodes or lines than this are laid out on the grid (./layout.ts). */
export const LAYERED_LIMIT = { nodes: 800, edges: 1200 } as const;

/** Room inside the top of an open group for its title (drawn inside the box, see style.ts). */
export const TITLE_ROOM: Record<string, number> = { env: 44, zone: 44, app: 26, role: 18 };

/** Font size of a leaf's label on the canvas (style.ts uses the same). */
export const labelFont = (n: Pick<ViewNode, 'collapsed' | 'kind'>) => (n.collapsed ? 18 : n.kind === 'endpoint' ? 14 : 10);
/** Widest label drawn before it is cut with an ellipsis (style.ts `text-max-width`). */
export const labelMax = (n: Pick<ViewNode, 'collapsed' | 'kind'>) => (n.collapsed ? 230 : 124);
/** Gap between a leaf and its label, which is drawn on its right. */
export const LABEL_GAP = 5;

/**
 * The box ELK places for a leaf: the node on the left, its label on its right. The label is part
 * of the box so that no other node or line is placed over it.
 */
export function leafBox(n: ViewNode): { w: number; h: number; d: number } {
  const d = leafSize(n);
  const font = labelFont(n);
  // an upper bound on the text's width in a sans-serif font: ~0.62 em per character
  const text = Math.min(labelMax(n), Math.ceil(n.label.length * font * 0.62));
  return { w: d + LABEL_GAP + text, h: Math.max(d, Math.ceil(font * 1.4)), d };
}

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '24',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.edgeNode': '14',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.spacing.edgeEdge': '6',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '6',
  'elk.spacing.componentComponent': '40',
  'elk.separateConnectedComponents': 'true',
  'elk.aspectRatio': '1.6',
  'elk.layered.thoroughness': '1',
  // the greedy switch pass after crossing minimisation took half the time on the demo's
  // workload level (2.4 s against 1.3 s without) for few fewer crossings
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.layered.crossingMinimization.greedySwitchHierarchical.type': 'OFF',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
};

const boxOptions = (n: ViewNode): Record<string, string> => ({
  'elk.padding': `[top=${TITLE_ROOM[n.kind] ?? 20},left=14,bottom=14,right=14]`,
});

// Lines leave a node at the middle of its bottom and enter at the middle of its top, both at the
// node (not its label), so the first and last stretch of a line never crosses its own label.
const portOptions = { 'elk.portConstraints': 'FIXED_POS' };

/**
 * Networks, addresses and the internet are laid out loose, each in the layer its lines give it:
 * the internet as a client above the applications it calls, as a server below those calling it.
 * In one box they would sit on one side and every line going the other way would run around the
 * whole drawing.
 */
const LOOSE_ZONE = 'zone:external';

/** Isolated siblings (no line in their subtree) stacked in columns this many high, for about this shape. */
const ISOLATED_ASPECT = 0.6;

/** The ELK graph of a view (exported for tests and benchmarks). */
export function elkGraph(view: Pick<MapView, 'nodes' | 'edges'>): ElkNode {
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const open = (n: ViewNode) => n.group && !n.collapsed;
  const elk = new Map<string, ElkNode>();
  const root: ElkNode = { id: '__root', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  const parentOf = (n: ViewNode) => (n.parent === LOOSE_ZONE ? null : n.parent);
  // view.nodes come parents first (view.ts sortNodes)
  for (const n of view.nodes) {
    if (n.id === LOOSE_ZONE && open(n)) continue;
    const p = parentOf(n);
    const parent = (p && elk.get(p)) || root;
    let e: ElkNode;
    if (open(n)) e = { id: n.id, layoutOptions: boxOptions(n), children: [], edges: [] };
    else {
      const b = leafBox(n);
      e = {
        id: n.id,
        width: b.w,
        height: b.h,
        layoutOptions: portOptions,
        ports: [
          { id: `${n.id}\u0000in`, x: b.d / 2, y: 0, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'NORTH' } },
          { id: `${n.id}\u0000out`, x: b.d / 2, y: b.h, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'SOUTH' } },
        ],
      };
    }
    elk.set(n.id, e);
    parent.children!.push(e);
  }
  // Each line belongs to the innermost group holding both its ends.
  const chain = (id: string) => {
    const out: string[] = [];
    for (let n = byId.get(id), p = n && parentOf(n); p; n = byId.get(p), p = n && parentOf(n)) out.push(p);
    return out;
  };
  const linked = new Set<string>();
  for (const e of view.edges) {
    if (!elk.has(e.source) || !elk.has(e.target)) continue;
    const up = chain(e.source);
    const down = chain(e.target);
    const common = down.find((p) => up.includes(p));
    // the line crosses the borders of its ends' groups below the one holding it
    const below = (c: string[]) => (common ? c.slice(0, c.indexOf(common)) : c);
    for (const id of [e.source, e.target, ...below(up), ...below(down)]) linked.add(id);
    const container = (common && elk.get(common)) || root;
    container.edges!.push({ id: e.id, sources: [`${e.source}\u0000out`], targets: [`${e.target}\u0000in`] });
  }
  // A layered layout puts everything without lines in one layer: one long row of applications
  // that call nobody. Stack such siblings in columns (edges that are laid out, not drawn) so
  // the drawing keeps a screen's proportions.
  const stack = (g: ElkNode) => {
    const alone = (g.children ?? []).filter((c) => !linked.has(c.id));
    // a group is stacked through a leaf inside it: ELK layers leaves, not boxes
    const end = (c: ElkNode, side: 'in' | 'out'): string => (c.children?.length ? end(c.children[side === 'in' ? 0 : c.children.length - 1]!, side) : `${c.id}\u0000${side}`);
    const rows = Math.max(1, Math.ceil(Math.sqrt(alone.length / ISOLATED_ASPECT)));
    for (let i = 0; i < alone.length; i++) {
      if (i % rows === rows - 1 || i === alone.length - 1) continue;
      const a = alone[i]!;
      const b = alone[i + 1]!;
      g.edges!.push({ id: `${STACK}${a.id}`, sources: [end(a, 'out')], targets: [end(b, 'in')] });
    }
    for (const c of g.children ?? []) if (c.children) stack(c);
  };
  stack(root);
  return root;
}

/** Prefix of the ids of the edges that only stack isolated nodes (not lines of the map). */
const STACK = '\u0000stack:';

/** What lays an ELK graph out: ELK on this thread by default, in a Web Worker on the page (./elk-engine.ts). */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

let local: Promise<LayoutEngine> | null = null;
// loaded when first needed: the page runs ELK in a worker and need not carry it in its bundle
const localEngine = () => (local ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK()));

/** Positions of the view's leaves, boxes of its open groups and the route of every line. */
export async function layeredLayout(view: Pick<MapView, 'nodes' | 'edges'>, engine?: LayoutEngine): Promise<LayoutResult> {
  const elk = engine ?? (await localEngine());
  const done = await elk.layout(elkGraph(view));
  const out: LayoutResult = { positions: {}, boxes: {}, routes: {}, size: { w: done.width ?? 0, h: done.height ?? 0 } };
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const walk = (g: ElkNode) => {
    for (const c of g.children ?? []) {
      const n = byId.get(c.id)!;
      const x = c.x ?? 0;
      const y = c.y ?? 0;
      if (c.children) {
        out.boxes[c.id] = { x: x + (c.width ?? 0) / 2, y: y + (c.height ?? 0) / 2, w: c.width ?? 0, h: c.height ?? 0 };
        walk(c);
      } else {
        const b = leafBox(n);
        out.positions[c.id] = { x: x + b.d / 2, y: y + b.h / 2 };
      }
    }
    for (const e of g.edges ?? []) {
      if (e.id.startsWith(STACK)) continue;
      const pts: Array<{ x: number; y: number }> = [];
      for (const s of (e as ElkExtendedEdge).sections ?? []) pts.push(...(s.bendPoints ?? []));
      out.routes![e.id] = pts;
    }
  };
  walk(done);
  return out;
}

/** The layered layout where it is affordable, the grid beyond (see LAYERED_LIMIT). */
export async function mapLayout(view: MapView, aspect: number, engine?: LayoutEngine): Promise<LayoutResult> {
  if (view.nodes.length > LAYERED_LIMIT.nodes || view.edges.length > LAYERED_LIMIT.edges) return computeLayout(view, aspect);
  return layeredLayout(view, engine);
}
