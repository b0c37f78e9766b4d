// Kubernetes: `kubectl get pods,services,nodes -A -o json` (a List of Pods, Services and Nodes;
// a single kind's list works too).
//  - Pod "namespace/name": its pod IPs from status.startTime, its labels, its owner (a ReplicaSet
//    is reported as its Deployment), node and namespace as attributes. Pods on the host network
//    share the node's address and completed pods hold none: both are left out, and said so.
//  - Service "namespace/name (service)": cluster IPs and load-balancer IPs.
//  - Node: internal and external addresses, node labels.
// Labels are copied as they are (and kept apart as the pod's own, attributes.podLabels); where a pod has none of them, Bulkhead's `app` comes from
// app.kubernetes.io/part-of, app.kubernetes.io/name, app or k8s-app, and `role` from
// app.kubernetes.io/component, tier or role, else from the owning Deployment/StatefulSet/DaemonSet.
import type { InventoryObservation, ObservedAddress } from '../../lib/inventory/types';
import { arr, emptyResult, obj, parseTime, str, type AdapterResult } from './types';

const KINDS = new Set(['Pod', 'Service', 'Node']);

export function isKubernetesList(doc: unknown): boolean {
  const o = obj(doc);
  if (!o) return false;
  if (typeof o.kind === 'string' && KINDS.has(o.kind) && obj(o.metadata)) return true;
  const items = Array.isArray(o.items) ? o.items : null;
  return Boolean(items && (o.kind === 'List' || /List$/.test(String(o.kind ?? ''))) && items.every((i) => typeof obj(i)?.kind === 'string' || obj(i)?.metadata));
}

function labelsOf(meta: Record<string, unknown> | undefined): Record<string, string> {
  const l = obj(meta?.labels) ?? {};
  return Object.fromEntries(Object.entries(l).filter(([, v]) => typeof v === 'string' && v !== '') as Array<[string, string]>);
}

/** The controller that owns a pod, with ReplicaSets resolved to their Deployment. */
function ownerOf(meta: Record<string, unknown> | undefined, labels: Record<string, string>): { kind: string; name: string } | undefined {
  const owners = arr(meta?.ownerReferences).map(obj).filter(Boolean) as Array<Record<string, unknown>>;
  const o = owners.find((x) => x.controller === true) ?? owners[0];
  if (!o) return undefined;
  const kind = String(o.kind ?? '');
  const name = String(o.name ?? '');
  const hash = labels['pod-template-hash'];
  if (kind === 'ReplicaSet' && hash && name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: name.slice(0, -hash.length - 1) };
  if (kind === 'Job' && /-\d{8,}$/.test(name)) return { kind: 'CronJob', name: name.replace(/-\d{8,}$/, '') };
  return { kind, name };
}

function derivedLabels(labels: Record<string, string>, owner?: { kind: string; name: string }): Record<string, string> {
  const out = { ...labels };
  const app = labels['app.kubernetes.io/part-of'] ?? labels['app.kubernetes.io/name'] ?? labels.app ?? labels['k8s-app'];
  const role = labels['app.kubernetes.io/component'] ?? labels.tier ?? labels.role ?? (owner && owner.kind !== 'Node' ? owner.name : undefined);
  if (app && !out.app) out.app = app;
  if (role && !out.role) out.role = role;
  return out;
}

export function fromKubernetes(doc: unknown): AdapterResult {
  const out = emptyResult();
  const o = obj(doc);
  const items = o && Array.isArray(o.items) ? o.items : o ? [o] : [];
  items.forEach((raw, i) => {
    const item = obj(raw);
    const kind = str(item?.kind);
    const meta = obj(item?.metadata);
    const name = str(meta?.name);
    const ns = str(meta?.namespace) ?? 'default';
    const where = `items[${i}]${kind && name ? ` (${kind} ${kind === 'Node' ? name : `${ns}/${name}`})` : ''}`;
    if (!item || !kind || !name) {
      out.errors.push({ where, reason: 'not a Kubernetes object (kind and metadata.name)' });
      return;
    }
    const uid = str(meta?.uid);
    const spec = obj(item.spec);
    const status = obj(item.status);
    const labels = labelsOf(meta);
    if (kind === 'Pod') {
      const phase = str(status?.phase);
      if (phase === 'Succeeded' || phase === 'Failed') {
        out.skipped.push({ what: `pod ${ns}/${name}`, reason: `completed (${phase}): it holds no address` });
        return;
      }
      if (spec?.hostNetwork === true) {
        out.skipped.push({ what: `pod ${ns}/${name}`, reason: "on the host network: its address is its node's" });
        return;
      }
      const since = parseTime(status?.startTime) ?? parseTime(meta?.creationTimestamp) ?? undefined;
      const ips = new Set<string>();
      for (const p of arr(status?.podIPs)) if (str(obj(p)?.ip)) ips.add(str(obj(p)!.ip)!);
      if (str(status?.podIP)) ips.add(str(status!.podIP)!);
      const owner = ownerOf(meta, labels);
      const obs: InventoryObservation = {
        name: `${ns}/${name}`,
        kind: 'pod',
        ...(uid ? { externalId: `k8s:${uid}` } : {}),
        addresses: [...ips].map((ip): ObservedAddress => ({ ip, ...(since ? { from: since } : {}) })),
        labels: derivedLabels(labels, owner),
        attributes: {
          namespace: ns,
          // the labels as the cluster has them: NetworkPolicy selects pods by these, never by the derived app/role
          podLabels: labels,
          ...(str(spec?.nodeName) ? { node: str(spec!.nodeName) } : {}),
          ...(owner ? { ownerKind: owner.kind, owner: owner.name } : {}),
          ...(phase ? { phase } : {}),
        },
      };
      out.observations.push(obs);
    } else if (kind === 'Service') {
      const ips = new Set<string>();
      for (const ip of [...arr(spec?.clusterIPs), spec?.clusterIP]) if (str(ip) && str(ip) !== 'None') ips.add(str(ip)!);
      for (const ip of arr(spec?.externalIPs)) if (str(ip)) ips.add(str(ip)!);
      for (const ing of arr(obj(status?.loadBalancer)?.ingress)) if (str(obj(ing)?.ip)) ips.add(str(obj(ing)!.ip)!);
      if (ips.size === 0) {
        out.skipped.push({ what: `service ${ns}/${name}`, reason: 'headless (no cluster IP): its endpoints are the pods' });
        return;
      }
      const since = parseTime(meta?.creationTimestamp) ?? undefined;
      out.observations.push({
        name: `${ns}/${name} (service)`,
        kind: 'service',
        ...(uid ? { externalId: `k8s:${uid}` } : {}),
        addresses: [...ips].map((ip) => ({ ip, ...(since ? { from: since } : {}) })),
        labels: derivedLabels(labels),
        attributes: { namespace: ns, serviceType: str(spec?.type) ?? 'ClusterIP', ...(obj(spec?.selector) ? { selector: spec!.selector } : {}) },
      });
    } else if (kind === 'Node') {
      const ips = arr(status?.addresses)
        .map(obj)
        .filter((a) => a && (a.type === 'InternalIP' || a.type === 'ExternalIP'))
        .map((a) => str(a!.address))
        .filter((a): a is string => Boolean(a));
      out.observations.push({
        name,
        kind: 'node',
        ...(uid ? { externalId: `k8s:${uid}` } : {}),
        addresses: ips.map((ip) => ({ ip })),
        labels,
        attributes: { ...(str(spec?.providerID) ? { providerID: str(spec!.providerID) } : {}) },
      });
    } else {
      out.skipped.push({ what: `${kind} ${ns}/${name}`, reason: 'only Pods, Services and Nodes hold addresses' });
    }
  });
  return out;
}
