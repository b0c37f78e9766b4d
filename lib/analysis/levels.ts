// The graph at four levels: environment, application, role (the tiers of each application) and
// workload. Higher levels fold workload edges between the same two nodes into one edge that
// keeps the ports, the totals and the most regular rhythm (./fold.ts); endpoints that are not workloads
// (networks, the internet, addresses) stay themselves at every level.
import { cmp } from './assemble';
import { foldEdge, startFold, type EdgeFold } from './fold';
import type { AnalysisResult, AnalysisWorkload, Level, LevelEdge, LevelGraph, LevelNode } from './types';

export interface LevelOptions {
  /** keep only edges that touch this application id (and the nodes they reach) */
  application?: string;
  /** leave out edges to and from shared core services */
  hideCoreServices?: boolean;
  /** leave out management sessions */
  hideManagement?: boolean;
}

function nodeOf(level: Level, w: AnalysisWorkload, appName: Map<string, string>): LevelNode {
  const app = w.application;
  switch (level) {
    case 'workload':
      return { id: w.id, label: w.name, kind: 'workload', application: app, environment: w.environment, role: w.role, workloads: 1, coreService: w.coreService };
    case 'role': {
      const id = `${app ?? '(none)'}/${w.role}`;
      return { id, label: `${appName.get(app ?? '') ?? app ?? 'no application'} ${w.role}`, kind: 'role', application: app, environment: w.environment, role: w.role, workloads: 1, coreService: w.coreService };
    }
    case 'application':
      return { id: app ?? `(none)/${w.id}`, label: appName.get(app ?? '') ?? w.name, kind: 'application', application: app, environment: w.environment, role: null, workloads: 1, coreService: w.coreService };
    case 'environment': {
      const env = w.environment ?? '(unknown)';
      return { id: `env:${env}`, label: env, kind: 'environment', application: null, environment: w.environment, role: null, workloads: 1, coreService: null };
    }
  }
}

export function graphAtLevel(r: AnalysisResult, level: Level, opts: LevelOptions = {}): LevelGraph {
  const appName = new Map(r.applications.map((a) => [a.id, a.environment ? `${a.name} (${a.environment})` : a.name]));
  const nodes = new Map<string, LevelNode>();
  const nodeOfWorkload = new Map<string, string>();
  for (const w of r.workloads) {
    const n = nodeOf(level, w, appName);
    const prior = nodes.get(n.id);
    if (prior) {
      prior.workloads++;
      if (prior.coreService !== n.coreService) prior.coreService = prior.coreService ?? n.coreService;
    } else nodes.set(n.id, n);
    nodeOfWorkload.set(w.id, n.id);
  }
  const endpointNodes = new Map<string, LevelNode>();
  for (const e of r.endpoints) {
    endpointNodes.set(e.id, { id: e.id, label: e.name, kind: e.kind, application: null, environment: null, role: null, workloads: 0, coreService: null });
  }
  const appOf = new Map(r.workloads.map((w) => [w.id, w.application]));
  const edges = new Map<string, { from: string; to: string; fold: EdgeFold<Date> }>();
  const used = new Set<string>();
  for (const e of r.edges) {
    if (opts.hideCoreServices && e.flags.coreService) continue;
    if (opts.hideManagement && e.flags.management) continue;
    if (opts.application && appOf.get(e.from) !== opts.application && appOf.get(e.to) !== opts.application) continue;
    const from = nodeOfWorkload.get(e.from) ?? e.from;
    const to = nodeOfWorkload.get(e.to) ?? e.to;
    used.add(from);
    used.add(to);
    const key = `${from}\u0000${to}`;
    let le = edges.get(key);
    if (!le) {
      le = { from, to, fold: startFold(e) };
      edges.set(key, le);
    }
    foldEdge(le.fold, e);
  }
  const outNodes: LevelNode[] = [];
  for (const n of nodes.values()) if (!opts.application || used.has(n.id)) outNodes.push(n);
  for (const n of endpointNodes.values()) if (used.has(n.id)) outNodes.push(n);
  outNodes.sort((a, b) => cmp(a.id, b.id));
  const outEdges: LevelEdge[] = [...edges.values()].map(({ from, to, fold: { portSet, ...f } }) => ({ from, to, ports: [...portSet].sort(), ...f }));
  outEdges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
  return { level, window: r.window, nodes: outNodes, edges: outEdges };
}
