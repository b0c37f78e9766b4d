// analyze(): the application dependency graph of a window. The heavy part (identity by time,
// aggregation, scanners, noise, networks) is one ClickHouse query (./edges.ts); what comes back
// is one row per dependency, and the rest happens on that small graph, one named step each:
//
//   rows -> edges with periodicity (./edge-rows.ts) -> inventory (./inventory.ts)
//   -> candidate core services and management stations (./services.ts), communities without
//   them (./cluster.ts), confirm core services that span applications, environments
//   (./environments.ts): findServices (./specials.ts) -> communities again, application names
//   and confidences: assignMembership (./membership.ts) -> client networks (./client-networks.ts)
//   -> roles (./roles.ts) -> edge flags, workloads, applications, endpoints (./assemble.ts)
//   -> coverage and convergence (./coverage.ts)
import type { Db } from '../db';
import { loadDeclinedNetworkCidrs, loadNamedNetworks } from '../identity/networks';
import type { Store } from '../store';
import { applicationsOf, cmp, endpointsOf, flagCrossEdges, workloadsOf } from './assemble';
import { suggestClientNetworks } from './client-networks';
import { coverageOf, daysWithData, querySources, sourceCoverage } from './coverage';
import { edgesFromRows } from './edge-rows';
import { queryEdges } from './edges';
import { addUnseenWorkloads, loadInventory } from './inventory';
import { assignMembership } from './membership';
import { inferRoles, refineRoles } from './roles';
import { findServices } from './specials';
import type { AnalysisResult, AnalysisStep, AnalyzeOptions, Role } from './types';
import { periodicityWindow, resolveWindow } from './window';

export interface AnalysisStores {
  store: Store;
  /** the runtime's database (its Prisma client is used) */
  db: { prisma: Db };
}

const STEPS: AnalysisStep[] = ['coverage', 'edges', 'inventory', 'services', 'clustering', 'roles', 'convergence'];

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

  const inventory = await loadInventory(db, window, q.edges, q.scanners.map((s) => s.ckey));
  const named = new Map<string, { name: string; kind: string }>();
  for (const n of await loadNamedNetworks(db)) for (const c of n.cidrs) named.set(c, { name: n.name, kind: n.kind });
  const declined = await loadDeclinedNetworkCidrs(db);
  const { edges, endpointAddrs, firstEver } = edgesFromRows(q.edges, q.dayZero, window);
  addUnseenWorkloads(inventory, edges, endpointAddrs);
  // the clustering, every sum over edges and the result (so proposals too) follow this order:
  // hostnames, never random ids, decide it (the same estate loaded twice gets new ids)
  const stableKey = (id: string) => inventory.get(id)?.name ?? id;
  edges.sort((a, b) => cmp(stableKey(a.from), stableKey(b.from)) || cmp(stableKey(a.to), stableKey(b.to)) || a.protocol - b.protocol || a.port - b.port);
  const isWorkload = (id: string) => inventory.has(id);
  step('inventory');

  const services = findServices({ edges, inventory, scannerRows: q.scanners, useNames, useLabels, seed });
  step('services');

  const membership = assignMembership({ edges, inventory, services, useLabels, seed });
  const { regular, appId } = membership;
  const clients = suggestClientNetworks({
    edges: edges.map((e) => ({ from: e.from, to: e.to, protocol: e.protocol, port: e.port, flows: e.flows, coreService: e.flags.coreService })),
    candidate: (id) => endpointAddrs.has(id) && !id.includes('/') && !services.scannerAddrs.has(id),
    serverGroup: (id) => (isWorkload(id) ? appId(id) : id),
    workloadAddresses: [...inventory.values()].flatMap((w) => w.addresses),
    namedCidrs: [...named.keys(), ...declined],
  });
  for (const e of edges) e.fromNetwork = clients.byAddress.get(e.from) ?? null;
  step('clustering');

  const roleEdges = edges.filter((e) => !e.flags.coreService && !e.flags.management);
  const roleHints = new Map<string, Role | null>([...services.hints].map(([id, h]) => [id, h.role]));
  const guesses = inferRoles(regular, roleEdges, isWorkload, roleHints);
  const tiers = refineRoles(regular, roleEdges, guesses, appId);
  flagCrossEdges(edges, membership);
  step('roles');

  const workloads = workloadsOf({ edges, inventory, services, membership, guesses, tiers, useLabels });
  const applications = applicationsOf(workloads, membership, services);
  const endpoints = endpointsOf(endpointAddrs, named);
  const coverage = coverageOf(
    window,
    sourceCoverage(sourceRows, window),
    daysWithData(sourceRows, window),
    firstEver,
    { scanners: services.scanners, ephemeralConversations: q.noise.conversations, ephemeralFlows: q.noise.flows },
    { workloads: inventory.size, bindings: [...inventory.values()].filter((w) => w.addresses.length).length },
  );
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
