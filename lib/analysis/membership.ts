// Membership: which application each workload belongs to (the analysis' "clustering" step).
// Ordinary workloads are clustered without the special ones (./specials.ts) and named by
// ./applications.ts (with the names an earlier analysis saved, ./previous-names.ts); each special workload is its own kind of application, named by its label
// or its behaviour; then a workload alone in its application joins the one it only talks to.
import { assignApplications } from './applications';
import { communities, type ClusterNode } from './cluster';
import type { InventoryWorkload } from './inventory';
import { behaviourName, type Services } from './specials';
import type { AnalysisApplication, AnalysisEdge, ValueSource } from './types';

export interface Assigned {
  name: string;
  source: ValueSource;
  confidence: number;
  kind: AnalysisApplication['kind'];
  env: string | null;
  envSource: ValueSource;
}

export interface Membership {
  /** workloads that are no shared service, station or scanner, in inventory order */
  regular: string[];
  isSpecial: (id: string) => boolean;
  assigned: Map<string, Assigned>;
  /** application id ("name@env" or name) of a workload */
  appId: (id: string) => string;
  /** evidence of the applications ./applications.ts named */
  appEvidence: Map<string, string[]>;
}

export interface MembershipInput {
  edges: readonly AnalysisEdge[];
  inventory: ReadonlyMap<string, InventoryWorkload>;
  services: Services;
  useLabels: boolean;
  seed: number;
}

export function assignMembership({ edges, inventory, services, useLabels, seed }: MembershipInput): Membership {
  const { hubs, stations, scannerIds, envs, hints } = services;
  const appLabel = (id: string) => (useLabels ? (inventory.get(id)?.labels.app ?? null) : null);
  const isSpecial = (id: string) => stations.has(id) || scannerIds.has(id) || hubs.has(id);
  const regular = [...inventory.keys()].filter((id) => !isSpecial(id));
  const pass2 = communities(regular.map((id): ClusterNode => ({ id })), services.structural(isSpecial), seed);
  const found = assignApplications(
    regular.map((id) => {
      const w = inventory.get(id)!;
      return { id, name: w.name, label: appLabel(id), labelDecided: useLabels && w.decided.has('app'), stem: hints.get(id)?.stem ?? null, env: envs.get(id)! };
    }),
    pass2,
    labelsOutside([...inventory.keys()].filter(isSpecial).map(appLabel)),
    previousNames(regular, inventory, useLabels),
  );
  const assigned = new Map<string, Assigned>();
  for (const id of regular) {
    const n = found.byNode.get(id)!;
    assigned.set(id, { name: n.name, source: n.source, confidence: n.confidence, kind: 'application', env: n.env, envSource: n.envSource });
  }
  nameSpecials(assigned, [...inventory.keys()].filter(isSpecial), services, edges, appLabel);
  joinSatellites(regular, edges, stations, isSpecial, assigned);
  const appId = (id: string) => {
    const a = assigned.get(id)!;
    return a.env ? `${a.name}@${a.env}` : a.name;
  };
  return { regular, isSpecial, assigned, appId, appEvidence: new Map(found.applications.map((a) => [a.id, a.evidence])) };
}

/** Each special workload's application (added to `assigned`): its label, else what its behaviour names it. */
export function nameSpecials(assigned: Map<string, Assigned>, specials: readonly string[], services: Services, edges: readonly AnalysisEdge[], appLabel: (id: string) => string | null): void {
  const { hubs, stations, envs, active } = services;
  // a tag that names another kind of service (a WSUS server tagged app=monitoring) must not join
  // the service that kind names: the untagged one keeps apart
  const taggedAs = new Map<string, Set<string>>();
  for (const id of specials) {
    const l = appLabel(id);
    if (l) taggedAs.set(l, new Set([...(taggedAs.get(l) ?? []), behaviourName(services, edges, id)]));
  }
  for (const id of specials) {
    const kind: Assigned['kind'] = hubs.has(id) ? 'core-service' : stations.has(id) ? 'management' : 'scanner';
    const own = behaviourName(services, edges, id);
    const fallback = taggedAs.has(own) && !taggedAs.get(own)!.has(own) ? `${own}-2` : own;
    const label = appLabel(id);
    const strength = hubs.has(id) ? Math.min(0.99, 0.6 + hubs.get(id)!.peers.size / (4 * Math.max(1, active.size))) : 0.9;
    const env = envs.get(id)!;
    const where = { env: env.env, envSource: env.source };
    assigned.set(id, label ? { name: label, source: 'label', confidence: 1, kind, ...where } : { name: fallback, source: 'inferred', confidence: Math.round(strength * 100) / 100, kind, ...where });
  }
}

/** The name each workload's application was saved under before (none in an analysis that ignores labels: suggestions are labels too). */
export function previousNames(ids: readonly string[], inventory: ReadonlyMap<string, InventoryWorkload>, useLabels: boolean): Map<string, string> {
  const out = new Map<string, string>();
  if (!useLabels) return out;
  for (const id of ids) {
    const p = inventory.get(id)?.previousApp;
    if (p) out.set(id, p);
  }
  return out;
}

/** How many workloads bear each app label value. */
export function labelsOutside(labels: ReadonlyArray<string | null>): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of labels) if (l) out.set(l, (out.get(l) ?? 0) + 1);
  return out;
}

/**
 * A workload alone in its application whose own traffic is all with one application is part of
 * it: a batch worker that only reads its application's database at night, the backup server's
 * storage, the hypervisors vCenter manages. Shared services everyone uses and jump hosts'
 * sessions say nothing of belonging; a shared service's client is not its member, only what it
 * reaches is.
 */
export function joinSatellites(
  regular: readonly string[],
  edges: readonly AnalysisEdge[],
  stations: ReadonlySet<string>,
  isSpecial: (id: string) => boolean,
  assigned: Map<string, Assigned>,
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
