// The map's drawing in a real browser, on the demo estate: every line as drawn (its end points and
// the bend points of its route, read from the page's Cytoscape instance, `window.__bulkheadMap`)
// stays clear of every node it does not connect, boxes of groups included except those holding its
// ends; labels are not covered by other nodes; selecting a node or a line highlights it with its
// neighbours and dims the rest; the side panels never cover the map's zoom buttons.
import { expect, test, type Page } from '@playwright/test';
import type { Core } from 'cytoscape';
import { polylineCrossesRect, type Point, type Rect } from '../components/map/route-check';
import { cli } from './accounts';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1600, height: 1000 } });

test.beforeAll(() => {
  // alone, this spec loads the demo; in a full run ui.spec.ts has loaded it already
  const r = cli(['demo', '--json']);
  if (r.code !== 0) expect(r.err + r.out).toMatch(/already loaded/);
});

interface Drawn {
  edges: Array<{ id: string; source: string; target: string; points: Point[]; routed: boolean }>;
  nodes: Array<{ id: string; up: string | null; box: boolean; body: Rect; label: Rect | null }>;
  ms: number;
}

async function openMap(page: Page, query: string) {
  const t = Date.now();
  await page.goto(`/map${query}`);
  const canvas = page.getByTestId('map-canvas');
  await expect(canvas).toHaveAttribute('data-painted', 'true', { timeout: 120_000 });
  return Date.now() - t;
}

/** What the canvas draws, in model coordinates. */
async function drawn(page: Page): Promise<Omit<Drawn, 'ms'>> {
  return page.evaluate(() => {
    const cy = (window as unknown as { __bulkheadMap: Core }).__bulkheadMap;
    const rect = (b: { x1: number; y1: number; x2: number; y2: number }) => ({ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });
    return {
      edges: cy.edges().map((e) => ({
        id: e.id(),
        source: e.source().id(),
        target: e.target().id(),
        points: [e.sourceEndpoint(), ...((e.segmentPoints() as Point[] | undefined) ?? []), e.targetEndpoint()],
        routed: e.hasClass('routed'),
      })),
      nodes: cy.nodes().map((n) => {
        const box = n.hasClass('box');
        const label = n.data('label') && !box ? rect(n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false } as never)) : null;
        return { id: n.id(), up: (n.data('up') as string | undefined) ?? null, box, body: rect(n.boundingBox({ includeLabels: false, includeOverlays: false } as never)), label };
      }),
    };
  });
}

const shrink = (r: Rect, by: number): Rect => ({ x1: r.x1 + by, y1: r.y1 + by, x2: r.x2 - by, y2: r.y2 - by });
const overlap = (a: Rect, b: Rect) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** Lines through nodes or group boxes they do not connect or belong to. */
function crossings(d: Omit<Drawn, 'ms'>): string[] {
  const byId = new Map(d.nodes.map((n) => [n.id, n]));
  const holders = (id: string) => {
    const out = new Set<string>();
    for (let n = byId.get(id); n?.up; n = byId.get(n.up)) out.add(n.up);
    return out;
  };
  const out: string[] = [];
  for (const e of d.edges) {
    const skip = new Set([e.source, e.target, ...holders(e.source), ...holders(e.target)]);
    for (const n of d.nodes) {
      if (skip.has(n.id)) continue;
      // a box's border drawn on its edge: a line may run along it, not through the box
      if (polylineCrossesRect(e.points, shrink(n.body, n.box ? 3 : 1))) out.push(`${e.id} passes through ${n.id}`);
    }
  }
  return out;
}

/** Labels with another node drawn over them. */
function coveredLabels(d: Omit<Drawn, 'ms'>): string[] {
  const leaves = d.nodes.filter((n) => !n.box);
  const out: string[] = [];
  for (const n of leaves) {
    if (!n.label) continue;
    for (const m of leaves) if (m !== n && overlap(shrink(n.label, 1), m.body)) out.push(`${n.id}'s label under ${m.id}`);
  }
  return out;
}

for (const [level, query] of [
  ['application', ''],
  ['workload', '?level=workload'],
] as const) {
  test(`the ${level} level: lines go around the nodes they do not connect, labels are not covered`, async ({ page }) => {
    test.setTimeout(240_000);
    const ms = await openMap(page, query);
    const d = await drawn(page);
    const layout = await page.evaluate(() => performance.getEntriesByName('bulkhead:map-layout').map((m) => (m as PerformanceMark).detail as { ms: number; nodes: number; edges: number; routed: boolean }));
    console.log(`map at ${level} level: ${d.nodes.length} nodes, ${d.edges.length} lines, painted ${ms} ms after navigation; layouts: ${JSON.stringify(layout)}`);
    expect(layout.at(-1)?.routed).toBe(true);
    expect(d.edges.length).toBeGreaterThan(20);
    // drawn along the layout's routes (the layered layout), not straight across
    expect(d.edges.filter((e) => e.routed).length).toBeGreaterThan(d.edges.length / 4);
    expect(crossings(d)).toEqual([]);
    expect(coveredLabels(d)).toEqual([]);
  });
}

test('selecting a node highlights its lines and neighbours and dims the rest; selecting a line, its two ends', async ({ page }) => {
  test.setTimeout(180_000);
  await openMap(page, '?level=workload');
  // the node with the most lines, clicked where it is drawn
  const target = await page.evaluate(() => {
    const cy = (window as unknown as { __bulkheadMap: Core }).__bulkheadMap;
    const n = cy
      .nodes('.leaf, .collapsed')
      .sort((a, b) => b.connectedEdges().length - a.connectedEdges().length)
      .first() as unknown as cytoscape.NodeSingular;
    cy.center(n);
    const p = n.renderedPosition();
    return { id: n.id(), x: p.x, y: p.y };
  });
  const box = (await page.getByTestId('map-canvas').boundingBox())!;
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await expect(page).toHaveURL(new RegExp(`sel=${encodeURIComponent(target.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const classes = () =>
    page.evaluate((id) => {
      const cy = (window as unknown as { __bulkheadMap: Core }).__bulkheadMap;
      const sel = cy.getElementById(id);
      const mine = sel.connectedEdges();
      const near = mine.connectedNodes();
      const other = (c: cytoscape.Collection) => c.filter((x) => !x.hasClass('box'));
      return {
        lines: mine.length,
        linesLit: mine.filter('.hl').length,
        linesWider: mine.filter((e) => parseFloat(e.style('width')) >= 2.5).length,
        neighbours: near.length,
        neighboursLit: near.filter('.hl').length,
        others: other(cy.elements().not(mine).not(near)).length,
        othersDim: other(cy.elements().not(mine).not(near)).filter('.dim').length,
        litOpacity: Number(mine.first().style('opacity')),
        dimOpacity: Number(other(cy.edges().not(mine)).first().style('opacity')),
      };
    }, target.id);
  await expect.poll(async () => (await classes()).linesLit).toBeGreaterThan(0);
  const c = await classes();
  expect(c.linesLit).toBe(c.lines);
  expect(c.linesWider).toBe(c.lines);
  expect(c.neighboursLit).toBe(c.neighbours);
  expect(c.othersDim).toBe(c.others);
  expect(c.litOpacity).toBeGreaterThan(c.dimOpacity);

  // a line from the list below the map: the line and its two ends
  await page.getByRole('button', { name: /^Details of / }).first().click();
  await expect(page).toHaveURL(/sel=e%3A/);
  const line = await page.evaluate(() => {
    const cy = (window as unknown as { __bulkheadMap: Core }).__bulkheadMap;
    const e = cy.edges(':selected').first();
    const ends = e.connectedNodes();
    const rest = cy.elements().not(e).not(ends).filter((x) => !x.hasClass('box'));
    return { lit: e.hasClass('hl'), ends: ends.filter('.hl').length, rest: rest.length, restDim: rest.filter('.dim').length };
  });
  expect(line).toEqual({ lit: true, ends: 2, rest: line.rest, restDim: line.rest });
});

test('focus on a workload: it and what it talks to directly, laid out in layers; back to the whole map', async ({ page }) => {
  test.setTimeout(180_000);
  await openMap(page, '?level=workload');
  const whole = await page.evaluate(() => (window as unknown as { __bulkheadMap: Core }).__bulkheadMap.nodes('.leaf').length);
  // the busiest workload, through search
  const target = await page.evaluate(() => {
    const cy = (window as unknown as { __bulkheadMap: Core }).__bulkheadMap;
    const lines = (x: unknown) => (x as cytoscape.NodeSingular).connectedEdges().length;
    const n = cy.nodes('.leaf').filter((x) => x.id().startsWith('w:')).sort((a, b) => lines(b) - lines(a)).first();
    return { id: n.id(), lines: lines(n) };
  });
  await page.goto(`/map?level=workload&sel=${encodeURIComponent(target.id)}`);
  await page.getByRole('button', { name: 'Focus on its neighbourhood' }).click();
  await expect(page).toHaveURL(new RegExp(`around=${encodeURIComponent(target.id.slice(2))}`));
  await expect(page.getByTestId('map-canvas')).toHaveAttribute('data-painted', 'true', { timeout: 120_000 });
  await expect
    .poll(() => page.evaluate((id) => (window as unknown as { __bulkheadMap: Core }).__bulkheadMap.getElementById(id).length, target.id))
    .toBe(1);
  const focused = await page.evaluate((id) => {
    const cy = (window as unknown as { __bulkheadMap: Core }).__bulkheadMap;
    const me = cy.getElementById(id);
    const leaves = cy.nodes('.leaf, .collapsed');
    // every other drawn leaf is a direct neighbour of the focused workload
    const strangers = leaves.filter((n) => n.id() !== id && me.edgesWith(n).length === 0).length;
    return { leaves: leaves.length, strangers, routed: cy.edges('.routed').length + cy.edges('.straight').length === cy.edges().length };
  }, target.id);
  expect(focused.strangers).toBe(0);
  expect(focused.leaves).toBeLessThan(whole);
  expect(focused.routed).toBe(true);
  await page.getByRole('button', { name: 'Show the whole map' }).click();
  await expect(page).not.toHaveURL(/around=/);
});

for (const viewport of [
  { width: 1600, height: 1000 },
  { width: 1280, height: 800 },
  { width: 1000, height: 800 },
]) {
  test(`at ${viewport.width}x${viewport.height}, the filters and details panels leave the zoom buttons and the map free`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(viewport);
    await openMap(page, '?sel=env%3Aprod');
    await page.getByRole('button', { name: /^Filters/ }).click();
    await expect(page.getByRole('complementary', { name: 'Map filters' })).toBeVisible();
    const canvas = page.getByTestId('map-canvas');
    const panels = [page.getByRole('complementary', { name: 'Map filters' }), page.getByRole('complementary', { name: 'Details of the selection' })];
    for (const name of ['Zoom in', 'Zoom out', 'Fit the map to the view']) {
      const button = page.getByRole('button', { name });
      await button.scrollIntoViewIfNeeded();
      const b = (await button.boundingBox())!;
      // what is drawn at the button's centre is the button itself
      const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.getAttribute('aria-label') ?? null, [b.x + b.width / 2, b.y + b.height / 2]);
      expect(hit, name).toBe(name);
    }
    const c = (await canvas.boundingBox())!;
    for (const p of panels) {
      const r = (await p.boundingBox())!;
      expect(overlap({ x1: c.x, y1: c.y, x2: c.x + c.width, y2: c.y + c.height }, { x1: r.x, y1: r.y, x2: r.x + r.width, y2: r.y + r.height }), (await p.getAttribute('aria-label')) ?? '').toBe(false);
    }
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Fit the map to the view' }).click();
  });
}
