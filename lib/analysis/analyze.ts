// analyze(): the application dependency graph of a window. The heavy part (identity by time,
// aggregation, scanners, noise, networks) is one ClickHouse query (./edges.ts); what comes back
// is one row per dependency, and the rest happens here on that small graph:
//
//   edges -> periodicity -> candidate core services and management stations (./services.ts)
//   -> communities without them (./cluster.ts) -> confirm core services that span applications
//   -> communities again -> environments (./environments.ts) -> application names and
//   confidences -> roles (./roles.ts) -> edge flags -> coverage and convergence (./coverage.ts)
import type { Db } from '../db';
import { loadDeclinedNetworkCidrs, loadNamedNetworks } from '../identity/networks';
import type { Store } from '../store';
import { assignApplications } from './applications';
import { suggestClientNetworks } from './client-networks';
import { communities, type ClusterNode } from './cluster';
import { coverageOf, daysWithData, parseChTime, querySources, sourceCoverage } from './coverage';
import { queryEdges, type EdgeRow } from './edges';
import { inferEnvironments } from './environments';
import { canonicalEnv, nameHints, type NameHints } from './names';
import { classifyPeriodicity } from './periodicity';
import { inferRoles, portCategory, refineRoles } from './roles';
import { findCandidates, isManagementPort, MANAGEMENT_PORTS, portKey, type Hub } from './services';
import type {
  AnalysisApplication,
  AnalysisEdge,
  AnalysisEndpoint,
  AnalysisResult,
  AnalysisStep,
  AnalysisWorkload,
  AnalyzeOptions,
  Role,
  Scanner,
  ValueSource,
} from './types';
import { DAY_MS, periodicityWindow, resolveWindow } from './window';
import { portName, protocolName } from '../flow/record';

export interface AnalysisStores {
  store: Store;
  /** the runtime's database (its Prisma client is used) */
  db: { prisma: Db };
}

const STEPS: AnalysisStep[] = ['coverage', 'edges', 'inventory', 'services', 'clustering', 'roles', 'convergence'];

interface InventoryWorkload {
  id: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  /** label keys a person decided (set by hand, or a confirmed suggestion): they win over structure */
  decided: Set<string>;
  addresses: string[];
}

export async function analyze(rt: AnalysisStores, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const { store } = rt;
  const db = rt.db.prisma;
  const timings: Record<string, number> = {};
  let t = performance.now();
  /** a step is done: record its time and report progress */
  const step = (done: AnalysisStep) => {
    const now = performance.now();
    timings[done] = Math.round(now - t);
    t = now;
    opts.onStep?.(done, STEPS.indexOf(done) + 1, STEPS.length);
  };
  const t0 = performance.now();
  const window = resolveWindow({ from: opts.from, to: opts.to, days: opts.days });
  const pwindow = periodicityWindow(window, opts.periodicityDays);
  const useLabels = opts.useLabels ?? true;
  const useNames = opts.useNames ?? true;
  const seed = opts.seed ?? 1;

  const sourceRows = await querySources(store, window);
  step('coverage');
  const q = await queryEdges(store, window, pwindow);
  step('edges');

  // --- inventory: workloads that held an address in the window or appear in an edge ---------
  const inventory = await loadInventory(db, window, q.edges, q.scanners.map((s) => s.ckey));
  const named = new Map<string, { name: string; kind: string }>();
  for (const n of await loadNamedNetworks(db)) for (const c of n.cidrs) named.set(c, { name: n.name, kind: n.kind });
  const declined = await loadDeclinedNetworkCidrs(db);
  const isWorkload = (id: string) => inventory.has(id);

  // --- edges ------------------------------------------------------------------------------
  const wDay0 = Math.floor((Math.floor(window.from.getTime() / DAY_MS) * DAY_MS - q.dayZero) / DAY_MS);
  const endpointAddrs = new Map<string, number>();
  const endpoint = (key: string, addrs: number) => {
    if (key.startsWith('w:')) return key.slice(2);
    // an endpoint that is one address counts 1; a network counts its distinct addresses
    endpointAddrs.set(key, Math.max(endpointAddrs.get(key) ?? 1, addrs));
    return key;
  };
  // when each edge was first seen over the whole periodicity span (for convergence)
  const firstEver: Date[] = q.edges.map((r) => new Date(q.dayZero + Math.min(...r.days) * DAY_MS));
  const edges: AnalysisEdge[] = q.edges.map((r: EdgeRow) => ({
    from: endpoint(r.ckey, r.c_addresses),
    to: endpoint(r.skey, r.s_addresses),
    protocol: r.protocol,
    port: r.port,
    flows: r.flows,
    bytes: r.bytes_c2s + r.bytes_s2c,
    packets: r.packets,
    bytesToServer: r.bytes_c2s,
    bytesToClient: r.bytes_s2c,
    firstSeen: parseChTime(r.first_seen),
    lastSeen: parseChTime(r.last_seen),
    activeHours: r.active_hours,
    activeDays: r.days.filter((d) => d >= wDay0).length,
    periodicity: classifyPeriodicity({ days: r.days, hoursOfDay: bitsOf(r.hods), activeHours: r.active_hours }),
    flags: { coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false },
    service: null,
    failedFlows: r.failed_flows,
    fromScanner: r.from_sweeper === 1,
    fromNetwork: null,
  }));
  // a workload that no longer exists in inventory still appears under its id
  for (const e of edges) {
    for (const id of [e.from, e.to]) {
      if (!inventory.has(id) && !endpointAddrs.has(id)) inventory.set(id, { id, name: id, kind: 'unknown', labels: {}, decided: new Set(), addresses: [] });
    }
  }
  step('inventory');

  // --- core services and management ---------------------------------------------------------
  const active = new Set<string>();
  for (const e of edges) {
    if (isWorkload(e.from)) active.add(e.from);
    if (isWorkload(e.to)) active.add(e.to);
  }
  const cand = findCandidates(edges, isWorkload, active.size);
  // A sweeping source is a scanner, all of it, unless what it keeps besides its probes makes it
  // a shared service or a management station (a monitoring server whose discovery job also pings
  // every address, a jump host from which someone pinged a subnet): then only its probes are set
  // apart.
  const scanners: Scanner[] = q.scanners.map((s) => {
    const wid = s.ckey.startsWith('w:') ? s.ckey.slice(2) : null;
    return {
      id: wid ?? s.ckey,
      name: wid ? (inventory.get(wid)?.name ?? wid) : s.ckey,
      workloadId: wid,
      targets: s.targets,
      hosts: s.hosts,
      ports: s.ports,
      failedRatio: s.targets ? Math.round((s.failed_targets / s.targets) * 1000) / 1000 : 0,
      flows: s.flows,
      firstSeen: parseChTime(s.first_seen),
      lastSeen: parseChTime(s.last_seen),
      reason: s.reason,
      scope: wid && (cand.hubs.has(wid) || cand.stations.has(wid)) ? 'probes' : 'source',
    };
  });
  const scannerIds = new Set(scanners.flatMap((s) => (s.workloadId && s.scope === 'source' ? [s.workloadId] : [])));
  const scannerName = scannerNameOf(scanners);
  const scannerAddrs = new Set(scanners.flatMap((s) => (s.workloadId ? [] : [s.id])));
  for (const e of edges) e.fromScanner = e.fromScanner && (scannerIds.has(e.from) || scannerAddrs.has(e.from));
  const stations = cand.stations;
  const managementEdge = (e: AnalysisEdge) => isManagementPort(e.protocol, e.port) || stations.has(e.from);
  const hints = new Map<string, NameHints>();
  for (const w of inventory.values()) hints.set(w.id, useNames ? nameHints(w.name) : { stem: null, role: null, env: null });
  const appLabel = (id: string) => (useLabels ? (inventory.get(id)?.labels.app ?? null) : null);
  const clusterNode = (id: string): ClusterNode => ({ id });
  const envs = inferEnvironments(
    [...inventory.values()].map((w) => ({ id: w.id, label: useLabels ? (w.labels.env ?? null) : null, hint: hints.get(w.id)?.env ?? null, addresses: w.addresses })),
  );
  // an application lives in one environment: an edge between two environments binds nothing
  const envKey = (id: string) => {
    const e = envs.get(id)?.env;
    return e ? canonicalEnv(e) : null;
  };
  const crossEnvironment = (e: AnalysisEdge) => {
    const a = envKey(e.from);
    const b = envKey(e.to);
    return a !== null && b !== null && a !== b;
  };
  const structural = (exclude: (id: string) => boolean) =>
    edges.filter((e) => isWorkload(e.from) && isWorkload(e.to) && !managementEdge(e) && !crossEnvironment(e) && !exclude(e.from) && !exclude(e.to));

  // pass 1: communities without any candidate, to see whose peers span applications
  const special = (id: string) => stations.has(id) || scannerIds.has(id);
  const pass1Nodes = [...active].filter((id) => !special(id) && !cand.hubs.has(id)).map(clusterNode);
  const pass1 = communities(pass1Nodes, structural((id) => special(id) || cand.hubs.has(id)), seed);
  const ownsData = new Set(edges.filter((e) => isWorkload(e.to) && !cand.hubs.has(e.to) && !managementEdge(e) && ['db', 'cache', 'queue'].includes(portCategory(e.port))).map((e) => e.from));
  const hubs = new Map<string, Hub>();
  for (const h of cand.hubs.values()) {
    const counts = new Map<number, number>();
    for (const p of h.peers) {
      const c = pass1.community.get(p);
      if (c !== undefined) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const total = [...counts.values()].reduce((s, x) => s + x, 0);
    const largest = Math.max(0, ...counts.values());
    // a port that names infrastructure needs less to show it is shared
    const known = h.kind !== 'shared';
    if (!(counts.size >= (known ? 2 : 3) && largest / total < (known ? 0.8 : 0.6))) continue;
    // an API many applications call is still its application's tier when it keeps data stores of
    // its own (pay's API calls pay's database); infrastructure of no known kind does not, nor does
    // a proxy (an API tier that calls several internet services looks like one otherwise)
    if ((!known || h.kind === 'proxy') && h.direction === 'in' && ownsData.has(h.id)) continue;
    hubs.set(h.id, h);
  }
  for (const e of edges) {
    const hin = hubs.get(e.to);
    const hout = hubs.get(e.from);
    const k = portKey(e.protocol, e.port);
    if (hin && hin.direction === 'in' && hin.ports.has(k)) {
      e.flags.coreService = true;
      e.service = hin.kind;
    } else if (hout && hout.direction === 'out' && hout.ports.has(k)) {
      e.flags.coreService = true;
      e.service = hout.kind;
    }
    e.flags.management = managementEdge(e);
    e.flags.external = !isWorkload(e.from) || !isWorkload(e.to);
  }
  step('services');

  // --- applications ----------------------------------------------------------------------------
  const isSpecial = (id: string) => special(id) || hubs.has(id);
  const regular = [...inventory.keys()].filter((id) => !isSpecial(id));
  const pass2 = communities(regular.map(clusterNode), structural(isSpecial), seed);
  const found = assignApplications(
    regular.map((id) => {
      const w = inventory.get(id)!;
      return { id, name: w.name, label: appLabel(id), labelDecided: useLabels && w.decided.has('app'), stem: hints.get(id)?.stem ?? null, env: envs.get(id)! };
    }),
    pass2,
    labelsOutside([...inventory.keys()].filter(isSpecial).map(appLabel)),
  );

  interface Assigned {
    name: string;
    source: ValueSource;
    confidence: number;
    kind: AnalysisApplication['kind'];
    env: string | null;
    envSource: ValueSource;
  }
  const assigned = new Map<string, Assigned>();
  for (const id of regular) {
    const n = found.byNode.get(id)!;
    assigned.set(id, { name: n.name, source: n.source, confidence: n.confidence, kind: 'application', env: n.env, envSource: n.envSource });
  }
  const specials = [...inventory.keys()].filter(isSpecial);
  const behaviourName = (id: string) => (hubs.has(id) ? hubName(hubs.get(id)!) : stations.has(id) ? stationName(id, edges) : scannerName(id));
  // a tag that names another kind of service (a WSUS server tagged app=monitoring) must not join
  // the service that kind names: the untagged one keeps apart
  const taggedAs = new Map<string, Set<string>>();
  for (const id of specials) {
    const l = appLabel(id);
    if (l) taggedAs.set(l, new Set([...(taggedAs.get(l) ?? []), behaviourName(id)]));
  }
  for (const id of specials) {
    const kind: Assigned['kind'] = hubs.has(id) ? 'core-service' : stations.has(id) ? 'management' : 'scanner';
    const own = behaviourName(id);
    const fallback = taggedAs.has(own) && !taggedAs.get(own)!.has(own) ? `${own}-2` : own;
    const label = appLabel(id);
    const strength = hubs.has(id) ? Math.min(0.99, 0.6 + hubs.get(id)!.peers.size / (4 * Math.max(1, active.size))) : 0.9;
    const env = envs.get(id)!;
    const where = { env: env.env, envSource: env.source };
    assigned.set(id, label ? { name: label, source: 'label', confidence: 1, kind, ...where } : { name: fallback, source: 'inferred', confidence: Math.round(strength * 100) / 100, kind, ...where });
  }
  joinSatellites(regular, edges, stations, isSpecial, assigned);
  const appId = (id: string) => {
    const a = assigned.get(id)!;
    return a.env ? `${a.name}@${a.env}` : a.name;
  };
  const appEvidence = new Map(found.applications.map((a) => [a.id, a.evidence]));
  const clients = suggestClientNetworks({
    edges: edges.map((e) => ({ from: e.from, to: e.to, protocol: e.protocol, port: e.port, flows: e.flows, coreService: e.flags.coreService })),
    candidate: (id) => endpointAddrs.has(id) && !id.includes('/') && !scannerAddrs.has(id),
    serverGroup: (id) => (isWorkload(id) ? appId(id) : id),
    workloadAddresses: [...inventory.values()].flatMap((w) => w.addresses),
    namedCidrs: [...named.keys(), ...declined],
  });
  for (const e of edges) e.fromNetwork = clients.byAddress.get(e.from) ?? null;
  const specialEvidence = (id: string) => {
    const h = hubs.get(id);
    if (h) return `behaviour: ${h.peers.size} workloads of at least three applications ${h.direction === 'in' ? 'use it' : 'are reached by it'} on ${[...h.ports].join(', ')}`;
    if (stations.has(id)) return 'behaviour: opens management sessions to many workloads';
    return 'behaviour: sweeps many hosts (coverage.excluded.scanners)';
  };
  step('clustering');

  // --- roles ----------------------------------------------------------------------------------
  const roleEdges = edges.filter((e) => !e.flags.coreService && !e.flags.management);
  const roleHints = new Map<string, Role | null>([...hints].map(([id, h]) => [id, h.role]));
  const guesses = inferRoles(regular, roleEdges, isWorkload, roleHints);
  const tiers = refineRoles(regular, roleEdges, guesses, appId);

  // --- edges between applications and environments ----------------------------------------------
  for (const e of edges) {
    if (e.flags.external) continue;
    e.flags.crossApplication = appId(e.from) !== appId(e.to);
    const ea = assigned.get(e.from)?.env;
    const eb = assigned.get(e.to)?.env;
    e.flags.crossEnvironment = Boolean(ea && eb && canonicalEnv(ea) !== canonicalEnv(eb));
  }
  step('roles');

  // --- assemble -----------------------------------------------------------------------------------
  const serves = new Map<string, Set<string>>();
  const degree = new Map<string, number>();
  for (const e of edges) {
    let s = serves.get(e.to);
    if (!s) serves.set(e.to, (s = new Set()));
    s.add(portName(e.protocol, e.port));
    degree.set(e.from, (degree.get(e.from) ?? 0) + 1);
    degree.set(e.to, (degree.get(e.to) ?? 0) + 1);
  }
  const workloads: AnalysisWorkload[] = [];
  for (const w of inventory.values()) {
    const a = assigned.get(w.id)!;
    const roleLabel = useLabels ? w.labels.role : undefined;
    const g = guesses.get(w.id);
    const role: string = roleLabel ?? (hubs.has(w.id) ? 'core' : stations.has(w.id) ? 'management' : scannerIds.has(w.id) ? 'scanner' : (tiers.get(w.id) ?? g?.role ?? 'unknown'));
    workloads.push({
      id: w.id,
      name: w.name,
      kind: w.kind,
      addresses: w.addresses,
      labels: w.labels,
      application: appId(w.id),
      applicationSource: a.source,
      confidence: a.confidence,
      role,
      roleSource: roleLabel ? 'label' : 'inferred',
      roleConfidence: roleLabel ? 1 : isSpecial(w.id) ? a.confidence : (g?.confidence ?? 0),
      environment: a.env,
      environmentSource: a.envSource,
      coreService: hubs.get(w.id)?.kind ?? null,
      management: stations.has(w.id),
      scanner: scannerIds.has(w.id),
      serves: [...(serves.get(w.id) ?? [])].sort(),
      degree: degree.get(w.id) ?? 0,
    });
  }
  workloads.sort((a, b) => cmp(a.name, b.name));

  const apps = new Map<string, AnalysisApplication & { total: number; labelled: number }>();
  for (const w of workloads) {
    const id = w.application!;
    const a = assigned.get(w.id)!;
    let app = apps.get(id);
    if (!app) {
      const evidence = appEvidence.get(id) ?? [specialEvidence(w.id)];
      app = { id, name: a.name, environment: w.environment, members: [], source: 'label', confidence: 0, kind: a.kind, roles: {}, evidence, total: 0, labelled: 0 };
      apps.set(id, app);
    }
    app.members.push(w.id);
    app.total += w.confidence;
    if (a.source === 'label') app.labelled++;
    app.roles[w.role] = (app.roles[w.role] ?? 0) + 1;
  }
  const applications: AnalysisApplication[] = [...apps.values()]
    .map(({ total, labelled, ...app }) => ({ ...app, source: labelled === app.members.length ? 'label' : 'inferred', confidence: Math.round((total / app.members.length) * 100) / 100 }) as AnalysisApplication)
    .sort((a, b) => cmp(a.id, b.id));

  const endpoints: AnalysisEndpoint[] = [...endpointAddrs].map(([id, addresses]) => {
    if (id === '0.0.0.0/0' || id === '::/0') return { id, kind: 'internet', name: 'internet', networkKind: named.get(id)?.kind ?? 'internet', addresses };
    const n = named.get(id);
    if (n) return { id, kind: 'network', name: n.name, networkKind: n.kind, addresses };
    return { id, kind: 'address', name: id, networkKind: null, addresses };
  });
  endpoints.sort((a, b) => cmp(a.id, b.id));

  const sources = sourceCoverage(sourceRows, window);
  const coverage = coverageOf(
    window,
    sources,
    daysWithData(sourceRows, window),
    firstEver,
    { scanners, ephemeralConversations: q.noise.conversations, ephemeralFlows: q.noise.flows },
    { workloads: inventory.size, bindings: [...inventory.values()].filter((w) => w.addresses.length).length },
  );
  edges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || a.protocol - b.protocol || a.port - b.port);
  step('convergence');
  timings.total = Math.round(performance.now() - t0);
  return {
    window,
    periodicityWindow: pwindow,
    coverage,
    workloads,
    applications,
    endpoints,
    edges,
    clientNetworks: clients.networks,
    options: { useLabels, useNames, seed },
    timings,
    computedAt: new Date(),
  };
}

/**
 * A shared service's application: its kind (DNS servers together, the package mirror with WSUS),
 * or for a service of no known kind its ports (the mail relay and the Puppet master are two).
 */
function hubName(h: Hub): string {
  if (h.kind !== 'shared') return h.kind;
  const ports = [...h.ports].map((k) => k.split('/').map(Number) as [number, number]).sort((a, b) => a[1] - b[1]);
  return `shared-${ports.slice(0, 2).map(([p, n]) => `${protocolName(p)}-${n}`).join('-')}`;
}

/** Scanners by what they do: vulnerability scanners apart from discovery tools that ping every address. */
function scannerNameOf(scanners: readonly Scanner[]) {
  return (id: string) => {
    const reason = scanners.find((s) => s.workloadId === id)?.reason;
    return reason === 'ping-sweep' || reason === 'dark-sweep' ? 'network-discovery' : 'scanners';
  };
}

/** How many workloads bear each app label value. */
function labelsOutside(labels: ReadonlyArray<string | null>): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of labels) if (l) out.set(l, (out.get(l) ?? 0) + 1);
  return out;
}

/**
 * Jump hosts, automation and hypervisor managers are all management stations; people open
 * sessions now and then, automation runs on a clock (every night), a hypervisor manager talks to
 * its hosts all the time. Each is its own application.
 */
const VIRTUALIZATION = new Set(['vmware', 'proxmox', 'libvirt']);

function stationName(id: string, edges: readonly AnalysisEdge[]): string {
  const mine = edges.filter((e) => e.from === id && e.flags.management);
  // a hypervisor manager (vCenter on 902, Proxmox, libvirt) manages machines, not people's sessions
  const virtual = mine.filter((e) => VIRTUALIZATION.has(MANAGEMENT_PORTS.get(e.port) ?? '')).length;
  if (virtual * 2 > mine.length) return 'virtualization';
  // sessions in business hours read as continuous; a clock runs at the same hours every day
  const scheduled = mine.filter((e) => e.periodicity === 'daily').length;
  return mine.length && scheduled * 2 > mine.length ? 'automation' : 'management';
}

/**
 * A workload alone in its application whose own traffic is all with one application is part of
 * it: a batch worker that only reads its application's database at night, the backup server's
 * storage, the hypervisors vCenter manages. Shared services everyone uses and jump hosts'
 * sessions say nothing of belonging; a shared service's client is not its member, only what it
 * reaches is.
 */
function joinSatellites(
  regular: readonly string[],
  edges: readonly AnalysisEdge[],
  stations: ReadonlySet<string>,
  isSpecial: (id: string) => boolean,
  assigned: Map<string, { name: string; source: ValueSource; confidence: number; kind: AnalysisApplication['kind']; env: string | null; envSource: ValueSource }>,
): void {
  const key = (a: { name: string; env: string | null }) => `${a.name}\u0000${a.env}`;
  const size = new Map<string, number>();
  for (const a of assigned.values()) size.set(key(a), (size.get(key(a)) ?? 0) + 1);
  const peers = new Map<string, Set<string>>();
  for (const e of edges) {
    // people's sessions from a jump host say nothing; a manager that is always on (vCenter) does
    if (e.flags.coreService || e.fromScanner || e.flags.external || (stations.has(e.from) && e.periodicity !== 'continuous')) continue;
    for (const [a, b] of [[e.from, e.to], [e.to, e.from]] as const) {
      // using a shared service does not make its client a part of it
      if (a === e.from && isSpecial(b)) continue;
      let s = peers.get(a);
      if (!s) peers.set(a, (s = new Set()));
      s.add(b);
    }
  }
  for (const id of regular) {
    const a = assigned.get(id)!;
    if (a.source === 'label' || size.get(key(a)) !== 1) continue;
    const with_ = [...(peers.get(id) ?? [])].map((p) => assigned.get(p)).filter((x) => x !== undefined);
    if (!with_.length || new Set(with_.map(key)).size !== 1) continue;
    const host = with_[0]!;
    assigned.set(id, { ...a, name: host.name, env: host.env, envSource: 'inferred', kind: host.kind, confidence: Math.min(a.confidence, 0.7) });
  }
}

/** Plain code-unit order: stable across machines and much cheaper than localeCompare on large lists. */
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The set bits of a mask (hours of the day). */
const bitsOf = (mask: number) => Array.from({ length: 24 }, (_, h) => h).filter((h) => (mask >>> h) & 1);

async function loadInventory(db: Db, w: { from: Date; to: Date }, edges: readonly EdgeRow[], scannerKeys: readonly string[]): Promise<Map<string, InventoryWorkload>> {
  const overlap = { validFrom: { lt: w.to }, OR: [{ validTo: null }, { validTo: { gt: w.from } }] };
  const rows = await db.workload.findMany({
    where: { addresses: { some: overlap } },
    select: { id: true, name: true, kind: true, labels: { select: { key: true, value: true, source: true, confirmed: true } }, addresses: { where: overlap, select: { ip: true } } },
  });
  const out = new Map<string, InventoryWorkload>();
  const add = (r: (typeof rows)[number]) => {
    const labels: Record<string, string> = {};
    const decided = new Set<string>();
    // unconfirmed suggestions are not facts: they never feed back into inference
    for (const l of r.labels) {
      if (l.source === 'inferred' && !l.confirmed) continue;
      labels[l.key] = l.value;
      if (l.source !== 'inventory') decided.add(l.key);
    }
    out.set(r.id, { id: r.id, name: r.name, kind: r.kind, labels, decided, addresses: [...new Set(r.addresses.map((a) => a.ip))].sort() });
  };
  for (const r of rows) add(r);
  const missing = new Set<string>();
  for (const e of edges) for (const k of [e.ckey, e.skey]) if (k.startsWith('w:') && !out.has(k.slice(2))) missing.add(k.slice(2));
  for (const k of scannerKeys) if (k.startsWith('w:') && !out.has(k.slice(2))) missing.add(k.slice(2));
  const ids = [...missing];
  for (let i = 0; i < ids.length; i += 500) {
    const more = await db.workload.findMany({
      where: { id: { in: ids.slice(i, i + 500) } },
      select: { id: true, name: true, kind: true, labels: { select: { key: true, value: true, source: true, confirmed: true } }, addresses: { where: overlap, select: { ip: true } } },
    });
    for (const r of more) add(r);
  }
  return out;
}
