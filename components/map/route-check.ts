// Geometry of drawn lines against node boxes: where a line passes through a node it does not
// connect, a reader takes it for a hop through that node. The layout's tests (layered.test.ts,
// e2e/map.spec.ts) check every route with it.

export interface Point {
  x: number;
  y: number;
}

/** An axis-aligned box by its corners. */
export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A box of the given centre and size, shrunk by `inset` on every side. */
export function rectAround(c: Point, w: number, h: number, inset = 0): Rect {
  return { x1: c.x - w / 2 + inset, y1: c.y - h / 2 + inset, x2: c.x + w / 2 - inset, y2: c.y + h / 2 - inset };
}

/** Whether the segment a-b passes through the inside of the box (Liang-Barsky clipping). */
export function segmentCrossesRect(a: Point, b: Point, r: Rect): boolean {
  if (r.x2 <= r.x1 || r.y2 <= r.y1) return false;
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const clip = (p: number, q: number) => {
    if (p === 0) return q > 0;
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
    return true;
  };
  // strict inside: a segment along the border does not count
  if (!clip(-dx, a.x - r.x1) || !clip(dx, r.x2 - a.x) || !clip(-dy, a.y - r.y1) || !clip(dy, r.y2 - a.y)) return false;
  return t1 - t0 > 1e-9;
}

/** Whether a line drawn through these points passes through the box. */
export function polylineCrossesRect(points: Point[], r: Rect): boolean {
  for (let i = 1; i < points.length; i++) if (segmentCrossesRect(points[i - 1]!, points[i]!, r)) return true;
  return false;
}
