// The map's look. Colours carry meaning (role of a workload, kind of a path, policy verdict) and
// every colour is paired with a legend entry and a text equivalent in the side panel; the text
// drawn on the canvas is dark on light for contrast.
import type { StylesheetJson } from 'cytoscape';
import { LABEL_GAP, TITLE_ROOM } from './layered';
import { SIZES } from './layout';

export const ROLE_COLORS: Record<string, string> = {
  client: '#5d6d7e',
  web: '#1f6fc5',
  api: '#0b7a5f',
  worker: '#7d3c98',
  queue: '#9a7d0a',
  cache: '#c25e00',
  db: '#b03a2e',
  core: '#5b2c6f',
  management: '#0e6655',
  scanner: '#922b21',
  unknown: '#707b7c',
};
export const roleColor = (r: string | null | undefined) => (r && ROLE_COLORS[r]) || '#566573';

/** Borders of applications by enforcement state (visibility keeps the plain border). */
export const ENFORCEMENT_COLORS = { enforced: '#1f6f43', test: '#b7791f' } as const;

export const EDGE_COLORS = {
  normal: '#7b8794',
  core: '#b9a7c9',
  management: '#48a999',
  external: '#d68910',
  crossEnv: '#c0392b',
  allowed: '#1e8449',
  proposed: '#2e86c1',
  blocked: '#c0392b',
  norule: '#a6acaf',
  selected: '#0b5cad',
} as const;

export const POLICY_LEGEND = [
  { key: 'allowed', label: 'allowed by approved rules', color: EDGE_COLORS.allowed },
  { key: 'proposed', label: 'covered by a proposed rule only', color: EDGE_COLORS.proposed },
  { key: 'blocked', label: 'would be blocked by the approved policy', color: EDGE_COLORS.blocked },
  { key: 'norule', label: 'no rule yet', color: EDGE_COLORS.norule },
] as const;

export function mapStyle(opts: { large: boolean }): StylesheetJson {
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-size': 10,
        'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        color: '#1b1f24',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 3,
        'text-wrap': 'ellipsis',
        'text-max-width': `${SIZES.cellW - 8}px`,
        'min-zoomed-font-size': opts.large ? 8 : 5,
        width: SIZES.workload,
        height: SIZES.workload,
        'background-color': 'data(color)',
        'border-width': 1,
        'border-color': '#ffffff',
        // boxes, then edges, then nodes: drawn in this order whatever the element kind
        'z-index-compare': 'manual',
      },
    },
    {
      selector: 'node[kind = "endpoint"]',
      style: { shape: 'round-diamond', width: SIZES.endpoint, height: SIZES.endpoint, 'background-color': '#d68910' },
    },
    {
      selector: 'node[kind = "endpoint"][endpointKind = "internet"]',
      style: { shape: 'round-hexagon', 'background-color': '#b9770e' },
    },
    // groups drawn as one node: size by the workloads behind them
    {
      selector: 'node.collapsed',
      style: {
        width: 'data(size)',
        height: 'data(size)',
        shape: 'round-rectangle',
        'background-color': 'data(color)',
        'background-opacity': 0.9,
        'border-width': 2,
        'border-color': '#ffffff',
        'font-size': 18,
        'font-weight': 600,
        'text-max-width': '230px',
      },
    },
    { selector: 'node.collapsed[kind = "env"], node.collapsed[kind = "zone"]', style: { shape: 'round-rectangle', 'font-size': 18 } },
    { selector: 'node[kind = "endpoint"]', style: { 'font-size': 14 } },
    // expanded groups: boxes behind what they hold (./layout.ts explains why not compound nodes)
    {
      selector: 'node.box',
      style: {
        shape: 'round-rectangle',
        width: 'data(w)',
        height: 'data(h)',
        'background-color': '#ffffff',
        'background-opacity': 0.9,
        'border-width': 1,
        'border-color': '#aab4be',
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        'font-size': 11,
        'font-weight': 600,
        color: '#1b1f24',
        'min-zoomed-font-size': 4,
        'text-max-width': '2000px',
        'text-wrap': 'none',
        'z-index': 0,
      },
    },
    { selector: 'node.box[kind = "env"]', style: { 'background-color': '#eef2f6', 'border-color': '#8896a5', 'font-size': 28, 'border-width': 2 } },
    { selector: 'node.box[kind = "zone"]', style: { 'background-color': '#f6f1fa', 'border-color': '#9b86b0', 'font-size': 28, 'border-width': 2, 'border-style': 'dashed' } },
    { selector: 'node.box[zone = "external"]', style: { 'background-color': '#fdf3e6', 'border-color': '#c89a5a' } },
    { selector: 'node.box[kind = "app"]', style: { 'font-size': 14, 'border-color': '#6b7a89', 'border-width': 1.5, 'z-index': 1 } },
    // an application's enforcement state, as a box or a collapsed node: its border (MapLegend)
    { selector: 'node[kind = "app"][enforcement = "enforced"]', style: { 'border-color': ENFORCEMENT_COLORS.enforced, 'border-width': 4, 'border-style': 'solid' } },
    { selector: 'node[kind = "app"][enforcement = "test"]', style: { 'border-color': ENFORCEMENT_COLORS.test, 'border-width': 3, 'border-style': 'dashed' } },
    { selector: 'node.box[kind = "role"]', style: { 'background-color': '#f7f9fb', 'border-color': '#d0d7de', 'font-size': 9, 'font-weight': 400, 'border-style': 'dotted', color: '#57606a', 'z-index': 2 } },
    { selector: 'node.leaf, node.collapsed', style: { 'z-index': 20 } },
    // the layered layout (./layered.ts) keeps room for a leaf's label on its right, and for a
    // group's title inside the top of its box
    { selector: 'node.side-label', style: { 'text-valign': 'center', 'text-halign': 'right', 'text-margin-x': LABEL_GAP, 'text-margin-y': 0 } },
    ...(['env', 'zone', 'app', 'role'] as const).map((k) => ({
      selector: `node.box.side-label[kind = "${k}"]`,
      style: { 'text-valign': 'top' as const, 'text-halign': 'center' as const, 'text-margin-x': 0, 'text-margin-y': TITLE_ROOM[k]! - 4 },
    })),
    {
      selector: 'edge',
      style: {
        width: 'data(width)',
        'line-color': EDGE_COLORS.normal,
        'target-arrow-color': EDGE_COLORS.normal,
        'target-arrow-shape': opts.large ? 'none' : 'triangle',
        'arrow-scale': 0.8,
        'curve-style': opts.large ? 'haystack' : 'bezier',
        'haystack-radius': 0,
        opacity: 0.75,
        'z-index-compare': 'manual',
        'z-index': 10,
      },
    },
    { selector: 'edge.external', style: { 'line-color': EDGE_COLORS.external, 'target-arrow-color': EDGE_COLORS.external } },
    { selector: 'edge.crossEnv', style: { 'line-color': EDGE_COLORS.crossEnv, 'target-arrow-color': EDGE_COLORS.crossEnv, 'line-style': 'dashed' } },
    { selector: 'edge.core', style: { 'line-color': EDGE_COLORS.core, 'target-arrow-color': EDGE_COLORS.core, opacity: 0.45 } },
    { selector: 'edge.management', style: { 'line-color': EDGE_COLORS.management, 'target-arrow-color': EDGE_COLORS.management, 'line-style': 'dotted' } },
    // policy overlay
    { selector: 'edge.p-allowed', style: { 'line-color': EDGE_COLORS.allowed, 'target-arrow-color': EDGE_COLORS.allowed, 'line-style': 'solid', opacity: 0.85 } },
    { selector: 'edge.p-proposed', style: { 'line-color': EDGE_COLORS.proposed, 'target-arrow-color': EDGE_COLORS.proposed, 'line-style': 'solid', opacity: 0.85 } },
    { selector: 'edge.p-blocked', style: { 'line-color': EDGE_COLORS.blocked, 'target-arrow-color': EDGE_COLORS.blocked, 'line-style': 'solid', opacity: 0.95 } },
    { selector: 'edge.p-norule', style: { 'line-color': EDGE_COLORS.norule, 'target-arrow-color': EDGE_COLORS.norule, 'line-style': 'dashed', opacity: 0.7 } },
    // blast radius overlay: the chosen workload and what it reaches
    { selector: 'node.b-source', style: { 'border-width': 5, 'border-color': '#c0392b' } },
    { selector: 'node.b-reached', style: { 'border-width': 4, 'border-color': '#e67e22' } },
    { selector: 'node.b-unreached', style: { opacity: 0.35 } },
    // focus, search and selection
    { selector: '.faded', style: { opacity: 0.25 } },
    { selector: 'node.match', style: { 'border-width': 4, 'border-color': '#f1c40f' } },
    { selector: 'node:selected, node.selected', style: { 'border-width': 4, 'border-color': EDGE_COLORS.selected } },
    { selector: 'edge:selected, edge.selected', style: { 'line-color': EDGE_COLORS.selected, 'target-arrow-color': EDGE_COLORS.selected, width: 4, opacity: 1, 'z-index': 15 } },
    // lines along the layout's routes: through its bend points, around the nodes they do not connect
    { selector: 'edge.routed', style: { 'curve-style': 'segments', 'segment-weights': 'data(sw)', 'segment-distances': 'data(sd)', 'edge-distances': 'node-position' } },
    { selector: 'edge.straight', style: { 'curve-style': 'straight' } },
    // the selection's lines and neighbours (or a line's two ends) stand out, the rest is dimmed
    { selector: 'node.dim', style: { opacity: 0.2 } },
    { selector: 'edge.dim', style: { opacity: 0.08 } },
    { selector: 'node.hl', style: { opacity: 1 } },
    { selector: 'edge.hl', style: { 'line-color': EDGE_COLORS.selected, 'target-arrow-color': EDGE_COLORS.selected, opacity: 1, width: 'mapData(width, 1, 8, 2.5, 8)', 'z-index': 14 } },
    { selector: 'edge:selected', style: { width: 5, 'z-index': 15 } },
  ];
}
