// Communities of workloads from how they talk: the structure applications are built on
// (./applications.ts weighs labels and hostnames against it).
//
// Communication structure: Louvain community detection (graphology-communities-louvain) on the
// undirected graph of workload-to-workload dependencies, without shared core services,
// management sessions and scanners (they touch everything and would glue applications
// together). An edge weighs more the more hours it was active, and three times more when its
// server port is a database, cache or queue port: data stores belong to the application that
// uses them, while API calls between applications are common. Louvain is seeded, so the same
// data gives the same grouping.
import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import { mulberry32 } from './random';
import type { AnalysisEdge } from './types';

const DATA_PORTS = new Set([
  5432, 5433, 6432, 3306, 1433, 1434, 1521, 27017, 27018, 9042, 5984, 7474, 7687, 8086, 9200, 26257, 50000, 3050, 8529, 28015,
  6379, 6380, 26379, 11211,
  5672, 5671, 9092, 9093, 4222, 1883, 8883, 61616, 61613, 2181, 6650,
]);

export function edgeWeight(e: Pick<AnalysisEdge, 'port' | 'activeHours'>): number {
  return (DATA_PORTS.has(e.port) ? 3 : 1) * Math.sqrt(1 + e.activeHours);
}

export interface ClusterNode {
  id: string;
}

export interface Grouping {
  /** community index per node */
  community: Map<string, number>;
  /** weighted adjacency between nodes */
  adjacency: Map<string, Map<string, number>>;
  /** splits of a community that structure found but judged too weak on its own (modularity below SPLIT_MODULARITY) */
  declined: Map<number, { parts: string[][]; modularity: number }>;
}

/** Louvain communities over the given edges (only edges between given nodes count). */
export function communities(nodes: readonly ClusterNode[], edges: readonly AnalysisEdge[], seed: number): Grouping {
  const g = new Graph({ type: 'undirected', allowSelfLoops: false });
  const adjacency = new Map<string, Map<string, number>>();
  for (const n of nodes) {
    g.addNode(n.id);
    adjacency.set(n.id, new Map());
  }
  for (const e of edges) {
    if (e.from === e.to || !adjacency.has(e.from) || !adjacency.has(e.to)) continue;
    const w = edgeWeight(e);
    const a = adjacency.get(e.from)!;
    a.set(e.to, (a.get(e.to) ?? 0) + w);
    const b = adjacency.get(e.to)!;
    b.set(e.from, (b.get(e.from) ?? 0) + w);
    if (g.hasEdge(e.from, e.to)) g.updateEdgeAttribute(e.from, e.to, 'weight', (x: number | undefined) => (x ?? 0) + w);
    else g.addEdge(e.from, e.to, { weight: w });
  }
  const community = new Map<string, number>();
  const weak: Declined[] = [];
  if (g.size > 0) {
    let next = 0;
    for (const part of refine(g, [...g.nodes()].filter((n) => g.degree(n) > 0), seed, 0, weak)) {
      for (const n of part) community.set(n, next);
      next++;
    }
  }
  let k = Math.max(-1, ...community.values()) + 1;
  for (const n of nodes) if (!community.has(n.id)) community.set(n.id, k++);
  const declined = new Map<number, { parts: string[][]; modularity: number }>();
  for (const d of weak) declined.set(community.get(d.parts[0]![0]!)!, d);
  return { community, adjacency, declined };
}

interface Declined {
  parts: string[][];
  modularity: number;
}

/** Modularity a community's own split must reach to be taken (docs/discovery.md). */
export const SPLIT_MODULARITY = 0.3;
const MIN_SPLIT_SIZE = 4;
const MAX_DEPTH = 4;

/**
 * Louvain on the nodes' subgraph, then again inside every community found, keeping a split only
 * when it is clearly modular on its own. Modularity has a resolution limit: on a large graph it
 * merges small, dense groups joined by a few edges (two applications that call each other).
 * Looking inside each community at its own scale undoes those merges without a resolution
 * parameter to tune per estate, while a tiered application (web -> api -> data) does not split:
 * its tiers have no edges inside, so cutting between them has negative modularity.
 */
function refine(g: Graph, nodes: string[], seed: number, depth: number, declined: Declined[]): string[][] {
  const sub = depth === 0 ? g : subgraph(g, nodes);
  if (sub.size === 0) return nodes.map((n) => [n]);
  const r = louvain.detailed(sub, { getEdgeWeight: 'weight', rng: mulberry32(seed + depth), resolution: 1 });
  const parts = new Map<number, string[]>();
  for (const n of nodes) {
    const c = r.communities[n]!;
    let p = parts.get(c);
    if (!p) parts.set(c, (p = []));
    p.push(n);
  }
  if (depth > 0 && (r.count < 2 || r.modularity < SPLIT_MODULARITY)) {
    // kept whole; the split is remembered for names to weigh (./applications.ts)
    if (r.count >= 2 && r.modularity > 0) declined.push({ parts: [...parts.values()], modularity: r.modularity });
    return [nodes];
  }
  if (depth >= MAX_DEPTH) return [...parts.values()];
  return [...parts.values()].flatMap((p) => (p.length >= MIN_SPLIT_SIZE ? refine(g, p, seed, depth + 1, declined) : [p]));
}

function subgraph(g: Graph, nodes: readonly string[]): Graph {
  const keep = new Set(nodes);
  const sub = new Graph({ type: 'undirected', allowSelfLoops: false });
  for (const n of nodes) sub.addNode(n);
  for (const n of nodes) {
    g.forEachEdge(n, (_e, attr, source, target) => {
      if (source === n && keep.has(target) && !sub.hasEdge(source, target)) sub.addEdge(source, target, { weight: attr.weight });
    });
  }
  return sub;
}
