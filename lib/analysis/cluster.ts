// Grouping workloads into applications from how they talk, with labels and hostnames as
// evidence.
//
// Communication structure: Louvain community detection (graphology-communities-louvain) on the
// undirected graph of workload-to-workload dependencies, without shared core services,
// management sessions and scanners (they touch everything and would glue applications
// together). An edge weighs more the more hours it was active, and three times more when its
// server port is a database, cache or queue port: data stores belong to the application that
// uses them, while API calls between applications are common. Louvain is seeded, so the same
// data gives the same grouping.
//
// Evidence on top of structure, in order: an `app` label always decides for its workload; a
// community holding labelled workloads of several applications is split between them (the
// unlabelled members follow their strongest connections); a community without labels is named
// after the hostname stem most of its members share (and split when two stems each cover
// several members); otherwise it is named after its most connected member. Finally groups are
// split by environment and groups of the same name and environment are one application.
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
  return (DATA_PORTS.has(e.port) ? 3 : 1) * (1 + Math.log2(1 + e.activeHours));
}

export interface ClusterNode {
  id: string;
  name: string;
  /** existing app label (when labels are used) */
  label: string | null;
  /** hostname stem (when names are used) */
  stem: string | null;
  /** environment as inferred so far (null when unknown) */
  env: string | null;
}

export interface Grouping {
  /** community index per node */
  community: Map<string, number>;
  /** weighted adjacency between nodes */
  adjacency: Map<string, Map<string, number>>;
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
  if (g.size > 0) {
    let next = 0;
    for (const part of refine(g, [...g.nodes()].filter((n) => g.degree(n) > 0), seed, 0)) {
      for (const n of part) community.set(n, next);
      next++;
    }
  }
  let k = Math.max(-1, ...community.values()) + 1;
  for (const n of nodes) if (!community.has(n.id)) community.set(n.id, k++);
  return { community, adjacency };
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
function refine(g: Graph, nodes: string[], seed: number, depth: number): string[][] {
  const sub = depth === 0 ? g : subgraph(g, nodes);
  if (sub.size === 0) return nodes.map((n) => [n]);
  const r = louvain.detailed(sub, { getEdgeWeight: 'weight', rng: mulberry32(seed + depth), resolution: 1 });
  if (depth > 0 && (r.count < 2 || r.modularity < SPLIT_MODULARITY)) return [nodes];
  const parts = new Map<number, string[]>();
  for (const n of nodes) {
    const c = r.communities[n]!;
    let p = parts.get(c);
    if (!p) parts.set(c, (p = []));
    p.push(n);
  }
  if (depth >= MAX_DEPTH) return [...parts.values()];
  return [...parts.values()].flatMap((p) => (p.length >= MIN_SPLIT_SIZE ? refine(g, p, seed, depth + 1) : [p]));
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

export interface GroupAssignment {
  /** application name */
  name: string;
  /** 'label' when the workload's own app label decided */
  source: 'label' | 'inferred';
  confidence: number;
}

/**
 * Name the communities: labels first, then hostname stems, then the most connected member.
 * Returns the application name of every node, with how it was decided and a confidence.
 */
export function nameGroups(nodes: readonly ClusterNode[], grouping: Grouping): Map<string, GroupAssignment> {
  const members = new Map<number, ClusterNode[]>();
  for (const n of nodes) {
    const c = grouping.community.get(n.id)!;
    let m = members.get(c);
    if (!m) members.set(c, (m = []));
    m.push(n);
  }
  const out = new Map<string, GroupAssignment>();
  const adj = (id: string) => grouping.adjacency.get(id) ?? new Map<string, number>();

  for (const group of members.values()) {
    // 1. labels
    const labelled = group.filter((n) => n.label);
    if (labelled.length) {
      const names = new Set(labelled.map((n) => n.label!));
      const seeds = new Map(labelled.map((n) => [n.id, n.label!]));
      // unlabelled members sharing a hostname stem no labelled member has are another application
      const labelStems = new Set(labelled.map((n) => n.stem).filter(Boolean));
      const stemCount = new Map<string, number>();
      for (const n of group) if (!n.label && n.stem && !labelStems.has(n.stem)) stemCount.set(n.stem, (stemCount.get(n.stem) ?? 0) + 1);
      for (const n of group) if (!n.label && n.stem && (stemCount.get(n.stem) ?? 0) >= 2) seeds.set(n.id, n.stem);
      const assigned = propagate(group, seeds, adj);
      for (const n of group) {
        const name = assigned.get(n.id)!;
        if (n.label) out.set(n.id, { name: n.label, source: 'label', confidence: 1 });
        else out.set(n.id, { name, source: 'inferred', confidence: confidence(n, name, assigned, adj, names.size === 1 ? 1 : 0.8) });
      }
      continue;
    }
    // 2. hostname stems
    const stems = new Map<string, number>();
    for (const n of group) if (n.stem) stems.set(n.stem, (stems.get(n.stem) ?? 0) + 1);
    const major = [...stems.entries()].filter(([, c]) => c >= 2).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const stemmed = [...stems.values()].reduce((s, x) => s + x, 0);
    if (major.length >= 2 || (major.length === 1 && major[0]![1] >= group.length / 2) || (group.length === 1 && group[0]!.stem)) {
      const keep = new Set(major.length ? major.map(([s]) => s) : [group[0]!.stem!]);
      const seeds = new Map(group.filter((n) => n.stem && keep.has(n.stem)).map((n) => [n.id, n.stem!]));
      const assigned = propagate(group, seeds, adj);
      for (const n of group) {
        const name = assigned.get(n.id)!;
        const agreement = stemmed ? (stems.get(name) ?? 0) / stemmed : 0.5;
        out.set(n.id, { name, source: 'inferred', confidence: n.stem === name ? Math.max(0.9, confidence(n, name, assigned, adj, agreement)) : confidence(n, name, assigned, adj, agreement) });
      }
      continue;
    }
    // 3. the most connected member names the group
    const anchor = [...group].sort((a, b) => weightOf(adj(b.id)) - weightOf(adj(a.id)) || a.name.localeCompare(b.name))[0]!;
    const name = anchor.stem ?? `app-${anchor.name.toLowerCase()}`;
    const assigned = new Map(group.map((n) => [n.id, name]));
    for (const n of group) out.set(n.id, { name, source: 'inferred', confidence: confidence(n, name, assigned, adj, group.length > 1 ? 0.7 : 0.3) });
  }
  disambiguate(nodes, grouping, out);
  return out;
}

/**
 * Groups named alike from hostnames (not labels) are one application only when they talk to each
 * other (Louvain can cut an application in two; a shared word in unrelated hostnames does not make
 * one application). Otherwise the larger keeps the name and the others get "-2", "-3".
 */
function disambiguate(nodes: readonly ClusterNode[], grouping: Grouping, out: Map<string, GroupAssignment>) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const segments = new Map<string, { key: string; name: string; members: string[]; labelled: boolean }>();
  for (const n of nodes) {
    const a = out.get(n.id)!;
    const seg = `${grouping.community.get(n.id)}\u0000${a.name}`;
    let s = segments.get(seg);
    if (!s) segments.set(seg, (s = { key: seg, name: a.name, members: [], labelled: false }));
    s.members.push(n.id);
    if (a.source === 'label') s.labelled = true;
  }
  const envOf = (members: readonly string[]) => {
    const c = new Map<string, number>();
    for (const id of members) {
      const e = byId.get(id)?.env;
      if (e) c.set(e, (c.get(e) ?? 0) + 1);
    }
    return [...c.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
  };
  const buckets = new Map<string, Array<{ name: string; members: string[]; labelled: boolean }>>();
  for (const s of segments.values()) {
    const k = `${s.name}\u0000${envOf(s.members)}`;
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = []));
    b.push(s);
  }
  for (const segs of buckets.values()) {
    if (segs.length < 2 || segs.some((s) => s.labelled)) continue;
    // connected components of segments
    const owner = new Map<string, number>();
    segs.forEach((s, i) => s.members.forEach((m) => owner.set(m, i)));
    const parent = segs.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    segs.forEach((s, i) => {
      for (const m of s.members) for (const peer of grouping.adjacency.get(m)?.keys() ?? []) {
        const j = owner.get(peer);
        if (j !== undefined) parent[find(i)] = find(j);
      }
    });
    const comps = new Map<number, string[]>();
    segs.forEach((s, i) => {
      const r = find(i);
      comps.set(r, [...(comps.get(r) ?? []), ...s.members]);
    });
    if (comps.size < 2) continue;
    const ordered = [...comps.values()].sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!));
    ordered.slice(1).forEach((members, i) => {
      for (const id of members) {
        const a = out.get(id)!;
        out.set(id, { ...a, name: `${a.name}-${i + 2}` });
      }
    });
  }
}

const weightOf = (m: Map<string, number>) => [...m.values()].reduce((s, x) => s + x, 0);

/**
 * Spread names from seeded members to the others along the strongest connections inside the
 * group; members no seed reaches join the largest name.
 */
function propagate(group: readonly ClusterNode[], seeds: Map<string, string>, adj: (id: string) => Map<string, number>): Map<string, string> {
  const assigned = new Map(seeds);
  const inGroup = new Set(group.map((n) => n.id));
  for (let round = 0; round < 20; round++) {
    let changed = false;
    for (const n of group) {
      if (seeds.has(n.id)) continue;
      const score = new Map<string, number>();
      for (const [peer, w] of adj(n.id)) {
        if (!inGroup.has(peer)) continue;
        const name = assigned.get(peer);
        if (name) score.set(name, (score.get(name) ?? 0) + w);
      }
      if (!score.size) continue;
      const best = [...score.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
      if (assigned.get(n.id) !== best) {
        assigned.set(n.id, best);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const sizes = new Map<string, number>();
  for (const name of assigned.values()) sizes.set(name, (sizes.get(name) ?? 0) + 1);
  const largest = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  for (const n of group) if (!assigned.has(n.id) && largest) assigned.set(n.id, largest);
  return assigned;
}

/** Share of a member's connection weight that stays inside its application, blended with how much the evidence agrees. */
function confidence(n: ClusterNode, name: string, assigned: Map<string, string>, adj: (id: string) => Map<string, number>, agreement: number): number {
  let inside = 0;
  let total = 0;
  for (const [peer, w] of adj(n.id)) {
    total += w;
    if (assigned.get(peer) === name) inside += w;
  }
  const strength = total > 0 ? inside / total : 0.3;
  return Math.round(Math.min(0.99, Math.max(0.05, 0.6 * strength + 0.4 * agreement)) * 100) / 100;
}
