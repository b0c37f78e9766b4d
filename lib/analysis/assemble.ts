// Assembling the result from what the steps found: the edges' application and environment
// flags, then workloads (sorted by name), applications (by id) and outside endpoints (by id) as
// lib/analysis/types.ts describes them.
import { cmp } from './cmp';
import type { InventoryWorkload } from './inventory';
import type { Membership } from './membership';
import { canonicalEnv } from './names';
import { portName } from '../flow/record';
import type { RoleGuess } from './roles';
import { specialEvidence, type Services } from './specials';
import type { AnalysisApplication, AnalysisEdge, AnalysisEndpoint, AnalysisWorkload } from './types';

export { cmp } from './cmp';

/** Sets crossApplication and crossEnvironment on every edge between two workloads (mutated). */
export function flagCrossEdges(edges: AnalysisEdge[], m: Pick<Membership, 'assigned' | 'appId'>): void {
  for (const e of edges) {
    if (e.flags.external) continue;
    e.flags.crossApplication = m.appId(e.from) !== m.appId(e.to);
    const ea = m.assigned.get(e.from)?.env;
    const eb = m.assigned.get(e.to)?.env;
    e.flags.crossEnvironment = Boolean(ea && eb && canonicalEnv(ea) !== canonicalEnv(eb));
  }
}

export interface WorkloadsInput {
  edges: readonly AnalysisEdge[];
  inventory: ReadonlyMap<string, InventoryWorkload>;
  services: Pick<Services, 'hubs' | 'stations' | 'scannerIds'>;
  membership: Pick<Membership, 'assigned' | 'appId' | 'isSpecial'>;
  /** role guesses from structure and the tiers refined from them */
  guesses: ReadonlyMap<string, RoleGuess>;
  tiers: ReadonlyMap<string, string>;
  useLabels: boolean;
}

/** Every inventory workload with its application, role (a label wins, then behaviour, then the tier), environment and what it serves, sorted by name. */
export function workloadsOf({ edges, inventory, services: { hubs, stations, scannerIds }, membership: { assigned, appId, isSpecial }, guesses, tiers, useLabels }: WorkloadsInput): AnalysisWorkload[] {
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
  return workloads.sort((a, b) => cmp(a.name, b.name));
}

/** The applications of the (sorted) workloads: members in workload order, labelled when every member's is, confidence the members' mean; sorted by id. */
export function applicationsOf(workloads: readonly AnalysisWorkload[], membership: Pick<Membership, 'assigned' | 'appEvidence'>, services: Services): AnalysisApplication[] {
  const apps = new Map<string, AnalysisApplication & { total: number; labelled: number }>();
  for (const w of workloads) {
    const id = w.application!;
    const a = membership.assigned.get(w.id)!;
    let app = apps.get(id);
    if (!app) {
      const evidence = membership.appEvidence.get(id) ?? [specialEvidence(services, w.id)];
      app = { id, name: a.name, environment: w.environment, members: [], source: 'label', confidence: 0, kind: a.kind, roles: {}, evidence, total: 0, labelled: 0 };
      apps.set(id, app);
    }
    app.members.push(w.id);
    app.total += w.confidence;
    if (a.source === 'label') app.labelled++;
    app.roles[w.role] = (app.roles[w.role] ?? 0) + 1;
  }
  return [...apps.values()]
    .map(({ total, labelled, ...app }) => ({ ...app, source: labelled === app.members.length ? 'label' : 'inferred', confidence: Math.round((total / app.members.length) * 100) / 100 }) as AnalysisApplication)
    .sort((a, b) => cmp(a.id, b.id));
}

/** Outside endpoints: the internet, named networks, else the address itself; sorted by id. */
export function endpointsOf(endpointAddrs: ReadonlyMap<string, number>, named: ReadonlyMap<string, { name: string; kind: string }>): AnalysisEndpoint[] {
  const endpoints: AnalysisEndpoint[] = [...endpointAddrs].map(([id, addresses]) => {
    if (id === '0.0.0.0/0' || id === '::/0') return { id, kind: 'internet', name: 'internet', networkKind: named.get(id)?.kind ?? 'internet', addresses };
    const n = named.get(id);
    if (n) return { id, kind: 'network', name: n.name, networkKind: n.kind, addresses };
    return { id, kind: 'address', name: id, networkKind: null, addresses };
  });
  return endpoints.sort((a, b) => cmp(a.id, b.id));
}
