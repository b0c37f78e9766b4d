// The grid layout: the map's layout for views too big for the layered one (./layered.ts,
// LAYERED_LIMIT), where lines are straight and may cross nodes. Positions computed here rather
// than by a force-directed layout: force layouts
// take seconds to minutes on thousands of nodes (measured on 5,000 nodes: fcose's draft pass
// about 2.2 s, cose did not finish; docs/ui.md) and move everything when one application expands. This one is linear
// in the number of nodes and keeps the picture people learn:
//   - applications are islands: roles left to right in tier order (clients, web, api, workers,
//     queues, caches, databases), the workloads of a role stacked in columns;
//   - applications are packed in rows inside their environment, largest first;
//   - external networks on the left, environments in the middle, shared services and
//     management apart on the right.
// Leaves get positions; expanded groups get boxes, drawn as plain nodes behind their content
// rather than as Cytoscape compound nodes: with compound nodes Cytoscape re-derives the style
// caches of every descendant and ancestor for each style property it applies, which took close to
// a minute for 8,000 nodes in Chromium here (docs/ui.md); boxes from this layout cost nothing.
import { roleRank, type MapView, type ViewNode } from './view';

export interface Box {
  w: number;
  h: number;
}

export interface LayoutResult {
  /** centre of each leaf (a workload, endpoint or collapsed group) */
  positions: Record<string, { x: number; y: number }>;
  /** centre and size of each expanded group's box (its title is drawn above it) */
  boxes: Record<string, { x: number; y: number; w: number; h: number }>;
  /** size of the whole drawing */
  size: Box;
  /**
   * bend points of each line, by edge id, when the layout routes lines (./layered.ts); a line
   * without an entry is drawn straight between its ends
   */
  routes?: Record<string, Array<{ x: number; y: number }>>;
}

/** Sizes in model units (Cytoscape pixels at zoom 1), shared with the stylesheet. */
export const SIZES = {
  workload: 22,
  endpoint: 26,
  /** a leaf's cell: the node and its label below it */
  cellW: 132,
  cellH: 54,
  /** padding of a compound node (style `padding`) */
  pad: 14,
  /** room above a group for its label (drawn outside the box) */
  title: 38,
  gap: 22,
  /** workloads stacked in one column of a role before the next column starts */
  rowsPerColumn: 8,
} as const;

/** Diameter of a collapsed group: grows with the square root of the workloads behind it. */
export function collapsedSize(n: ViewNode): number {
  const base = n.kind === 'role' ? 24 : n.kind === 'app' ? 26 : 44;
  return Math.round(base + 5 * Math.sqrt(Math.max(1, n.workloads)));
}

export function leafSize(n: ViewNode): number {
  if (n.collapsed) return collapsedSize(n);
  return n.kind === 'endpoint' ? SIZES.endpoint : SIZES.workload;
}

const TOP_ORDER = (n: ViewNode) => (n.id === 'zone:external' ? 0 : n.kind === 'env' ? 1 : n.id === 'zone:core' ? 2 : n.id === 'zone:management' ? 3 : 4);
const ENV_RANK: Record<string, number> = { prod: 0, production: 0, staging: 1, stage: 1, test: 2, qa: 2, dev: 3, development: 3 };

type Out = Pick<LayoutResult, 'positions' | 'boxes'>;

interface Placed {
  node: ViewNode;
  box: Box;
  /** places the subtree with its box's top-left corner at (x, y) */
  place(x: number, y: number, out: Out): void;
}

/** `aspect`: width / height of the canvas the drawing should fill. */
export function computeLayout(view: Pick<MapView, 'nodes'>, aspect = 16 / 10): LayoutResult {
  const children = new Map<string | null, ViewNode[]>();
  for (const n of view.nodes) {
    const list = children.get(n.parent);
    if (list) list.push(n);
    else children.set(n.parent, [n]);
  }
  const measure = (n: ViewNode): Placed => {
    const kids = children.get(n.id);
    if (!n.group || n.collapsed || !kids?.length) return leaf(n);
    const placed = kids.map(measure);
    if (n.kind === 'role') return stackColumns(n, placed);
    if (n.kind === 'app') return row(n, placed.sort((a, b) => roleRank(a.node.role ?? a.node.label) - roleRank(b.node.role ?? b.node.label) || a.node.label.localeCompare(b.node.label)));
    if (n.kind === 'zone' && n.zone === 'external') return stackColumns(n, placed.sort((a, b) => a.node.label.localeCompare(b.node.label)));
    return shelf(n, placed.sort((a, b) => b.box.h - a.box.h || b.box.w - a.box.w || a.node.label.localeCompare(b.node.label)));
  };
  const top = (children.get(null) ?? []).map(measure);
  top.sort((a, b) => TOP_ORDER(a.node) - TOP_ORDER(b.node) || (ENV_RANK[a.node.label] ?? 9) - (ENV_RANK[b.node.label] ?? 9) || a.node.label.localeCompare(b.node.label));
  const out: Out = { positions: {}, boxes: {} };
  // External networks in a column on the left; environments, then shared services and
  // management, packed in rows to the right of it in about a screen's proportions.
  const external = top.filter((p) => p.node.id === 'zone:external');
  const rest = top.filter((p) => p.node.id !== 'zone:external');
  let x = 0;
  let h = 0;
  for (const p of external) {
    p.place(0, 0, out);
    x = p.box.w + SIZES.gap * 2;
    h = p.box.h;
  }
  if (rest.length) {
    const packed = packRows(rest, aspect, SIZES.gap * 2);
    packed.place(x, 0, out);
    x += packed.w;
    h = Math.max(h, packed.h);
  }
  return { ...out, size: { w: x, h } };
}

/**
 * Boxes in rows, in the given order, with the row width that lets the result fill a frame of
 * the given aspect (width / height) best: every prefix width is tried (boxes are few: tens to a
 * few hundred per group).
 */
function packRows(kids: Placed[], aspect: number, gap: number) {
  const fill = (target: number) => {
    const rows: Array<{ items: Placed[]; w: number; h: number }> = [];
    let cur: { items: Placed[]; w: number; h: number } | null = null;
    for (const k of kids) {
      if (!cur || (cur.items.length && cur.w + gap + k.box.w > target)) {
        cur = { items: [], w: 0, h: 0 };
        rows.push(cur);
      }
      cur.w += (cur.items.length ? gap : 0) + k.box.w;
      cur.h = Math.max(cur.h, k.box.h);
      cur.items.push(k);
    }
    return { rows, w: Math.max(...rows.map((r) => r.w)), h: rows.reduce((s, r) => s + r.h, 0) + gap * (rows.length - 1) };
  };
  const candidates = new Set<number>();
  let run = 0;
  for (const k of kids) {
    run += (run ? gap : 0) + k.box.w;
    candidates.add(run);
  }
  // With many boxes, every fourth prefix is enough to find a good width.
  const list = [...candidates];
  const step = list.length > 400 ? Math.ceil(list.length / 400) : 1;
  let best: ReturnType<typeof fill> | null = null;
  let bestScale = -1;
  for (let i = 0; i < list.length; i += step) {
    const p = fill(list[i]!);
    // the scale at which the packing fits a frame of this aspect: bigger is better
    const scale = Math.min(aspect / p.w, 1 / p.h);
    if (scale > bestScale) {
      bestScale = scale;
      best = p;
    }
  }
  const packed = best ?? fill(Infinity);
  return {
    w: packed.w,
    h: packed.h,
    place(x: number, y: number, out: Out) {
      let cy = y;
      for (const r of packed.rows) {
        let cx = x;
        for (const k of r.items) {
          k.place(cx, cy, out);
          cx += k.box.w + gap;
        }
        cy += r.h + gap;
      }
    },
  };
}

function leaf(n: ViewNode): Placed {
  const d = leafSize(n);
  // collapsed groups carry a bigger label (style.ts) and get a wider cell for it
  const w = Math.max(n.collapsed ? SIZES.cellW + 96 : n.kind === 'endpoint' ? SIZES.cellW + 48 : SIZES.cellW, d + 24);
  const h = d + (n.collapsed ? 44 : 32);
  return {
    node: n,
    box: { w, h },
    place(x, y, out) {
      out.positions[n.id] = { x: x + w / 2, y: y + d / 2 + 4 };
    },
  };
}

/** A group's box around content of the given size (padding, and its title above). */
function framed(content: Box): { box: Box; ox: number; oy: number } {
  return { box: { w: content.w + 2 * SIZES.pad, h: content.h + 2 * SIZES.pad + SIZES.title }, ox: SIZES.pad, oy: SIZES.pad + SIZES.title };
}

/** Record a framed group's drawn box: below its title, around its content. */
function drawBox(out: Out, n: ViewNode, x: number, y: number, box: Box) {
  const h = box.h - SIZES.title;
  out.boxes[n.id] = { x: x + box.w / 2, y: y + SIZES.title + h / 2, w: box.w, h };
}

/** Children in columns of at most rowsPerColumn, top to bottom then left to right. */
function stackColumns(n: ViewNode, kids: Placed[]): Placed {
  const rows = Math.min(kids.length, SIZES.rowsPerColumn);
  const cols: Placed[][] = [];
  for (let i = 0; i < kids.length; i += rows) cols.push(kids.slice(i, i + rows));
  const colW = cols.map((c) => Math.max(...c.map((k) => k.box.w)));
  const colH = cols.map((c) => c.reduce((s, k) => s + k.box.h, 0));
  const f = framed({ w: colW.reduce((a, b) => a + b, 0), h: Math.max(...colH) });
  return {
    node: n,
    box: f.box,
    place(x, y, out) {
      drawBox(out, n, x, y, f.box);
      let cx = x + f.ox;
      cols.forEach((c, i) => {
        let cy = y + f.oy;
        for (const k of c) {
          k.place(cx + (colW[i]! - k.box.w) / 2, cy, out);
          cy += k.box.h;
        }
        cx += colW[i]!;
      });
    },
  };
}

/** Children side by side, tops aligned (roles in tier order inside an application). */
function row(n: ViewNode, kids: Placed[]): Placed {
  const gap = SIZES.gap / 2;
  const w = kids.reduce((s, k) => s + k.box.w, 0) + gap * (kids.length - 1);
  const f = framed({ w, h: Math.max(...kids.map((k) => k.box.h)) });
  return {
    node: n,
    box: f.box,
    place(x, y, out) {
      drawBox(out, n, x, y, f.box);
      let cx = x + f.ox;
      for (const k of kids) {
        k.place(cx, y + f.oy, out);
        cx += k.box.w + gap;
      }
    },
  };
}

/** Children packed in rows, about 4:3 (shelf packing, largest first). */
function shelf(n: ViewNode, kids: Placed[]): Placed {
  const packed = packRows(kids, 4 / 3, SIZES.gap);
  const f = framed({ w: packed.w, h: packed.h });
  return {
    node: n,
    box: f.box,
    place(x, y, out) {
      drawBox(out, n, x, y, f.box);
      packed.place(x + f.ox, y + f.oy, out);
    },
  };
}
