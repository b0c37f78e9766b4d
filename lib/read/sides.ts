// Which workloads and endpoints a map node stands for, and the dependencies of the analysis
// between two such sides: what one (possibly folded) line of the map is made of. The map's
// index (./map.ts), which the page's folding uses too, decides membership, so the server and
// the page agree.
import type { AnalysisEdge, AnalysisResult } from '../analysis/types';
import { portLabel } from '../flow/ports';
import { indexMap, toMapData, type MapData, type MapIndex } from './map';

export interface Side {
  workloads: Set<string>;
  endpoints: Set<string>;
}

const cacheKey = Symbol.for('bulkhead.ui.mapIndex');
type Cached = { result: AnalysisResult; data: MapData; ix: MapIndex };

/** The map index of an analysis result (built once per result). */
export function mapIndexOf(result: AnalysisResult): MapIndex {
  const holder = result as AnalysisResult & { [cacheKey]?: Cached };
  holder[cacheKey] ??= (() => {
    const data = toMapData(result);
    return { result, data, ix: indexMap(data) };
  })();
  return holder[cacheKey].ix;
}

/**
 * A map node id (w:, ep:, app:, role:, env:, zone:) or, for the flows explorer, a bare workload
 * id, workload name, application id, CIDR or address.
 */
export function sideOf(ix: MapIndex, spec: string): Side | null {
  const side: Side = { workloads: new Set(), endpoints: new Set() };
  const s = spec.trim();
  if (!s) return null;
  const colon = s.indexOf(':');
  const prefix = colon > 0 ? s.slice(0, colon) : '';
  const rest = s.slice(colon + 1);
  if (prefix === 'w') {
    if (ix.workloads.has(rest)) side.workloads.add(rest);
  } else if (prefix === 'ep') {
    side.endpoints.add(rest);
  } else if (prefix === 'zone' && rest === 'external') {
    for (const e of ix.data.endpoints) side.endpoints.add(e.id);
  } else if (['app', 'role', 'env', 'zone'].includes(prefix)) {
    // every workload whose chain passes through the node
    for (const [leaf, chain] of ix.chains) if (chain.ids.includes(s)) side.workloads.add(leaf.slice(2));
  } else if (ix.workloads.has(s)) {
    side.workloads.add(s);
  } else if (ix.apps.has(s)) {
    for (const [leaf, chain] of ix.chains) if (chain.ids.includes(`app:${s}`)) side.workloads.add(leaf.slice(2));
  } else {
    const byName = ix.data.workloads.find((w) => w.name === s);
    if (byName) side.workloads.add(byName.id);
    else if (ix.endpoints.has(s)) side.endpoints.add(s);
    else return null;
  }
  return side.workloads.size + side.endpoints.size > 0 ? side : null;
}

export const sideHas = (side: Side, endpoint: string) => side.workloads.has(endpoint) || side.endpoints.has(endpoint);

/** Dependencies of the analysis from one side to the other, on the given ports ("tcp/443"; empty: any). */
export function edgesBetween(
  result: AnalysisResult,
  client: Side,
  server: Side,
  opts: { ports?: string[]; excludeCore?: boolean; excludeManagement?: boolean } = {},
): AnalysisEdge[] {
  const ports = new Set(opts.ports ?? []);
  return result.edges.filter(
    (e) =>
      sideHas(client, e.from) &&
      sideHas(server, e.to) &&
      (ports.size === 0 || ports.has(portLabel(e.protocol, e.port))) &&
      !(opts.excludeCore && e.flags.coreService) &&
      !(opts.excludeManagement && e.flags.management),
  );
}

/** Addresses a side's workloads held in the window (to narrow scans of the flow tables). */
export function addressesOf(result: AnalysisResult, side: Side): string[] | null {
  if (side.endpoints.size) return null;
  const out = new Set<string>();
  for (const w of result.workloads) if (side.workloads.has(w.id)) for (const a of w.addresses) out.add(a);
  return [...out];
}
