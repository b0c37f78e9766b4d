// Folding the workload-level graph into what the map shows: environments, applications, roles
// and workloads as nested (compound) nodes, some expanded and some collapsed, with the edges
// between whatever represents each endpoint aggregated by lib's one folding rule
// (lib/analysis/fold.ts). The level type is lib's (lib/analysis/types.ts). Pure and synchronous, so that expanding,
// collapsing and filtering are instant and tested without a browser.
//
// Placement in the hierarchy:
//   regular applications:  env:<environment> > app:<id> > role:<app id>/<role> > w:<workload id>
//   shared core services:   zone:core > app:<id> > w:<id>        ("apart" from the applications)
//   jump hosts:             zone:management > app:<id> > w:<id>
//   scanners:               zone:scanners > app:<id> > w:<id>    (hidden unless asked for)
//   networks and addresses: zone:external > ep:<cidr or address>
import { foldEdge, startFold, type EdgeFold } from '../../lib/analysis/fold';
import type { EdgeFlags, Level, Periodicity } from '../../lib/analysis/types';
import { parsePortFilter, type PortRange } from '../../lib/flow/ports';
import { indexMap, type Chain, type MapIndex, type Zone } from '../../lib/read/map';
import type { MapData, MapEdge, MapWorkload } from '../data/map';
import { protocolNumber } from '../format';
import { count, endpointKindNote } from '../../lib/words';

export { indexMap, parsePortFilter, type MapIndex, type Zone };

export const LEVEL_DEPTH: Record<Level, number> = { environment: 1, application: 2, role: 3, workload: 4 };

export type NodeKind = 'zone' | 'env' | 'app' | 'role' | 'workload' | 'endpoint';

export const ZONE_LABELS: Record<Zone, string> = {
  core: 'Shared services',
  management: 'Management',
  scanners: 'Scanners (excluded from the graph)',
  external: 'External networks',
};

/** Tiers left to right inside an application: who calls whom, roughly. */
export const ROLE_ORDER = ['client', 'web', 'api', 'worker', 'queue', 'cache', 'db', 'core', 'management', 'unknown'];
export const roleRank = (r: string) => {
  const i = ROLE_ORDER.indexOf(r);
  return i === -1 ? ROLE_ORDER.length : i;
};

export interface MapFilters {
  /** environments to focus on */
  env: string[];
  /** application ids or names to focus on */
  app: string[];
  /** "key=value" labels a focused workload must all carry */
  labels: string[];
  /** workload ids whose neighbourhood alone is shown: they and what they talk to directly */
  around: string[];
  /** "tcp/443", "443", "udp/53", "8000-8100" */
  ports: string[];
  /** protocol names or numbers */
  protocols: string[];
  /** show shared core services and the edges to them */
  core: boolean;
  /** show networks, the internet and unknown addresses */
  external: boolean;
  /** show management paths (SSH, RDP, ... and jump hosts) */
  management: boolean;
  /** show the scanners the analysis excluded */
  scanners: boolean;
}

/** How many filters narrow the map (the Filters button's count, and whether the form opens). */
export const activeFilterCount = (f: MapFilters): number => f.env.length + f.app.length + f.labels.length + f.around.length + f.ports.length + f.protocols.length;

export const DEFAULT_FILTERS: MapFilters = { env: [], app: [], labels: [], around: [], ports: [], protocols: [], core: false, external: true, management: false, scanners: false };

export interface ViewOptions {
  level: Level;
  /** node ids expanded beyond the level */
  open: string[];
  /** node ids collapsed although the level would expand them */
  closed: string[];
  filters: MapFilters;
}

export interface ViewNode {
  id: string;
  /** short text drawn on the canvas */
  label: string;
  /** unambiguous text for lists and panels ("orders@prod · api", "environment prod") */
  title: string;
  kind: NodeKind;
  parent: string | null;
  /** 1 zone/env, 2 app, 3 role, 4 workload/endpoint */
  depth: number;
  /** a group drawn as one node */
  collapsed: boolean;
  /** a group (expanded or not) */
  group: boolean;
  /** workloads behind the node (shown ones) */
  workloads: number;
  zone: Zone | null;
  env: string | null;
  app: string | null;
  role: string | null;
  appKind: MapData['applications'][number]['kind'] | null;
  endpointKind: 'network' | 'internet' | 'address' | null;
  /** an application's enforcement state in its environment (null: not an application node) */
  enforcement: MapData['applications'][number]['enforcement'] | null;
  /** in focus of the env/app/label filters (or no such filter is set) */
  focus: boolean;
}

export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  /** "tcp/443" ... sorted */
  ports: string[];
  flows: number;
  bytes: number;
  failedFlows: number;
  /** workload-level edges folded into this one (indexes into MapData.edges) */
  members: number[];
  firstSeen: string;
  lastSeen: string;
  periodicity: Periodicity;
  flags: EdgeFlags;
}

export interface MapView {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** edges left out by the type toggles and filters */
  hidden: { core: number; management: number; external: number; filtered: number };
  /** edges folded inside one collapsed node, per node */
  internal: Record<string, number>;
  /** for each shown workload or endpoint, the node that represents it */
  rep: Record<string, string>;
}

export function isRoleNode(id: string) {
  return id.startsWith('role:');
}

/** The leaf id of a graph endpoint: a workload or a network/address. */
export const leafId = (endpoint: string, workloads: ReadonlyMap<string, unknown>) => (workloads.has(endpoint) ? `w:${endpoint}` : `ep:${endpoint}`);

function edgeMatchesPorts(e: MapEdge, ranges: PortRange[], protocols: number[]): boolean {
  if (protocols.length && !protocols.includes(e.protocol)) return false;
  if (!ranges.length) return true;
  return ranges.some((r) => (r.protocol === null || r.protocol === e.protocol) && e.port >= r.from && e.port <= r.to);
}

function endpointChain(id: string): Chain {
  return { ids: ['zone:external', `ep:${id}`], depths: [1, 4] };
}

export function buildView(ix: MapIndex, opts: ViewOptions): MapView {
  const { data, workloads, apps, endpoints } = ix;
  const f = opts.filters;
  const depthLimit = LEVEL_DEPTH[opts.level];
  const open = new Set(opts.open);
  const closed = new Set(opts.closed);
  const expanded = (id: string, depth: number) => open.has(id) || (depth < depthLimit && !closed.has(id));

  const chainOf = (endpoint: string): Chain | null => {
    if (workloads.has(endpoint)) return ix.chains.get(`w:${endpoint}`) ?? null;
    return endpointChain(endpoint);
  };
  const zoneHidden = (chain: Chain) => {
    const top = chain.ids[0]!;
    return (top === 'zone:core' && !f.core) || (top === 'zone:management' && !f.management) || (top === 'zone:scanners' && !f.scanners) || (top === 'zone:external' && !f.external);
  };

  // --- focus: env / app / label filters select workloads -------------------------------------
  const labelPairs = f.labels.map((l) => {
    const i = l.indexOf('=');
    return i === -1 ? [l, null] : [l.slice(0, i), l.slice(i + 1)];
  }) as Array<[string, string | null]>;
  const focusActive = f.env.length > 0 || f.app.length > 0 || labelPairs.length > 0 || f.around.length > 0;
  const inFocus = (id: string): boolean => {
    if (!focusActive) return true;
    const w = workloads.get(id);
    if (!w) return false;
    if (f.around.length && !f.around.includes(id)) return false;
    const app = w.app ? apps.get(w.app) : undefined;
    if (f.env.length && !f.env.includes(app?.env ?? w.env ?? '')) return false;
    if (f.app.length && !(w.app && (f.app.includes(w.app) || (app && f.app.includes(app.name))))) return false;
    for (const [k, v] of labelPairs) {
      const have = w.labels[k];
      if (have === undefined || (v !== null && have !== v)) return false;
    }
    return true;
  };

  // --- edges that pass the toggles and filters ------------------------------------------------
  const ranges = f.ports.map(parsePortFilter).filter((r): r is PortRange => r !== null);
  const protocols = f.protocols.map(protocolNumber).filter((p): p is number => p !== null);
  const edgeFilterActive = ranges.length > 0 || protocols.length > 0;
  const hidden = { core: 0, management: 0, external: 0, filtered: 0 };
  const kept: number[] = [];
  data.edges.forEach((e, i) => {
    if (e.flags.coreService && !f.core) return void hidden.core++;
    if (e.flags.management && !f.management) return void hidden.management++;
    if (e.flags.external && !f.external) return void hidden.external++;
    const cf = chainOf(e.from);
    const ct = chainOf(e.to);
    if (!cf || !ct) return void hidden.filtered++;
    if (zoneHidden(cf) || zoneHidden(ct)) {
      if (cf.ids[0] === 'zone:core' || ct.ids[0] === 'zone:core') hidden.core++;
      else if (cf.ids[0] === 'zone:management' || ct.ids[0] === 'zone:management') hidden.management++;
      else if (cf.ids[0] === 'zone:external' || ct.ids[0] === 'zone:external') hidden.external++;
      else hidden.filtered++;
      return;
    }
    if (!edgeMatchesPorts(e, ranges, protocols) || (focusActive && !inFocus(e.from) && !inFocus(e.to))) return void hidden.filtered++;
    kept.push(i);
  });

  // --- which leaves are shown ---------------------------------------------------------------
  const shown = new Set<string>();
  if (edgeFilterActive || focusActive) {
    for (const i of kept) {
      shown.add(data.edges[i]!.from);
      shown.add(data.edges[i]!.to);
    }
    if (focusActive && !edgeFilterActive) for (const w of data.workloads) if (w.app && inFocus(w.id) && !zoneHidden(ix.chains.get(`w:${w.id}`)!)) shown.add(w.id);
  } else {
    for (const w of data.workloads) {
      const c = ix.chains.get(`w:${w.id}`);
      if (c && !zoneHidden(c)) shown.add(w.id);
    }
    for (const i of kept) {
      shown.add(data.edges[i]!.from);
      shown.add(data.edges[i]!.to);
    }
  }

  // --- nodes: every shown leaf's chain down to its first collapsed node -----------------------
  const nodes = new Map<string, ViewNode>();
  const rep: Record<string, string> = {};
  for (const id of shown) {
    const chain = chainOf(id);
    if (!chain) continue;
    const w = workloads.get(id);
    const app = w?.app ? apps.get(w.app) : undefined;
    const focus = inFocus(id);
    let parent: string | null = null;
    for (let k = 0; k < chain.ids.length; k++) {
      const nid = chain.ids[k]!;
      const depth = chain.depths[k]!;
      const leaf = k === chain.ids.length - 1;
      const isOpen = !leaf && expanded(nid, depth);
      let n = nodes.get(nid);
      if (!n) {
        n = makeNode(nid, depth, parent, !leaf, !leaf && !isOpen, { w, app, endpoint: endpoints.get(id), id });
        nodes.set(nid, n);
      }
      n.workloads += w ? 1 : 0;
      if (focus) n.focus = true;
      if (leaf || !isOpen) {
        rep[id] = nid;
        break;
      }
      parent = nid;
    }
  }
  for (const n of nodes.values()) {
    if (!n.collapsed || ((n.kind === 'zone' || n.kind === 'env') && !n.workloads)) continue;
    n.label = `${n.label} (${n.workloads})`;
    n.title = `${n.title} (${n.workloads})`;
  }

  // --- edges between representatives ---------------------------------------------------------
  const agg = new Map<string, { source: string; target: string; fold: EdgeFold<string>; failedFlows: number; members: number[] }>();
  const internal: Record<string, number> = {};
  for (const i of kept) {
    const e = data.edges[i]!;
    const s = rep[e.from];
    const t = rep[e.to];
    if (!s || !t) continue;
    if (s === t) {
      internal[s] = (internal[s] ?? 0) + 1;
      continue;
    }
    const key = `${s}->${t}`;
    let a = agg.get(key);
    if (!a) {
      a = { source: s, target: t, fold: startFold(e), failedFlows: 0, members: [] };
      agg.set(key, a);
    }
    foldEdge(a.fold, e);
    a.failedFlows += e.failedFlows;
    a.members.push(i);
  }
  const edges: ViewEdge[] = [...agg.values()].map(({ source, target, fold: f, failedFlows, members }) => ({
    id: `e:${source}->${target}`,
    source,
    target,
    ports: [...f.portSet].sort(comparePorts),
    flows: f.flows,
    bytes: f.bytes,
    failedFlows,
    members,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    periodicity: f.periodicity,
    flags: f.flags,
  }));

  return { nodes: sortNodes([...nodes.values()]), edges, hidden, internal, rep };
}

function comparePorts(a: string, b: string): number {
  const [pa, na] = a.split('/');
  const [pb, nb] = b.split('/');
  return pa === pb ? Number(na ?? 0) - Number(nb ?? 0) : (pa ?? '').localeCompare(pb ?? '');
}

function makeNode(
  id: string,
  depth: number,
  parent: string | null,
  group: boolean,
  collapsed: boolean,
  ctx: { w?: MapWorkload; app?: MapData['applications'][number]; endpoint?: MapData['endpoints'][number]; id: string },
): ViewNode {
  const base: ViewNode = {
    id,
    label: id,
    title: id,
    kind: 'workload',
    parent,
    depth,
    collapsed,
    group,
    workloads: 0,
    zone: null,
    env: ctx.app?.env ?? ctx.w?.env ?? null,
    app: ctx.w?.app ?? null,
    role: null,
    appKind: ctx.app?.kind ?? null,
    endpointKind: null,
    enforcement: null,
    focus: false,
  };
  const [prefix, ...rest] = id.split(':');
  const name = rest.join(':');
  switch (prefix) {
    case 'zone':
      return { ...base, kind: 'zone', label: ZONE_LABELS[name as Zone], title: ZONE_LABELS[name as Zone], zone: name as Zone, app: null, env: null, appKind: null };
    case 'env':
      return { ...base, kind: 'env', label: name || 'No environment', title: name ? `environment ${name}` : 'no environment', app: null, appKind: null };
    case 'app':
      return { ...base, kind: 'app', label: ctx.app?.name ?? name, title: name, zone: zoneFromParent(parent), enforcement: ctx.app?.enforcement ?? null };
    case 'role': {
      const role = name.slice(name.lastIndexOf('/') + 1);
      return { ...base, kind: 'role', label: role, title: `${name.slice(0, name.lastIndexOf('/'))} · ${role}`, role };
    }
    case 'ep': {
      const e = ctx.endpoint;
      const label = e ? (e.kind === 'network' ? `${e.name} ${e.id}` : e.kind === 'internet' ? `internet ${e.id === '::/0' ? '(IPv6)' : '(IPv4)'}` : e.name) : ctx.id;
      return { ...base, kind: 'endpoint', label, title: label, endpointKind: e?.kind ?? 'address', zone: 'external', app: null, env: null, appKind: null };
    }
    default:
      return { ...base, kind: 'workload', label: ctx.w?.name ?? name, title: ctx.w?.name ?? name, role: ctx.w?.role ?? null, zone: zoneFromParent(parent) };
  }
}

function zoneFromParent(parent: string | null): Zone | null {
  return parent?.startsWith('zone:') ? (parent.slice(5) as Zone) : null;
}

/** Parents before children, siblings in a stable order. */
function sortNodes(nodes: ViewNode[]): ViewNode[] {
  return nodes.sort((a, b) => a.depth - b.depth || a.id.localeCompare(b.id));
}

/** The ancestors of a leaf that must be open for it to be drawn on its own (for search). */
export function ancestorsOf(ix: MapIndex, leaf: string): string[] {
  if (leaf.startsWith('w:')) return ix.chains.get(leaf)?.ids.slice(0, -1) ?? [];
  if (leaf.startsWith('ep:')) return ['zone:external'];
  if (leaf.startsWith('role:')) {
    const appId = leaf.slice(5, leaf.lastIndexOf('/'));
    const app = ix.apps.get(appId);
    return [`env:${app?.env ?? ''}`, `app:${appId}`];
  }
  if (leaf.startsWith('app:')) {
    const app = ix.apps.get(leaf.slice(4));
    if (!app) return [];
    const zone = app.kind === 'core-service' ? 'core' : app.kind === 'management' ? 'management' : app.kind === 'scanner' ? 'scanners' : null;
    return [zone ? `zone:${zone}` : `env:${app.env ?? ''}`];
  }
  return [];
}

export interface SearchHit {
  /** the leaf or group node to show */
  id: string;
  label: string;
  detail: string;
}

/** Workloads (by name, address, label value), applications and networks matching a search. */
export function searchMap(ix: MapIndex, q: string, limit = 12): SearchHit[] {
  const s = q.trim().toLowerCase();
  if (!s) return [];
  const hits: Array<SearchHit & { score: number }> = [];
  for (const a of ix.data.applications) {
    const n = a.name.toLowerCase();
    if (n.includes(s) || a.id.toLowerCase().includes(s)) hits.push({ id: `app:${a.id}`, label: a.id, detail: `application · ${count(a.members, 'workload')}`, score: n === s ? 0 : n.startsWith(s) ? 1 : 3 });
  }
  for (const w of ix.data.workloads) {
    if (!w.app) continue;
    const n = w.name.toLowerCase();
    const addr = w.addresses.find((x) => x.startsWith(s));
    const label = Object.entries(w.labels).find(([, v]) => v.toLowerCase() === s);
    if (n.includes(s) || addr || label) {
      hits.push({ id: `w:${w.id}`, label: w.name, detail: addr ? `workload · ${addr}` : label ? `workload · ${label[0]}=${label[1]}` : `workload · ${w.role} in ${w.app}`, score: n === s ? 0 : n.startsWith(s) ? 2 : 4 });
    }
  }
  for (const e of ix.data.endpoints) {
    if (e.name.toLowerCase().includes(s) || e.id.startsWith(s)) hits.push({ id: `ep:${e.id}`, label: e.name, detail: [endpointKindNote(e), e.id].filter(Boolean).join(' · '), score: 3 });
  }
  return hits
    .sort((a, b) => a.score - b.score || a.label.localeCompare(b.label))
    .slice(0, limit)
    .map(({ score: _s, ...h }) => h);
}
