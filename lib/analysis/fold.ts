// Folding edges: the one rule by which many edges between the endpoints two nodes stand for
// become a single edge: ports gathered, flows and bytes summed, the seen range widened, the
// most regular rhythm kept, a flag set when any folded edge sets it. The levels of the graph
// (./levels.ts) and the map's compound view (components/map/view.ts) both fold with it.
//
// Browser-safe (the map folds in the page): no node: imports, no database, types only from ./types.
import { portName } from '../flow/record';
import { mostRegular } from './periodicity';
import type { EdgeFlags, Periodicity } from './types';

/** What folding reads of an edge; seen times are Dates in lib and ISO strings in the page's data. */
export interface FoldableEdge<T extends Date | string> {
  protocol: number;
  port: number;
  flows: number;
  bytes: number;
  firstSeen: T;
  lastSeen: T;
  periodicity: Periodicity;
  flags: EdgeFlags;
}

export interface EdgeFold<T extends Date | string> {
  /** port names ("tcp/443", "icmp") in first-seen order; callers sort them as they list them */
  portSet: Set<string>;
  flows: number;
  bytes: number;
  /** edges folded in */
  edges: number;
  firstSeen: T;
  lastSeen: T;
  periodicity: Periodicity;
  flags: EdgeFlags;
}

/** An empty fold that starts from the first edge's times and rhythm (so the first fold keeps them). */
export function startFold<T extends Date | string>(first: FoldableEdge<T>): EdgeFold<T> {
  return {
    portSet: new Set(),
    flows: 0,
    bytes: 0,
    edges: 0,
    firstSeen: first.firstSeen,
    lastSeen: first.lastSeen,
    periodicity: first.periodicity,
    flags: { coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false },
  };
}

/** Folds one edge into `into` (mutated: folding thousands of edges must not copy). */
export function foldEdge<T extends Date | string>(into: EdgeFold<T>, e: FoldableEdge<T>): void {
  into.portSet.add(portName(e.protocol, e.port));
  into.flows += e.flows;
  into.bytes += e.bytes;
  into.edges++;
  if (e.firstSeen < into.firstSeen) into.firstSeen = e.firstSeen;
  if (e.lastSeen > into.lastSeen) into.lastSeen = e.lastSeen;
  into.periodicity = mostRegular(into.periodicity, e.periodicity);
  for (const k of Object.keys(into.flags) as Array<keyof EdgeFlags>) if (e.flags[k]) into.flags[k] = true;
}
