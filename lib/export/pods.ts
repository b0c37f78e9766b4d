// What Kubernetes and Cilium policies are made of: pods as the cluster knows them (namespace and
// their own labels, from Kubernetes inventory), grouped into the pod groups a policy selects, each
// with every rule that protects it; and the other side of each rule as pods (namespace + labels)
// or as addresses. Only pods are selected: a VM, cloud instance or network is an address block
// here and is enforced by nftables, NSX or AWS. Bulkhead's own labels (app, env, role) never reach
// these files, so an application discovery inferred and nobody confirmed is never a selector.
import { isAny, isCidr, isLabels, type PortSpec, type Selector } from '../policy/model';
import { labelsMatch } from '../policy/selectors';
import type { BaselineDoc, BaselineWorkload } from './baseline';
import { dnsName, enforcementOf, isV6, rulesInForce, type AppEnv, type ExportOptions } from './common';

/** Labels that differ between pods of one controller or change on every rollout: never a selector. */
const VOLATILE = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index',
]);
/** Keys people select by, tried first; version labels change on upgrade and are tried last. */
const PREFERRED = ['app.kubernetes.io/name', 'app', 'k8s-app', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'component', 'tier', 'role', 'name'];
const LAST = new Set(['app.kubernetes.io/version', 'version', 'helm.sh/chart', 'chart']);

export interface Pod {
  workload: BaselineWorkload;
  namespace: string;
  /** its own labels without the volatile ones */
  labels: Record<string, string>;
}

export type Expression = { key: string; operator: 'DoesNotExist' };
/** Pods of one namespace (null: every namespace) by labels, plus keys they must not carry. */
export interface PodPeer {
  namespace: string | null;
  labels: Record<string, string>;
  expressions?: Expression[];
}
export interface CidrPeer {
  cidr: string;
  except?: string[];
}
/** The other side of a rule: anything, or pods and address blocks. */
export type Peer = { any: true } | { pods: PodPeer[]; cidrs: CidrPeer[] };

export interface Entry {
  ruleId: string;
  peer: Peer;
  ports: readonly PortSpec[];
}

/** One policy: a group of enforced pods of one namespace, and every rule that protects it. */
export interface PodGroup {
  namespace: string;
  name: string;
  selector: { labels: Record<string, string>; expressions?: Expression[] };
  pods: Pod[];
  ingress: Entry[];
  egress: Entry[];
}

export interface PodPlan {
  groups: PodGroup[];
  /** rules with at least one entry in a group */
  exported: number;
  warnings: string[];
  enforced: AppEnv[];
  test: AppEnv[];
}

/** Kubernetes' cluster DNS (CoreDNS keeps kube-dns's labels): what every enforced pod must still reach. */
export const CLUSTER_DNS: PodPeer = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

export function podOf(w: BaselineWorkload): Pod | null {
  if (!w.kubernetes) return null;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(w.kubernetes.labels)) if (!VOLATILE.has(k)) labels[k] = v;
  return { workload: w, namespace: w.kubernetes.namespace, labels };
}

const keyOrder = (keys: string[]) =>
  [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const rank = (k: string) => (PREFERRED.includes(k) ? PREFERRED.indexOf(k) : LAST.has(k) ? 1000 : 100);
const has = (labels: Record<string, string>, want: Record<string, string>) => Object.entries(want).every(([k, v]) => labels[k] === v);

/**
 * Labels that select exactly `target` among the pods of its namespace: the fewest keys the pods
 * share, tried in the order people select by; keys an outsider with all of them carries become
 * DoesNotExist. Null when the pods share no label (select them by address instead).
 */
export function selectExactly(target: readonly Pod[], nsPods: readonly Pod[]): { labels: Record<string, string>; expressions?: Expression[]; also: number } | null {
  const first = target[0]!.labels;
  const common = keyOrder(Object.keys(first).filter((k) => target.every((p) => p.labels[k] === first[k])));
  if (!common.length) return null;
  const inside = new Set(target);
  const outsiders = (labels: Record<string, string>) => nsPods.filter((p) => !inside.has(p) && has(p.labels, labels));
  // the key people name the workload by comes first, then what tells it from its neighbours
  const chosen: Record<string, string> = { [common[0]!]: first[common[0]!]! };
  let rest = outsiders(chosen);
  while (rest.length) {
    // the key that leaves the fewest outsiders, the preferred one on a tie
    let best: string | null = null;
    let bestLeft = Infinity;
    for (const k of common) {
      if (k in chosen) continue;
      const left = rest.filter((p) => p.labels[k] === first[k]).length;
      if (left < bestLeft) {
        best = k;
        bestLeft = left;
      }
    }
    if (best === null) break;
    chosen[best] = first[best]!;
    rest = outsiders(chosen);
  }
  const expressions: Expression[] = [];
  let also = 0;
  for (const p of rest) {
    const key = keyOrder(Object.keys(p.labels).filter((k) => !(k in first)))[0];
    if (key === undefined) also++;
    else if (!expressions.some((e) => e.key === key)) expressions.push({ key, operator: 'DoesNotExist' });
  }
  return { labels: chosen, ...(expressions.length ? { expressions } : {}), also };
}

function byNamespace(pods: readonly Pod[]): Map<string, Pod[]> {
  const m = new Map<string, Pod[]>();
  for (const p of pods) {
    const list = m.get(p.namespace) ?? [];
    list.push(p);
    m.set(p.namespace, list);
  }
  return m;
}

const groupKey = (p: Pod) => `${p.namespace}\n${JSON.stringify(Object.entries(p.labels).sort(([a], [b]) => a.localeCompare(b)))}`;

const hostCidr = (a: string): CidrPeer => ({ cidr: `${a}/${isV6(a) ? 128 : 32}` });

export function planPodPolicies(doc: BaselineDoc, opts: ExportOptions = {}): PodPlan {
  const { rules, skipped } = rulesInForce(doc, opts.now);
  const warnings = [...skipped];
  const enforcement = enforcementOf(doc);
  const pods = doc.workloads.map(podOf).filter((p): p is Pod => p !== null);
  const podByWorkload = new Map(pods.map((p) => [p.workload, p]));
  const nsPods = byNamespace(pods);

  // the groups: enforced pods of one namespace with the same labels
  const groupOf = new Map<Pod, PodGroup>();
  const groups = new Map<string, PodGroup>();
  const names = new Set<string>();
  for (const p of pods) {
    if (enforcement.of(p.workload) !== 'enforced') continue;
    const k = groupKey(p);
    let g = groups.get(k);
    if (!g) {
      g = { namespace: p.namespace, name: '', selector: { labels: {} }, pods: [], ingress: [], egress: [] };
      groups.set(k, g);
    }
    g.pods.push(p);
    groupOf.set(p, g);
  }
  for (const g of [...groups.values()]) {
    const sel = selectExactly(g.pods, nsPods.get(g.namespace)!);
    if (!sel) {
      warnings.push(`${g.pods.length} enforced pods in namespace ${g.namespace} (${g.pods.map((p) => p.workload.name).slice(0, 3).join(', ')}) carry no label to select them by; left open`);
      for (const p of g.pods) groupOf.delete(p);
      groups.delete(groupKey(g.pods[0]!));
      continue;
    }
    if (sel.also) warnings.push(`namespace ${g.namespace}: the policy for ${g.pods[0]!.workload.name} also selects ${sel.also} pods with the same labels that are not enforced`);
    g.selector = { labels: sel.labels, ...(sel.expressions ? { expressions: sel.expressions } : {}) };
    let name = dnsName(`bulkhead-${Object.values(sel.labels).join('-')}`, 55);
    while (names.has(`${g.namespace}/${name}`)) name = dnsName(`${name}-x`, 63);
    names.add(`${g.namespace}/${name}`);
    g.name = name;
  }

  const peerCache = new Map<string, Peer | null>();
  const peerOf = (s: Selector): Peer | null => {
    if (isAny(s)) return { any: true };
    if (isCidr(s)) return { pods: [], cidrs: [{ cidr: s.cidr, ...(s.except?.length ? { except: [...s.except] } : {}) }] };
    const key = JSON.stringify(Object.entries(s.labels).sort());
    if (peerCache.has(key)) return peerCache.get(key)!;
    const selected = doc.workloads.filter((w) => labelsMatch(s.labels, w));
    let peer: Peer | null;
    if (!Object.keys(s.labels).length) {
      // every workload: every pod by namespace, the rest by address
      peer = { pods: [{ namespace: null, labels: {} }], cidrs: selected.filter((w) => !podByWorkload.has(w)).flatMap((w) => w.addresses.map(hostCidr)) };
    } else if (!selected.length) peer = null;
    else {
      const podPeers: PodPeer[] = [];
      const cidrs: CidrPeer[] = [];
      const mine = selected.map((w) => podByWorkload.get(w)).filter((p): p is Pod => p !== undefined);
      for (const [ns, list] of byNamespace(mine)) {
        const all = nsPods.get(ns)!;
        const one = selectExactly(list, all);
        if (one && !one.also) podPeers.push({ namespace: ns, labels: one.labels, ...(one.expressions ? { expressions: one.expressions } : {}) });
        else {
          // several kinds of pod: one selector per group of equal labels
          const parts = new Map<string, Pod[]>();
          for (const p of list) parts.set(groupKey(p), [...(parts.get(groupKey(p)) ?? []), p]);
          for (const part of parts.values()) {
            const sel = selectExactly(part, all);
            if (sel) podPeers.push({ namespace: ns, labels: sel.labels, ...(sel.expressions ? { expressions: sel.expressions } : {}) });
            else {
              warnings.push(`pods ${part.map((p) => p.workload.name).slice(0, 3).join(', ')} carry no label to select them by: written as their addresses, which change when they are rescheduled`);
              cidrs.push(...part.flatMap((p) => p.workload.addresses.map(hostCidr)));
            }
          }
        }
      }
      for (const w of selected) if (!podByWorkload.has(w)) cidrs.push(...w.addresses.map(hostCidr));
      peer = { pods: podPeers, cidrs };
    }
    peerCache.set(key, peer);
    return peer;
  };

  const outside: string[] = [];
  const notEnforced: string[] = [];
  const partly: string[] = [];
  let exported = 0;
  for (const r of rules) {
    let wrote = false;
    let anyPod = false;
    let nonPod = false;
    for (const [side, other, dir] of [
      [r.to, r.from, 'ingress'],
      [r.from, r.to, 'egress'],
    ] as const) {
      if (!isLabels(side)) continue;
      const selected = doc.workloads.filter((w) => labelsMatch(side.labels, w));
      const targets = new Set<PodGroup>();
      for (const w of selected) {
        const p = podByWorkload.get(w);
        if (!p) {
          nonPod = true;
          continue;
        }
        anyPod = true;
        const g = groupOf.get(p);
        if (g) targets.add(g);
      }
      if (!targets.size) continue;
      const peer = peerOf(other);
      if (!peer) {
        warnings.push(`rule ${r.id}: its ${dir === 'ingress' ? 'source' : 'destination'} selects no workload at export time; not written`);
        continue;
      }
      for (const g of targets) g[dir].push({ ruleId: r.id, peer, ports: r.ports });
      wrote = true;
    }
    if (wrote) {
      exported++;
      if (nonPod) partly.push(r.id);
    } else if (anyPod) notEnforced.push(r.id);
    else outside.push(r.id);
  }
  const list = (ids: string[]) => `${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ` and ${ids.length - 10} more` : ''}`;
  if (outside.length) warnings.push(`${outside.length} rules left out: the workloads they protect are not Kubernetes pods (VMs, instances, addresses); nftables, NSX or AWS enforce them (${list(outside)})`);
  if (notEnforced.length) warnings.push(`${notEnforced.length} rules protect only pods of applications not enforced; not written, those pods stay open (${list(notEnforced)})`);
  if (partly.length) warnings.push(`${partly.length} rules also protect workloads outside Kubernetes; only their pods are written here (${list(partly)})`);
  const out = [...groups.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { groups: out, exported, warnings, enforced: enforcement.pairs('enforced'), test: enforcement.pairs('test') };
}

/** The Bulkhead rules a group's policy carries (its bulkhead.io/rules annotation). */
export const entryRules = (g: PodGroup) => [...new Set([...g.ingress, ...g.egress].map((e) => e.ruleId))];
