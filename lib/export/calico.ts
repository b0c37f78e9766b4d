// Calico (projectcalico.org/v3): one GlobalNetworkPolicy per rule side (ingress on what `to`
// selects, egress on what `from` selects) with Calico selector expressions, plus an explicit
// default deny at a later order. An endpoint any policy selects is denied what no policy allows,
// so every policy is narrowed to the endpoints of enforced applications and environments; those
// in test get the same policies staged (StagedGlobalNetworkPolicy: evaluated and reported in the
// flow logs, never enforced); those in visibility are selected by nothing. Staged (the
// calico-staged format): every policy of the baseline staged, whatever the states, as a dry run
// of enforcing all of it on the live cluster (or, with a namespace, StagedNetworkPolicy).
import { stringify } from 'yaml';
import { isAny, isCidr, isLabels, WORKLOAD_KEY, type PortSpec, type Selector } from '../policy/model';
import { inferredApplications, type BaselineDoc, type BaselineRule } from './baseline';
import { dnsName, enforcementOf, mayMatchPair, pairName, rulesInForce, ruleNote, type AppEnv, type ExportOptions, type ExportResult } from './common';

export interface CalicoOptions extends ExportOptions {
  /** staged (dry run) instead of enforced */
  staged?: boolean;
}

const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A Calico selector expression for a label selector: "app == 'orders' && role == 'db'", or all(). */
export function calicoSelector(labels: Record<string, string>, prefix = ''): string {
  const keys = Object.keys(labels).sort();
  if (!keys.length) return 'all()';
  return keys.map((k) => `${k === WORKLOAD_KEY ? 'bulkhead.io/workload' : `${prefix}${k}`} == ${quote(labels[k]!)}`).join(' && ');
}

/** The endpoints of some applications and environments ("" = no env label), as an expression. */
function pairsSelector(pairs: readonly AppEnv[], prefix: string): string {
  const one = (p: AppEnv) => `${prefix}app == ${quote(p.application)} && ${p.environment ? `${prefix}env == ${quote(p.environment)}` : `!has(${prefix}env)`}`;
  return pairs.length === 1 ? one(pairs[0]!) : pairs.map((p) => `(${one(p)})`).join(' || ');
}

/** A rule's label selector narrowed to the pairs it can match; null when it matches none of them. */
function narrowed(labels: Record<string, string>, pairs: readonly AppEnv[] | null, prefix: string, doc: BaselineDoc): string | null {
  if (!pairs) return calicoSelector(labels, prefix);
  const mine = pairs.filter((p) => mayMatchPair(labels, p, doc));
  if (!mine.length) return null;
  const scope = pairsSelector(mine, prefix);
  return Object.keys(labels).length ? `${calicoSelector(labels, prefix)} && (${scope})` : scope;
}

function entity(s: Selector, prefix: string): Record<string, unknown> {
  if (isAny(s)) return {};
  if (isCidr(s)) return { nets: [s.cidr], ...(s.except?.length ? { notNets: s.except } : {}) };
  return { selector: calicoSelector(s.labels, prefix) };
}

/** Calico rules take one protocol each: one rule per protocol of the port list. */
function protocolRules(ports: readonly PortSpec[]): Array<{ protocol?: string; ports?: Array<number | string>; ipVersion?: number }> {
  if (ports.some((p) => p.protocol === 'any')) return [{}];
  const out: Array<{ protocol?: string; ports?: Array<number | string>; ipVersion?: number }> = [];
  for (const proto of ['tcp', 'udp'] as const) {
    const mine = ports.filter((p) => p.protocol === proto);
    if (!mine.length) continue;
    if (mine.some((p) => p.port === undefined)) out.push({ protocol: proto.toUpperCase() });
    else out.push({ protocol: proto.toUpperCase(), ports: mine.map((p) => (p.endPort !== undefined && p.endPort !== p.port ? `${p.port}:${p.endPort}` : p.port!)) });
  }
  if (ports.some((p) => p.protocol === 'icmp')) out.push({ protocol: 'ICMP', ipVersion: 4 }, { protocol: 'ICMPv6', ipVersion: 6 });
  return out;
}

export function exportCalico(doc: BaselineDoc, opts: CalicoOptions = {}): ExportResult {
  const prefix = opts.labelPrefix ?? '';
  const staged = opts.staged ?? false;
  const namespaced = staged && opts.namespace !== undefined;
  const { rules, skipped } = rulesInForce(doc, opts.now);
  const warnings = [...skipped];
  const meta = (name: string, annotations: Record<string, string> = {}) => ({
    name,
    ...(namespaced ? { namespace: opts.namespace } : {}),
    labels: { 'app.kubernetes.io/managed-by': 'bulkhead' },
    annotations: { 'bulkhead.io/baseline': doc.metadata.name, ...annotations },
  });
  const enforcement = enforcementOf(doc);
  // an inferred application is no label an endpoint carries: it cannot be selected, so it stays open
  const inferred = inferredApplications(doc);
  const selectable = (state: 'enforced' | 'test') =>
    enforcement.pairs(state).filter((p) => {
      if (!inferred.has(p.application)) return true;
      warnings.push(`${pairName(p)} is ${state} but its application is inferred and not confirmed: Calico selects endpoints by label, so its endpoints are left open (nftables or NSX enforce it by address; confirm it to select it by label)`);
      return false;
    });
  // pairs null: every endpoint (the dry run of the whole baseline)
  const groups: Array<{ kind: string; staged: boolean; pairs: AppEnv[] | null }> = staged
    ? [{ kind: namespaced ? 'StagedNetworkPolicy' : 'StagedGlobalNetworkPolicy', staged: true, pairs: null }]
    : [
        { kind: 'GlobalNetworkPolicy', staged: false, pairs: selectable('enforced') },
        { kind: 'StagedGlobalNetworkPolicy', staged: true, pairs: selectable('test') },
      ].filter((g) => g.pairs.length);
  if (!staged && !groups.length) warnings.push('no application is enforced or in test: no policy is written (bulkhead enforce APP --env ENV --state enforced)');
  const expressible = rules.filter((r) => {
    if (isLabels(r.from) || isLabels(r.to)) return true;
    warnings.push(`rule ${r.id}: neither side selects endpoints (both are addresses or any); not exported`);
    return false;
  });
  const objects: unknown[] = [];
  const exported = new Set<string>();
  for (const g of groups) {
    for (const r of expressible) {
      const made = objectsOf(r, g);
      if (made.length) exported.add(r.id);
      objects.push(...made);
    }
    // Everything no rule allowed, denied explicitly after the allows (higher order = later).
    objects.push({
      apiVersion: 'projectcalico.org/v3',
      kind: g.kind,
      metadata: meta('bulkhead-default-deny', g.pairs ? { 'bulkhead.io/applications': g.pairs.map((p) => (p.environment ? `${p.application}@${p.environment}` : p.application)).join(', ') } : {}),
      spec: { ...(g.staged ? { stagedAction: 'Set' } : {}), order: 10000, selector: g.pairs ? pairsSelector(g.pairs, prefix) : 'all()', types: ['Ingress', 'Egress'], ingress: [{ action: 'Deny' }], egress: [{ action: 'Deny' }] },
    });
  }
  const text = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  const name = staged ? 'calico-staged-policies.yaml' : 'calico-policies.yaml';
  const title = groups.map((g) => g.kind).join(' and ') || 'policies (none: nothing is enforced or in test)';
  return { format: staged ? 'calico-staged' : 'calico', files: [{ name, content: `# Calico ${title} generated by Bulkhead from baseline "${doc.metadata.name}"\n${text}` }], exported: exported.size, warnings };

  function objectsOf(r: BaselineRule, g: { kind: string; staged: boolean; pairs: AppEnv[] | null }): unknown[] {
    const out: unknown[] = [];
    const annotations = { 'bulkhead.io/rule-id': r.id, 'bulkhead.io/intent': ruleNote(r), ...(r.expires ? { 'bulkhead.io/expires': r.expires } : {}) };
    const stagedPart = g.staged ? { stagedAction: 'Set' } : {};
    const protos = protocolRules(r.ports);
    const to = isLabels(r.to) ? narrowed(r.to.labels, g.pairs, prefix, doc) : null;
    if (to !== null) {
      out.push({
        apiVersion: 'projectcalico.org/v3',
        kind: g.kind,
        metadata: meta(dnsName(`bulkhead-${r.id}-in`), annotations),
        spec: {
          ...stagedPart,
          order: 1000,
          selector: to,
          types: ['Ingress'],
          ingress: protos.map((p) => ({
            action: 'Allow',
            ...(p.protocol ? { protocol: p.protocol } : {}),
            ...(p.ipVersion ? { ipVersion: p.ipVersion } : {}),
            source: entity(r.from, prefix),
            destination: p.ports ? { ports: p.ports } : {},
          })),
        },
      });
    }
    const from = isLabels(r.from) ? narrowed(r.from.labels, g.pairs, prefix, doc) : null;
    if (from !== null) {
      out.push({
        apiVersion: 'projectcalico.org/v3',
        kind: g.kind,
        metadata: meta(dnsName(`bulkhead-${r.id}-out`), annotations),
        spec: {
          ...stagedPart,
          order: 1000,
          selector: from,
          types: ['Egress'],
          egress: protos.map((p) => ({
            action: 'Allow',
            ...(p.protocol ? { protocol: p.protocol } : {}),
            ...(p.ipVersion ? { ipVersion: p.ipVersion } : {}),
            destination: { ...entity(r.to, prefix), ...(p.ports ? { ports: p.ports } : {}) },
          })),
        },
      });
    }
    return out;
  }
}
