'use client';
// The canvas: one Cytoscape instance for the page's life, updated in place when the view
// changes (elements added, removed or moved in one batch) so that expanding an application
// does not redraw or re-fit the whole map. Positions come precomputed (./layout.ts, preset
// layout); the canvas runs no layout algorithm itself. Lines follow the routes the layout gives
// (segment edges through its bend points), so they go around the nodes they do not connect.
import type { Collection, Core, ElementDefinition, EventObject } from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import { collapsedSize, type LayoutResult } from './layout';
import { mapStyle, roleColor } from './style';
import type { MapView, ViewEdge, ViewNode } from './view';

export interface MapCanvasProps {
  view: MapView;
  layout: LayoutResult;
  /** extra classes per element id (overlays, search matches, focus) */
  classes: Record<string, string>;
  selected: string | null;
  /** changes when the map should fit the drawing into the viewport again */
  fitKey: string;
  onSelect(id: string | null): void;
  onToggle(id: string): void;
  /** an element to bring into view (search) */
  reveal?: { id: string; at: number; fit?: boolean } | null;
}

const LARGE = 2500;

function nodeColor(n: ViewNode): string {
  if (n.kind === 'endpoint') return n.endpointKind === 'internet' ? '#b9770e' : '#d68910';
  if (n.kind === 'workload' || n.kind === 'role') return roleColor(n.role);
  if (n.kind === 'app') return n.appKind === 'core-service' ? '#6c3483' : n.appKind === 'management' ? '#117864' : n.appKind === 'scanner' ? '#922b21' : '#34495e';
  if (n.kind === 'zone') return n.zone === 'external' ? '#b9770e' : n.zone === 'core' ? '#6c3483' : '#117864';
  return '#2c3e50';
}

function edgeWidth(e: ViewEdge): number {
  return Math.min(8, 1 + Math.log10(1 + e.bytes) / 2);
}

function edgeClasses(e: ViewEdge): string {
  const c: string[] = [];
  if (e.flags.management) c.push('management');
  else if (e.flags.coreService) c.push('core');
  else if (e.flags.external) c.push('external');
  else if (e.flags.crossEnvironment) c.push('crossEnv');
  return c.join(' ');
}

/**
 * A route's bend points as Cytoscape segment weights and distances: each point is
 * source + w * (target - source) + d * n, n the unit normal (-dy, dx) / |target - source|, with
 * both ends at the nodes' centres (`edge-distances: node-position`).
 */
export function segmentsOf(s: { x: number; y: number }, t: { x: number; y: number }, points: Array<{ x: number; y: number }>) {
  const dx = t.x - s.x;
  const dy = t.y - s.y;
  const l2 = dx * dx + dy * dy;
  if (!l2) return null;
  const l = Math.sqrt(l2);
  const weights: number[] = [];
  const distances: number[] = [];
  for (const p of points) {
    weights.push(((p.x - s.x) * dx + (p.y - s.y) * dy) / l2);
    distances.push((-(p.x - s.x) * dy + (p.y - s.y) * dx) / l);
  }
  return { weights, distances };
}

export function toElements(view: MapView, layout: LayoutResult, extra: Record<string, string>): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  // the layered layout leaves room for labels on the right of nodes, the grid below them
  const routed = layout.routes !== undefined;
  for (const n of view.nodes) {
    const open = n.group && !n.collapsed;
    const box = open ? layout.boxes[n.id] : undefined;
    const pos = open ? box : layout.positions[n.id];
    if (!pos) continue;
    const cls = [open ? 'box' : n.collapsed ? 'collapsed' : 'leaf', routed ? 'side-label' : '', n.focus ? '' : 'faded', extra[n.id] ?? ''].filter(Boolean).join(' ');
    out.push({
      group: 'nodes',
      data: {
        id: n.id,
        // the group drawn around it (not Cytoscape's `parent`: no compound nodes, see layout.ts)
        up: n.parent ?? undefined,
        label: n.label,
        kind: n.kind,
        zone: n.zone ?? '',
        endpointKind: n.endpointKind ?? '',
        enforcement: n.enforcement ?? '',
        color: nodeColor(n),
        size: n.collapsed ? collapsedSize(n) : undefined,
        w: box?.w,
        h: box?.h,
      },
      position: { x: pos.x, y: pos.y },
      classes: cls,
    });
  }
  for (const e of view.edges) {
    const route = layout.routes?.[e.id];
    const s = layout.positions[e.source];
    const t = layout.positions[e.target];
    const seg = route?.length && s && t ? segmentsOf(s, t, route) : null;
    out.push({
      group: 'edges',
      data: { id: e.id, source: e.source, target: e.target, width: edgeWidth(e), sw: seg?.weights, sd: seg?.distances },
      classes: [edgeClasses(e), seg ? 'routed' : routed ? 'straight' : '', extra[e.id] ?? ''].filter(Boolean).join(' '),
    });
  }
  return out;
}

export function CytoscapeMap(props: MapCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const cb = useRef(props);
  cb.current = props;
  const [ready, setReady] = useState(false);
  const largeRef = useRef<boolean | null>(null);
  const lastFit = useRef<string | null>(null);

  // Fit from the layout's known extent rather than cy.fit(): that measures every label's
  // bounding box, about a second at 8,000 nodes.
  const fitDrawing = () => {
    const cy = cyRef.current;
    if (!cy) return;
    const { w, h } = cb.current.layout.size;
    const pad = 24;
    if (!w || !h) return void cy.fit(undefined, pad);
    const W = cy.width();
    const H = cy.height();
    const zoom = Math.min(1.5, Math.max(0.03, Math.min((W - 2 * pad) / w, (H - 2 * pad) / h)));
    cy.viewport({ zoom, pan: { x: (W - w * zoom) / 2, y: (H - h * zoom) / 2 } });
  };

  // Create the instance once.
  useEffect(() => {
    let cancelled = false;
    let cy: Core | null = null;
    void import('cytoscape').then(({ default: cytoscape }) => {
      if (cancelled || !container.current) return;
      cy = cytoscape({
        container: container.current,
        elements: [],
        layout: { name: 'preset' },
        minZoom: 0.03,
        maxZoom: 3,
        wheelSensitivity: 0.3,
        boxSelectionEnabled: false,
        selectionType: 'single',
        autoungrabify: true,
      });
      cy.on('tap', (e: EventObject) => {
        if (e.target === cy) cb.current.onSelect(null);
        else cb.current.onSelect(e.target.id());
      });
      cy.on('dbltap', 'node', (e: EventObject) => {
        if (e.target.hasClass('box') || e.target.hasClass('collapsed')) cb.current.onToggle(e.target.id());
      });
      cyRef.current = cy;
      (window as unknown as { __bulkheadMap?: Core }).__bulkheadMap = cy;
      setReady(true);
    });
    return () => {
      cancelled = true;
      cy?.destroy();
      cyRef.current = null;
    };
  }, []);

  // Apply the view.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !ready) return;
    const large = props.view.nodes.length + props.view.edges.length > LARGE * 2 || props.view.edges.length > LARGE;
    if (largeRef.current !== large) {
      largeRef.current = large;
      cy.style(mapStyle({ large }));
      // Big maps: draw a cached bitmap while panning and zooming, skip edges meanwhile.
      const r = (cy as unknown as { renderer(): unknown }).renderer() as { textureOnViewport?: boolean; hideEdgesOnViewport?: boolean };
      r.textureOnViewport = large;
      r.hideEdgesOnViewport = large;
    }
    const els = toElements(props.view, props.layout, props.classes);
    const firstPaint = cy.elements().length === 0 && els.length > 0;
    cy.batch(() => {
      const want = new Map(els.map((e) => [e.data.id!, e]));
      // Remove what is gone (an edge id names its ends, so a kept id means the same edge).
      const gone = cy.elements().filter((el) => !want.has(el.id()));
      cy.remove(gone);
      const add: ElementDefinition[] = [];
      for (const e of els) {
        const el = cy.getElementById(e.data.id!);
        if (el.empty()) {
          add.push(e);
          continue;
        }
        el.data(e.data);
        el.classes(e.classes ?? '');
        if (e.position && el.isNode()) el.position(e.position);
      }
      if (add.length) cy.add(add);
      cy.elements().unselect();
      if (cb.current.selected) cy.getElementById(cb.current.selected).select();
    });
    if (firstPaint) {
      cy.one('render', () => {
        requestAnimationFrame(() => {
          performance.mark('bulkhead:map-painted');
          if (container.current) container.current.dataset.painted = 'true';
        });
      });
    }
    if (lastFit.current !== props.fitKey) {
      lastFit.current = props.fitKey;
      fitDrawing();
    }
    if (container.current) {
      container.current.dataset.nodes = String(props.view.nodes.length);
      container.current.dataset.edges = String(props.view.edges.length);
    }
  }, [ready, props.view, props.layout, props.classes, props.fitKey]);

  // Selection (from the canvas, the panel, the list or the URL): a node's lines and neighbours,
  // or a line and its two ends, are highlighted and the rest dimmed. An open group stands for
  // what is drawn inside it.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !ready) return;
    cy.batch(() => {
      cy.elements('.hl, .dim').removeClass('hl dim');
      cy.elements().unselect();
      if (!props.selected) return;
      const el = cy.getElementById(props.selected);
      if (el.empty()) return;
      el.select();
      // (the ends of a line: empty for a node)
      const ends = el.connectedNodes();
      let lit: Collection;
      if (el.isNode()) {
        const inside = new Set([el.id()]);
        if (el.hasClass('box')) for (const n of props.view.nodes) if (n.parent && inside.has(n.parent)) inside.add(n.id);
        let members = cy.collection();
        for (const id of inside) members = members.union(cy.getElementById(id));
        const edges = members.connectedEdges();
        lit = members.union(edges).union(edges.connectedNodes());
      } else lit = ends.union(cy.getElementById(props.selected));
      lit.addClass('hl');
      cy.elements().not(lit).not('.box').addClass('dim');
    });
  }, [ready, props.selected, props.view]);

  // Bring an element into view.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !ready || !props.reveal) return;
    const el = cy.getElementById(props.reveal.id);
    if (el.empty()) return;
    if (props.reveal.fit) {
      // fit the group (its box holds what is drawn inside it), but never zoom in past reading size
      const eles = el;
      const bb = eles.boundingBox();
      const zoom = Math.min(1.2, (cy.width() - 80) / Math.max(1, bb.w), (cy.height() - 80) / Math.max(1, bb.h));
      cy.animate({ zoom, center: { eles } }, { duration: 250 });
    } else cy.animate({ center: { eles: el }, zoom: Math.max(cy.zoom(), 0.8) }, { duration: 250 });
  }, [ready, props.reveal]);

  const zoomBy = (f: number) => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  return (
    <div className="map-canvas-wrap">
      <div
        ref={container}
        className="map-canvas"
        role="img"
        aria-label={`Dependency map: ${props.view.nodes.length} nodes and ${props.view.edges.length} dependencies. Keys: plus and minus zoom, arrows pan, 0 fits. The list below the map has the same dependencies for keyboard and screen-reader use.`}
        tabIndex={0}
        data-testid="map-canvas"
        onKeyDown={(e) => {
          const cy = cyRef.current;
          if (!cy) return;
          const step = 80;
          if (e.key === '+' || e.key === '=') zoomBy(1.25);
          else if (e.key === '-') zoomBy(0.8);
          else if (e.key === '0') fitDrawing();
          else if (e.key === 'ArrowLeft') cy.panBy({ x: step, y: 0 });
          else if (e.key === 'ArrowRight') cy.panBy({ x: -step, y: 0 });
          else if (e.key === 'ArrowUp') cy.panBy({ x: 0, y: step });
          else if (e.key === 'ArrowDown') cy.panBy({ x: 0, y: -step });
          else if (e.key === 'Escape') cb.current.onSelect(null);
          else return;
          e.preventDefault();
        }}
      />
      <div className="map-zoom" role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomBy(0.8)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={fitDrawing} aria-label="Fit the map to the view">
          Fit
        </button>
      </div>
    </div>
  );
}
