// From buckets to rules: each bucket's ports merged and generalised, its owner (who approves),
// a one-sentence intent, and the evidence a reviewer reads; then the rules in review order.
import { createHash } from 'node:crypto';
import { IPV6_INTERNET } from '../flow/scope';
import { describeRule, formatPorts, formatSelector, isCidr, isLabels, selectorKey, WORKLOAD_KEY, type Evidence, type PortSpec, type ProposalKind, type Selector } from './model';
import { generalisePorts, normalizePorts, portOfEdge } from './ports';
import type { Proposal } from './propose-types';
import type { Bucket } from './propose-classify';
import { labelsOf, nameOf, selected, type ProposeContext } from './propose-context';

const HOUR = 3_600_000;

/** Stable identity of a proposal: its selectors and (normalized) ports. */
export function proposalKey(r: { from: Selector; to: Selector; ports: readonly PortSpec[] }): string {
  const text = `${selectorKey(r.from)}|${selectorKey(r.to)}|${JSON.stringify(normalizePorts(r.ports))}`;
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function ruleOf(ctx: ProposeContext, b: Bucket): Proposal {
  const window = { from: ctx.result.window.from, to: ctx.result.window.to };
  const ports = generalisePorts(normalizePorts(b.ports), ctx.portsHow, ctx.rangeGap);
  const application = ownerOf(ctx, b);
  const evidence = evidenceOf(ctx, b, window, ports);
  const draft = { from: b.from, to: b.to, ports };
  return { ...draft, key: proposalKey(draft), kind: b.kind, application, owner: application, intent: intentOf(ctx, b, ports), evidence };
}

const KIND_ORDER: ProposalKind[] = ['core-service', 'core-agent', 'management', 'environment', 'intra-app', 'cross-app', 'ingress', 'egress'];

/** Review order (in place): by kind, then owning application, then the rule as text. */
export function sortRules(rules: Proposal[]): Proposal[] {
  return rules.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.application ?? '').localeCompare(b.application ?? '') || describeRule(a).localeCompare(describeRule(b)));
}

/** The application whose owners approve: the provider approves who may reach it; egress belongs to the client. */
export function ownerOf(ctx: ProposeContext, b: Bucket): string | null {
  const app = (s: Selector) => (isLabels(s) ? (s.labels.app ?? (s.labels[WORKLOAD_KEY] ? labelsOf(ctx, ctx.view.byName.get(s.labels[WORKLOAD_KEY]!)?.id ?? '').app : undefined)) : undefined);
  return (b.kind === 'egress' || b.kind === 'core-agent' || b.kind === 'management' ? app(b.from) ?? app(b.to) : app(b.to) ?? app(b.from)) ?? null;
}

export function describeSide(ctx: ProposeContext, s: Selector, outside: 'clients' | 'servers'): string {
  if (isLabels(s)) {
    const l = s.labels;
    if (l[WORKLOAD_KEY]) return l[WORKLOAD_KEY]!;
    const keys = Object.keys(l);
    if (!keys.length) return 'every workload';
    if (l.app) return `${l.app}${l.role && l.role !== l.app ? ` ${l.role}` : ''}${l.env ? ` (${l.env})` : ''}`;
    if (keys.every((k) => k === 'env' || k === 'role')) return `every ${l.role ? `${l.role} ` : ''}workload${l.env ? ` in ${l.env}` : ''}`;
    return formatSelector(s);
  }
  if (isCidr(s)) {
    if (s.cidr === '0.0.0.0/0' || s.cidr === '::/0' || s.cidr === IPV6_INTERNET) return outside === 'clients' ? `internet clients (${s.cidr.includes(':') ? 'IPv6' : 'IPv4'})` : 'the internet';
    const bare = s.cidr.replace(/\/(32|128)$/, '');
    const n = ctx.endpointName.get(s.cidr) ?? ctx.endpointName.get(bare);
    return n && n !== bare ? `${n} (${s.cidr})` : bare;
  }
  return 'anything';
}

export function intentOf(ctx: ProposeContext, b: Bucket, ports: PortSpec[]): string {
  const from = describeSide(ctx, b.from, 'clients');
  const to = describeSide(ctx, b.to, 'servers');
  const p = formatPorts(ports);
  const kind = b.edges.find((e) => e.service)?.service ?? null;
  const svc = kind ? (SERVICE_NAMES[kind] ?? kind) : 'core';
  switch (b.kind) {
    case 'core-service':
      return `${sentence(from)} uses the shared ${svc} service (${to}) on ${p}.`;
    case 'core-agent':
      return `The shared ${svc} service (${from}) reaches ${to} on ${p}.`;
    case 'management':
      return `Jump hosts (${from}) manage ${to} over ${p}.`;
    case 'ingress':
      return `${sentence(from)} reach ${to} on ${p}.`;
    case 'egress':
      return `${sentence(from)} calls ${to}, outside the estate, on ${p}.`;
    case 'environment':
      return `Workloads in ${isLabels(b.to) ? (b.to.labels.env ?? '?') : '?'} reach each other on ${p} (environment ring-fence).`;
    case 'intra-app':
      if (isLabels(b.from) && isLabels(b.to) && b.from.labels.role && b.to.labels.role && b.to.labels.app) {
        return `Inside ${b.to.labels.app}${b.to.labels.env ? ` (${b.to.labels.env})` : ''}, the ${b.from.labels.role} tier calls the ${b.to.labels.role} tier on ${p}.`;
      }
      return `${sentence(from)} calls ${to} on ${p}.`;
    default:
      return `${sentence(from)} calls ${to} on ${p}.`;
  }
}

export function evidenceOf(ctx: ProposeContext, b: Bucket, w: { from: Date; to: Date }, ports: PortSpec[]): Evidence {
  let flows = 0;
  let bytes = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  const periodicity: Record<string, number> = {};
  for (const e of b.edges) {
    flows += e.flows;
    bytes += e.bytes;
    first = Math.min(first, e.firstSeen.getTime());
    last = Math.max(last, e.lastSeen.getTime());
    periodicity[e.periodicity] = (periodicity[e.periodicity] ?? 0) + 1;
  }
  const top = [...b.edges].sort((x, y) => y.flows - x.flows).slice(0, 5);
  const examples = top.map((e) => `${nameOf(ctx, e.from)} -> ${nameOf(ctx, e.to)} ${formatPorts([portOfEdge(e.protocol, e.port)!])} (${e.flows.toLocaleString('en-US')} flows, ${e.periodicity})`);
  const inferred = new Set<string>();
  for (const [s, members] of [[b.from, b.fromMembers], [b.to, b.toMembers]] as const) {
    if (!isLabels(s)) continue;
    for (const [k, v] of Object.entries(s.labels)) {
      if (k === WORKLOAD_KEY) continue;
      if ([...members].some((id) => ctx.view.byId.get(id)?.suggested.includes(k))) inferred.add(`${k}=${v}`);
    }
  }
  return {
    kind: b.kind,
    edges: b.edges.length,
    flows,
    bytes,
    firstSeen: new Date(Number.isFinite(first) ? first : w.from.getTime()).toISOString(),
    lastSeen: new Date(last || w.to.getTime() - HOUR).toISOString(),
    window: { from: w.from.toISOString(), to: w.to.toISOString() },
    clients: b.clients.size,
    servers: b.servers.size,
    examples,
    periodicity,
    inferredLabels: [...inferred].sort(),
    explanation: explain(ctx, b, ports),
  };
}

export function explain(ctx: ProposeContext, b: Bucket, ports: PortSpec[]): string {
  const { portsHow, rangeGap, granularity } = ctx;
  const n = b.edges.length;
  const deps = `${n} ${n === 1 ? 'dependency' : 'dependencies'} between ${b.clients.size} client${b.clients.size === 1 ? '' : 's'} and ${b.servers.size} server${b.servers.size === 1 ? '' : 's'}`;
  const portNote = portsHow === 'exact' ? 'the ports observed' : portsHow === 'ranges' ? `observed ports, those less than ${rangeGap + 1} apart folded into ranges` : 'every port of the protocols observed';
  const sideNote = (s: Selector, members: Set<string>) => {
    if (!isLabels(s)) return '';
    const sel = selected(ctx, s);
    return sel.length > members.size ? ` ${formatSelector(s)} selects ${sel.length} workloads, ${members.size} of them seen.` : '';
  };
  const why: Record<ProposalKind, string> = {
    'core-service': 'A shared core service: one rule for its clients, covered by the coarsest selectors that hold no scanner and mostly clients.',
    'core-agent': 'A core service that pulls from agents: one rule for what it reaches, covered like clients of a core service.',
    management: 'A management path: only from the management stations (jump hosts) discovery found.',
    ingress: 'Traffic from outside the estate to a workload group; known scanning sources are excepted.',
    egress: 'Traffic from a workload group to an outside service.',
    'intra-app': `Role to role inside one application (granularity ${granularity}).`,
    'cross-app': `Application to application (granularity ${granularity}).`,
    environment: 'Environment ring-fence (granularity environment): workloads of one environment reach each other on the observed ports.',
  };
  return `${why[b.kind]} Evidence: ${deps}; ${portNote}: ${formatPorts(ports)}.${sideNote(b.from, b.fromMembers)}${sideNote(b.to, b.toMembers)}`;
}

/** Capitalize phrases Bulkhead wrote ("every workload..."), never names. */
const sentence = (s: string) => (/^(every|internet|the|anything)\b/.test(s) ? s[0]!.toUpperCase() + s.slice(1) : s);

const SERVICE_NAMES: Record<string, string> = { dns: 'DNS', ntp: 'NTP', directory: 'directory (LDAP/Kerberos)', logging: 'logging', monitoring: 'monitoring', backup: 'backup', patching: 'patching', proxy: 'proxy', shared: 'shared' };
