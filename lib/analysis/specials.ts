// The workloads that are not an ordinary application's member, found by behaviour: scanners
// (sweeping sources), management stations (jump hosts, automation, hypervisor managers) and
// shared core services (candidates from ./services.ts confirmed when their peers span
// applications, seen through a first clustering without any candidate). findServices is the
// analysis' "services" step; it also sets the edges' coreService, service, management,
// external and fromScanner fields, which every later step reads.
import { protocolName } from '../flow/record';
import { canonicalEnv, nameHints, type NameHints } from './names';
import { communities, type ClusterNode } from './cluster';
import type { ScannerRow } from './edges';
import { inferEnvironments, type EnvValue } from './environments';
import type { InventoryWorkload } from './inventory';
import { portCategory } from './roles';
import { findCandidates, isManagementPort, MANAGEMENT_PORTS, portKey, type Hub, type ServiceCandidates } from './services';
import type { AnalysisEdge, Scanner } from './types';
import { parseChTime } from './coverage';

export interface Services {
  /** workloads with at least one edge */
  active: Set<string>;
  scanners: Scanner[];
  /** workloads that are scanners as a whole (scope 'source') */
  scannerIds: Set<string>;
  /** outside scanning addresses */
  scannerAddrs: Set<string>;
  stations: Set<string>;
  /** confirmed shared core services */
  hubs: Map<string, Hub>;
  hints: Map<string, NameHints>;
  envs: Map<string, EnvValue>;
  managementEdge: (e: AnalysisEdge) => boolean;
  /** workload-to-workload edges that say who belongs together, leaving out what `exclude` names */
  structural: (exclude: (id: string) => boolean) => AnalysisEdge[];
}

export interface ServicesInput {
  /** flags and fromScanner are set here (mutated) */
  edges: AnalysisEdge[];
  inventory: ReadonlyMap<string, InventoryWorkload>;
  scannerRows: readonly ScannerRow[];
  useNames: boolean;
  useLabels: boolean;
  seed: number;
}

export function findServices({ edges, inventory, scannerRows, useNames, useLabels, seed }: ServicesInput): Services {
  const isWorkload = (id: string) => inventory.has(id);
  const active = new Set<string>();
  for (const e of edges) {
    if (isWorkload(e.from)) active.add(e.from);
    if (isWorkload(e.to)) active.add(e.to);
  }
  const cand = findCandidates(edges, isWorkload, active.size);
  const scanners = scannersFrom(scannerRows, inventory, cand);
  const scannerIds = new Set(scanners.flatMap((s) => (s.workloadId && s.scope === 'source' ? [s.workloadId] : [])));
  const scannerAddrs = new Set(scanners.flatMap((s) => (s.workloadId ? [] : [s.id])));
  for (const e of edges) e.fromScanner = e.fromScanner && (scannerIds.has(e.from) || scannerAddrs.has(e.from));
  const stations = cand.stations;
  const managementEdge = (e: AnalysisEdge) => isManagementPort(e.protocol, e.port) || stations.has(e.from);
  const hints = new Map<string, NameHints>();
  for (const w of inventory.values()) hints.set(w.id, useNames ? nameHints(w.name) : { stem: null, role: null, env: null });
  const envs = inferEnvironments(
    [...inventory.values()].map((w) => ({ id: w.id, label: useLabels ? (w.labels.env ?? null) : null, hint: hints.get(w.id)?.env ?? null, addresses: w.addresses })),
  );
  const structural = (exclude: (id: string) => boolean) => structuralEdges(edges, isWorkload, managementEdge, envs, exclude);

  // pass 1: communities without any candidate, to see whose peers span applications
  const special = (id: string) => stations.has(id) || scannerIds.has(id);
  const clusterNode = (id: string): ClusterNode => ({ id });
  const pass1Nodes = [...active].filter((id) => !special(id) && !cand.hubs.has(id)).map(clusterNode);
  const pass1 = communities(pass1Nodes, structural((id) => special(id) || cand.hubs.has(id)), seed);
  const ownsData = new Set(edges.filter((e) => isWorkload(e.to) && !cand.hubs.has(e.to) && !managementEdge(e) && ['db', 'cache', 'queue'].includes(portCategory(e.port))).map((e) => e.from));
  const hubs = confirmHubs(cand.hubs, pass1.community, ownsData);
  flagServiceEdges(edges, hubs, managementEdge, isWorkload);
  return { active, scanners, scannerIds, scannerAddrs, stations, hubs, hints, envs, managementEdge, structural };
}

/**
 * A sweeping source is a scanner, all of it, unless what it keeps besides its probes makes it a
 * shared service or a management station (a monitoring server whose discovery job also pings
 * every address, a jump host from which someone pinged a subnet): then only its probes are set apart.
 */
export function scannersFrom(rows: readonly ScannerRow[], inventory: ReadonlyMap<string, InventoryWorkload>, cand: ServiceCandidates): Scanner[] {
  return rows.map((s) => {
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
}

/** Edges between two workloads, no management, within one environment (an application lives in one), neither end excluded. */
export function structuralEdges(
  edges: readonly AnalysisEdge[],
  isWorkload: (id: string) => boolean,
  managementEdge: (e: AnalysisEdge) => boolean,
  envs: ReadonlyMap<string, EnvValue>,
  exclude: (id: string) => boolean,
): AnalysisEdge[] {
  const envKey = (id: string) => {
    const e = envs.get(id)?.env;
    return e ? canonicalEnv(e) : null;
  };
  const crossEnvironment = (e: AnalysisEdge) => {
    const a = envKey(e.from);
    const b = envKey(e.to);
    return a !== null && b !== null && a !== b;
  };
  return edges.filter((e) => isWorkload(e.from) && isWorkload(e.to) && !managementEdge(e) && !crossEnvironment(e) && !exclude(e.from) && !exclude(e.to));
}

/** The candidates whose peers span applications (`community`: the first clustering); `ownsData`: workloads that call a data store of their own. */
export function confirmHubs(candidates: ReadonlyMap<string, Hub>, community: ReadonlyMap<string, number>, ownsData: ReadonlySet<string>): Map<string, Hub> {
  const hubs = new Map<string, Hub>();
  for (const h of candidates.values()) {
    const counts = new Map<number, number>();
    for (const p of h.peers) {
      const c = community.get(p);
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
  return hubs;
}

/** Sets each edge's coreService and service (on a confirmed hub's ports), management and external (mutated). */
export function flagServiceEdges(edges: AnalysisEdge[], hubs: ReadonlyMap<string, Hub>, managementEdge: (e: AnalysisEdge) => boolean, isWorkload: (id: string) => boolean): void {
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
}

/** What a special workload's application is called when no label names it. */
export function behaviourName(s: Services, edges: readonly AnalysisEdge[], id: string): string {
  const h = s.hubs.get(id);
  if (h) return hubName(h);
  if (s.stations.has(id)) return stationName(id, edges);
  return scannerName(s.scanners, id);
}

/** Why a special workload's application is one, as its evidence says. */
export function specialEvidence(s: Services, id: string): string {
  const h = s.hubs.get(id);
  if (h) return `behaviour: ${h.peers.size} workloads of at least three applications ${h.direction === 'in' ? 'use it' : 'are reached by it'} on ${[...h.ports].join(', ')}`;
  if (s.stations.has(id)) return 'behaviour: opens management sessions to many workloads';
  return 'behaviour: sweeps many hosts (coverage.excluded.scanners)';
}

/**
 * A shared service's application: its kind (DNS servers together, the package mirror with WSUS),
 * or for a service of no known kind its ports (the mail relay and the Puppet master are two).
 */
export function hubName(h: Hub): string {
  if (h.kind !== 'shared') return h.kind;
  const ports = [...h.ports].map((k) => k.split('/').map(Number) as [number, number]).sort((a, b) => a[1] - b[1]);
  return `shared-${ports.slice(0, 2).map(([p, n]) => `${protocolName(p)}-${n}`).join('-')}`;
}

/** Scanners by what they do: vulnerability scanners apart from discovery tools that ping every address. */
export function scannerName(scanners: readonly Scanner[], id: string): string {
  const reason = scanners.find((s) => s.workloadId === id)?.reason;
  return reason === 'ping-sweep' || reason === 'dark-sweep' ? 'network-discovery' : 'scanners';
}

/**
 * Jump hosts, automation and hypervisor managers are all management stations; people open
 * sessions now and then, automation runs on a clock (every night), a hypervisor manager talks to
 * its hosts all the time. Each is its own application.
 */
const VIRTUALIZATION = new Set(['vmware', 'proxmox', 'libvirt']);

export function stationName(id: string, edges: readonly AnalysisEdge[]): string {
  const mine = edges.filter((e) => e.from === id && e.flags.management);
  // a hypervisor manager (vCenter on 902, Proxmox, libvirt) manages machines, not people's sessions
  const virtual = mine.filter((e) => VIRTUALIZATION.has(MANAGEMENT_PORTS.get(e.port) ?? '')).length;
  if (virtual * 2 > mine.length) return 'virtualization';
  // sessions in business hours read as continuous; a clock runs at the same hours every day
  const scheduled = mine.filter((e) => e.periodicity === 'daily').length;
  return mine.length && scheduled * 2 > mine.length ? 'automation' : 'management';
}
