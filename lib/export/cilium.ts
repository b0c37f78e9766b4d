// CiliumNetworkPolicy (cilium.io/v2): the same pod groups as the Kubernetes export (./pods.ts): one
// policy per group of enforced pods, in their namespace, selecting them by their own labels and
// carrying every rule that protects them; a policy selecting an endpoint isolates it, so an empty
// direction is written as [{}] (deny all). Pod peers name their namespace
// (k8s:io.kubernetes.pod.namespace; without it Cilium confines fromEndpoints to the policy's own
// namespace); addresses are CIDR sets with their exceptions (VMs, instances, networks: Cilium
// treats a CIDR peer as outside the cluster, the `world` entity's part); `any` is the `all`
// entity. Every enforced endpoint may reach the cluster DNS, with a DNS rule matching every name:
// that sends the queries through Cilium's DNS proxy, so toFQDNs policies and Hubble's DNS
// visibility work, without restricting which names resolve. Test has no form in a policy
// (Cilium's audit mode is per endpoint or agent): those endpoints stay open and the export says so.
import { stringify } from 'yaml';
import type { PortSpec } from '../policy/model';
import type { BaselineDoc } from './baseline';
import { NOTHING_ENFORCED, pairName, type ExportOptions, type ExportResult } from './common';
import type { KubernetesOptions } from './kubernetes';
import { CLUSTER_DNS, entryRules, planPodPolicies, type Entry, type PodPeer } from './pods';

const NAMESPACE_KEY = 'k8s:io.kubernetes.pod.namespace';

function endpoint(p: PodPeer): Record<string, unknown> {
  const labels = Object.fromEntries(Object.entries(p.labels).map(([k, v]) => [`k8s:${k}`, v]));
  const expressions = [...(p.namespace === null ? [{ key: NAMESPACE_KEY, operator: 'Exists' }] : []), ...(p.expressions ?? []).map((e) => ({ ...e, key: `k8s:${e.key}` }))];
  return { matchLabels: { ...(p.namespace === null ? {} : { [NAMESPACE_KEY]: p.namespace }), ...labels }, ...(expressions.length ? { matchExpressions: expressions } : {}) };
}

function toPorts(ports: readonly PortSpec[]): { toPorts?: unknown[]; icmps?: unknown[]; notes: string[] } {
  if (ports.some((p) => p.protocol === 'any')) return { notes: [] };
  const list: Array<Record<string, unknown>> = [];
  const notes: string[] = [];
  let icmp = false;
  for (const p of ports) {
    if (p.protocol === 'icmp') {
      icmp = true;
      continue;
    }
    const proto = p.protocol.toUpperCase();
    if (p.port === undefined) list.push({ port: '0', protocol: proto });
    else list.push({ port: String(p.port), protocol: proto, ...(p.endPort !== undefined && p.endPort !== p.port ? { endPort: p.endPort } : {}) });
  }
  if (icmp) notes.push('icmp exported as echo request (type 8 / ICMPv6 128): Cilium matches ICMP by type');
  return {
    ...(list.length ? { toPorts: [{ ports: list }] } : {}),
    ...(icmp ? { icmps: [{ fields: [{ type: 8, family: 'IPv4' }, { type: 128, family: 'IPv6' }] }] } : {}),
    notes,
  };
}

export function exportCilium(doc: BaselineDoc, opts: KubernetesOptions = {}): ExportResult {
  const plan = planPodPolicies(doc, opts);
  const warnings = [...plan.warnings];
  if (!plan.enforced.length) warnings.push(NOTHING_ENFORCED);
  for (const t of plan.test) {
    warnings.push(`${pairName(t)} is in test: a CiliumNetworkPolicy cannot log without dropping, so its endpoints are left open (Cilium's policy audit mode, per endpoint, shows what would be dropped)`);
  }
  const dns = opts.clusterDns === undefined ? CLUSTER_DNS : opts.clusterDns;
  const notes = new Set<string>();
  // a rule with pods and addresses on its other side: one element per kind of peer
  const elements = (e: Entry, dir: 'from' | 'to'): unknown[] => {
    const p = toPorts(e.ports);
    for (const n of p.notes) notes.add(`rule ${e.ruleId}: ${n}`);
    const l4 = { ...(p.toPorts ? { toPorts: p.toPorts } : {}), ...(p.icmps ? { icmps: p.icmps } : {}) };
    if ('any' in e.peer) return [{ [`${dir}Entities`]: ['all'], ...l4 }];
    const out: unknown[] = [];
    if (e.peer.pods.length) out.push({ [`${dir}Endpoints`]: e.peer.pods.map(endpoint), ...l4 });
    if (e.peer.cidrs.length) out.push({ [`${dir}CIDRSet`]: e.peer.cidrs.map((c) => ({ cidr: c.cidr, ...(c.except?.length ? { except: c.except } : {}) })), ...l4 });
    return out;
  };
  const objects = plan.groups.map((g) => {
    const ingress = g.ingress.flatMap((e) => elements(e, 'from'));
    const egress = g.egress.flatMap((e) => elements(e, 'to'));
    if (dns) {
      egress.push({
        toEndpoints: [endpoint(dns)],
        toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }],
      });
    }
    return {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: {
        name: g.name,
        namespace: g.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'bulkhead' },
        annotations: { 'bulkhead.io/baseline': doc.metadata.name, 'bulkhead.io/rules': entryRules(g).join(','), 'bulkhead.io/pods': String(g.pods.length) },
      },
      spec: {
        description: `Bulkhead baseline ${doc.metadata.name}: what ${g.pods.length} pods in ${g.namespace} may send and receive; the rest is denied`,
        endpointSelector: { matchLabels: g.selector.labels, ...(g.selector.expressions ? { matchExpressions: g.selector.expressions } : {}) },
        // an empty rule allows nothing but makes the direction default deny
        ingress: ingress.length ? ingress : [{}],
        egress: egress.length ? egress : [{}],
      },
    };
  });
  warnings.push(...notes);
  const text = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  const head = [
    `# CiliumNetworkPolicy generated by Bulkhead from baseline "${doc.metadata.name}"`,
    `# Enforced (default deny): ${plan.enforced.map(pairName).join(', ') || 'no application; nothing is isolated'}`,
    `# ${objects.length} policies (one per group of enforced pods) carrying ${plan.exported} rules`,
  ];
  return { format: 'cilium', files: [{ name: 'cilium-policies.yaml', content: `${head.join('\n')}\n${text}` }], exported: plan.exported, warnings };
}
