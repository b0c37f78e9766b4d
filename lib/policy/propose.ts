// Proposals: the discovery graph turned into label-based allow rules, coarse to fine.
//
// Every dependency (edge) of the window falls into one kind, which decides its selectors:
//   core-service  everyone who uses a shared core service (DNS, NTP, directory, logging, patching)
//                 -> the service: clients are covered by the coarsest selectors that hold no
//                 scanner and mostly clients (every workload, an environment, an application...)
//   core-agent    a core service that pulls from agents (monitoring, backup) -> what it pulls from
//   management    jump hosts -> what they manage (covered like core-service clients)
//   ingress       a network, partner or the internet -> a workload group (known scanners excepted)
//   egress        a workload group -> an outside address or network
//   intra-app     role to role inside an application (the granularity knob decides the level)
//   cross-app     application to application
//   environment   with granularity 'environment': environment to environment (ring-fencing)
// Scanners never produce rules. Rules with the same selectors are consolidated (ports merged, then
// generalised by the port knob), and each carries its evidence and a one-sentence intent.
// Pure: analysis result and label view in, proposals out (./save.ts writes them).
import { createHash } from 'node:crypto';
import { IPV6_INTERNET, NOT_INTERNET_V4 } from '../flow/scope';
import { LEVELS, type AnalysisEdge, type AnalysisResult, type AnalysisWorkload, type Level } from '../analysis/types';
import { describeRule, formatPorts, formatSelector, isCidr, isLabels, selectorKey, WORKLOAD_KEY, type Evidence, type PortSpec, type ProposalKind, type RuleDraft, type Selector } from './model';
import type { PolicyView } from './labels';
import { DEFAULT_RANGE_GAP, generalisePorts, normalizePorts, portOfEdge, type PortGeneralisation } from './ports';
import { cidrMatcher, matcherHas, selectWorkloads, type PolicyWorkload } from './selectors';

/** How fine application rules are: one of the graph's levels (the option keeps its own name). */
export type Granularity = Level;

/**
 * Share of a covering selector's workloads that must be observed clients (docs/policy.md,
 * "Cover"): at 0.9 a coarse rule gives at most one workload in ten a reach it did not show.
 */
export const DEFAULT_COVER = 0.9;
export const GRANULARITIES: readonly Granularity[] = LEVELS;

export interface ProposeOptions {
  /** how fine application rules are (default 'role') */
  granularity?: Granularity;
  /** exact observed ports (default), nearby ports as ranges, or every port of the protocol */
  ports?: PortGeneralisation;
  /** largest gap folded into a range under ports 'ranges' */
  rangeGap?: number;
  /**
   * Clients of a core service (and targets of management or agents) are covered by a coarser
   * selector when at least this share of what it selects are clients (default 0.9): new
   * workloads get DNS without a new rule, at the price of a little reach for the rest.
   */
  coverThreshold?: number;
}

export interface Proposal extends RuleDraft {
  /** stable identity: selectors + ports (re-proposing updates, never duplicates) */
  key: string;
  kind: ProposalKind;
  /** the application whose owners review it (name), when one */
  application: string | null;
  evidence: Evidence;
}

export interface ProposalSet {
  window: { from: Date; to: Date };
  options: Required<Omit<ProposeOptions, 'rangeGap'>> & { rangeGap: number };
  rules: Proposal[];
  /** what did not become a rule, and why */
  skipped: {
    /** edges whose client is a scanner (there are none unless labels mark one; discovery already drops scans) */
    scannerEdges: number;
    /** both ends outside the estate */
    transit: number;
    /** protocols a rule cannot name (not TCP, UDP or ICMP) */
    unsupportedProtocol: Array<{ from: string; to: string; protocol: number; flows: number }>;
  };
  /** scanners known to the analysis: workloads (never selected by a proposal) and outside addresses (excepted from network rules) */
  scanners: { workloads: string[]; addresses: string[] };
}


const HOUR = 3_600_000;

interface Bucket {
  kind: ProposalKind;
  from: Selector;
  to: Selector;
  ports: PortSpec[];
  edges: AnalysisEdge[];
  clients: Set<string>;
  servers: Set<string>;
  /** the workloads behind label selectors on each side (for inferred-label evidence) */
  fromMembers: Set<string>;
  toMembers: Set<string>;
}

export function buildProposals(result: AnalysisResult, view: PolicyView, opts: ProposeOptions = {}): ProposalSet {
  const granularity = opts.granularity ?? 'role';
  const portsHow = opts.ports ?? 'exact';
  const rangeGap = opts.rangeGap ?? DEFAULT_RANGE_GAP;
  const theta = opts.coverThreshold ?? DEFAULT_COVER;
  const analysed = new Map<string, AnalysisWorkload>(result.workloads.map((w) => [w.id, w]));
  const endpointName = new Map([...result.endpoints.map((e) => [e.id, e.name] as const), ...result.clientNetworks.map((n) => [n.cidr, n.name] as const)]);

  // --- scanners: never selected, never a source -----------------------------------------------
  const scannerIds = new Set(result.workloads.filter((w) => w.scanner).map((w) => w.id));
  // a shared service whose discovery job also sweeps (scope 'probes') keeps its rules: only its probes were set apart
  for (const s of result.coverage.excluded.scanners) if (s.workloadId && s.scope !== 'probes') scannerIds.add(s.workloadId);
  const scannerAddrs = result.coverage.excluded.scanners.filter((s) => !s.workloadId).map((s) => s.id);
  const forbidden = (id: string) => scannerIds.has(id);

  const selCache = new Map<string, PolicyWorkload[]>();
  const selected = (s: Selector) => {
    const k = selectorKey(s);
    let v = selCache.get(k);
    if (!v) selCache.set(k, (v = selectWorkloads(s, view.workloads)));
    return v;
  };
  const labelsOf = (id: string) => view.byId.get(id)?.labels ?? {};
  const nameOf = (id: string) => view.byId.get(id)?.name ?? analysed.get(id)?.name ?? endpointName.get(id) ?? id;

  // --- group selectors ------------------------------------------------------------------------------
  const pick = (l: Record<string, string>, keys: string[]) => {
    const out: Record<string, string> = {};
    for (const k of keys) if (l[k] !== undefined) out[k] = l[k]!;
    return out;
  };
  const workloadSel = (id: string): Selector => ({ labels: { [WORKLOAD_KEY]: nameOf(id) } });
  /** the selector of a workload's group at a level; falls back to finer levels when labels are missing */
  const groupAt = (id: string, level: Granularity): Selector => {
    const l = labelsOf(id);
    if (level === 'environment' && l.env) return { labels: { env: l.env } };
    if ((level === 'environment' || level === 'application') && l.app) return { labels: pick(l, ['app', 'env']) };
    if (level !== 'workload' && l.app && l.role) return { labels: pick(l, ['app', 'env', 'role']) };
    return workloadSel(id);
  };
  /** a group selector that must not select a scanner (as a source): else the workload alone */
  const safeGroup = (id: string, level: Granularity): Selector => {
    const s = groupAt(id, level);
    return selected(s).some((w) => forbidden(w.id)) ? workloadSel(id) : s;
  };
  /** a core service or jump host: its application (the service) and role, whatever the granularity: what lives beside it (the backup server's storage) gets none of its reach */
  const serviceGroup = (id: string): Selector => {
    const l = labelsOf(id);
    return l.app ? { labels: pick(l, ['app', 'env', 'role']) } : workloadSel(id);
  };

  const externalSel = (id: string): Selector => {
    // the IPv6 internet is global unicast (2000::/3); the IPv4 internet is everything but the special ranges
    let cidr = id === '::/0' ? IPV6_INTERNET : id.includes('/') ? id : `${id}/${id.includes(':') ? 128 : 32}`;
    const except: string[] = [];
    if (id === '0.0.0.0/0') except.push(...NOT_INTERNET_V4);
    if (id.includes('/')) {
      const m = cidrMatcher({ cidr });
      for (const a of scannerAddrs) if (matcherHas(m, a)) except.push(`${a}/${a.includes(':') ? 128 : 32}`);
    }
    cidr = cidr.trim();
    return except.length ? { cidr, except } : { cidr };
  };

  // --- cover: the coarsest selectors that hold the targets, no scanner, and mostly targets ----------
  const cover = (targets: Set<string>, sources: boolean): Array<{ selector: Selector; members: string[] }> => {
    const out: Array<{ selector: Selector; members: string[] }> = [];
    // a scanner is never a source; as a server (monitoring scrapes it, backup pulls from it) it is like any other
    const excluded = (id: string) => sources && forbidden(id);
    let left = [...targets].filter((t) => !excluded(t)).sort();
    // coarse to fine: every workload, an environment, a role everywhere or in an environment
    // (all databases: what a backup service reaches), an application, a role of an application
    const levels: Array<(id: string) => Selector | null> = [
      () => ({ labels: {} }),
      (id) => (labelsOf(id).env ? { labels: { env: labelsOf(id).env! } } : null),
      (id) => (labelsOf(id).role ? { labels: { role: labelsOf(id).role! } } : null),
      (id) => (labelsOf(id).role && labelsOf(id).env ? { labels: pick(labelsOf(id), ['env', 'role']) } : null),
      (id) => (labelsOf(id).app ? { labels: pick(labelsOf(id), ['app', 'env']) } : null),
      (id) => (labelsOf(id).app && labelsOf(id).role ? { labels: pick(labelsOf(id), ['app', 'env', 'role']) } : null),
    ];
    for (const level of levels) {
      if (!left.length) break;
      const tried = new Set<string>();
      const remaining = new Set(left);
      for (const id of left) {
        if (!remaining.has(id)) continue;
        const s = level(id);
        if (!s) continue;
        const k = selectorKey(s);
        if (tried.has(k)) continue;
        tried.add(k);
        const sel = selected(s);
        if (!sel.length || sel.some((w) => excluded(w.id))) continue;
        const hit = sel.filter((w) => targets.has(w.id));
        if (hit.length / sel.length < theta) continue;
        out.push({ selector: s, members: hit.map((w) => w.id) });
        for (const w of hit) remaining.delete(w.id);
      }
      left = left.filter((id) => remaining.has(id));
    }
    for (const id of left) out.push({ selector: workloadSel(id), members: [id] });
    return out;
  };

  // --- classify every edge ----------------------------------------------------------------------------
  const buckets = new Map<string, Bucket>();
  const add = (kind: ProposalKind, from: Selector, to: Selector, port: PortSpec, e: AnalysisEdge, fromMember: string | null, toMember: string | null) => {
    const k = `${selectorKey(from)}|${selectorKey(to)}`;
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = { kind, from, to, ports: [], edges: [], clients: new Set(), servers: new Set(), fromMembers: new Set(), toMembers: new Set() }));
    b.ports.push(port);
    b.edges.push(e);
    b.clients.add(e.from);
    b.servers.add(e.to);
    if (fromMember) b.fromMembers.add(fromMember);
    if (toMember) b.toMembers.add(toMember);
  };
  // bundles whose one side is covered after all edges are seen: kind|fixed side|port -> counterpart workloads
  interface Bundle {
    kind: 'core-service' | 'core-agent' | 'management';
    fixed: Selector;
    fixedIsFrom: boolean;
    port: PortSpec;
    edges: Map<string, AnalysisEdge[]>;
    fixedMembers: Set<string>;
  }
  const bundles = new Map<string, Bundle>();
  const bundle = (kind: Bundle['kind'], fixed: Selector, fixedIsFrom: boolean, port: PortSpec, other: string, fixedMember: string, e: AnalysisEdge) => {
    const k = `${kind}|${selectorKey(fixed)}|${JSON.stringify(port)}`;
    let b = bundles.get(k);
    if (!b) bundles.set(k, (b = { kind, fixed, fixedIsFrom, port, edges: new Map(), fixedMembers: new Set() }));
    let list = b.edges.get(other);
    if (!list) b.edges.set(other, (list = []));
    list.push(e);
    b.fixedMembers.add(fixedMember);
  };

  const skipped: ProposalSet['skipped'] = { scannerEdges: 0, transit: 0, unsupportedProtocol: [] };
  const isW = (id: string) => view.byId.has(id);
  const appKey = (id: string) => {
    const l = labelsOf(id);
    return l.app ? `${l.app}@${l.env ?? ''}` : `w:${id}`;
  };
  for (const e of result.edges) {
    const cw = isW(e.from);
    const sw = isW(e.to);
    if (e.fromScanner || (cw && forbidden(e.from)) || (!cw && scannerAddrs.includes(e.from))) {
      skipped.scannerEdges++;
      continue;
    }
    const port = portOfEdge(e.protocol, e.port);
    if (!port) {
      skipped.unsupportedProtocol.push({ from: nameOf(e.from), to: nameOf(e.to), protocol: e.protocol, flows: e.flows });
      continue;
    }
    if (!cw && !sw) {
      skipped.transit++;
      continue;
    }
    const ca = analysed.get(e.from);
    const sa = analysed.get(e.to);
    // unknown clients that belong to a suggested network are that network: next week's addresses too
    if (!cw) add('ingress', externalSel(e.fromNetwork ?? e.from), safeTo(e.to), port, e, null, e.to);
    else if (!sw) add('egress', safeGroup(e.from, granularity === 'environment' ? 'application' : granularity), externalSel(e.to), port, e, e.from, null);
    else if (e.flags.coreService && sa?.coreService) bundle('core-service', serviceGroup(e.to), false, port, e.from, e.to, e);
    else if (e.flags.coreService && ca?.coreService) bundle('core-agent', serviceGroup(e.from), true, port, e.to, e.from, e);
    else if (e.flags.management && ca?.management) bundle('management', safeGroup(e.from, 'role'), true, port, e.to, e.from, e);
    else if (granularity === 'environment' && labelsOf(e.from).env && labelsOf(e.from).env === labelsOf(e.to).env) {
      add('environment', safeGroup(e.from, 'environment'), groupAt(e.to, 'environment'), port, e, e.from, e.to);
    } else {
      const level = granularity === 'environment' ? 'application' : granularity;
      add(appKey(e.from) === appKey(e.to) ? 'intra-app' : 'cross-app', safeGroup(e.from, level), groupAt(e.to, level), port, e, e.from, e.to);
    }
  }
  function safeTo(id: string): Selector {
    return groupAt(id, granularity === 'environment' ? 'application' : granularity);
  }

  for (const b of bundles.values()) {
    const targets = new Set(b.edges.keys());
    for (const c of cover(targets, !b.fixedIsFrom)) {
      for (const m of c.members) {
        for (const e of b.edges.get(m) ?? []) {
          if (b.fixedIsFrom) add(b.kind, b.fixed, c.selector, b.port, e, e.from, m);
          else add(b.kind, c.selector, b.fixed, b.port, e, m, e.to);
        }
      }
    }
  }

  // --- consolidate into rules ----------------------------------------------------------------------
  const window = { from: result.window.from, to: result.window.to };
  const rules: Proposal[] = [];
  for (const b of buckets.values()) {
    const ports = generalisePorts(normalizePorts(b.ports), portsHow, rangeGap);
    const application = ownerOf(b);
    const evidence = evidenceOf(b, window, ports);
    const draft = { from: b.from, to: b.to, ports };
    rules.push({ ...draft, key: proposalKey(draft), kind: b.kind, application, owner: application, intent: intentOf(b, ports), evidence });
  }
  const kindOrder: ProposalKind[] = ['core-service', 'core-agent', 'management', 'environment', 'intra-app', 'cross-app', 'ingress', 'egress'];
  rules.sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || (a.application ?? '').localeCompare(b.application ?? '') || describeRule(a).localeCompare(describeRule(b)));
  return {
    window,
    options: { granularity, ports: portsHow, coverThreshold: theta, rangeGap },
    rules,
    skipped,
    scanners: { workloads: [...scannerIds].map(nameOf).sort(), addresses: [...scannerAddrs].sort() },
  };

  // --- helpers that read the closure -----------------------------------------------------------------
  function ownerOf(b: Bucket): string | null {
    const app = (s: Selector) => (isLabels(s) ? (s.labels.app ?? (s.labels[WORKLOAD_KEY] ? labelsOf(view.byName.get(s.labels[WORKLOAD_KEY]!)?.id ?? '').app : undefined)) : undefined);
    // the provider approves who may reach it; egress belongs to the client
    return (b.kind === 'egress' || b.kind === 'core-agent' || b.kind === 'management' ? app(b.from) ?? app(b.to) : app(b.to) ?? app(b.from)) ?? null;
  }

  function describeSide(s: Selector, outside: 'clients' | 'servers'): string {
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
      const n = endpointName.get(s.cidr) ?? endpointName.get(bare);
      return n && n !== bare ? `${n} (${s.cidr})` : bare;
    }
    return 'anything';
  }

  function intentOf(b: Bucket, ports: PortSpec[]): string {
    const from = describeSide(b.from, 'clients');
    const to = describeSide(b.to, 'servers');
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

  function evidenceOf(b: Bucket, w: { from: Date; to: Date }, ports: PortSpec[]): Evidence {
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
    const examples = top.map((e) => `${nameOf(e.from)} -> ${nameOf(e.to)} ${formatPorts([portOfEdge(e.protocol, e.port)!])} (${e.flows.toLocaleString('en-US')} flows, ${e.periodicity})`);
    const inferred = new Set<string>();
    for (const [s, members] of [[b.from, b.fromMembers], [b.to, b.toMembers]] as const) {
      if (!isLabels(s)) continue;
      for (const [k, v] of Object.entries(s.labels)) {
        if (k === WORKLOAD_KEY) continue;
        if ([...members].some((id) => view.byId.get(id)?.suggested.includes(k))) inferred.add(`${k}=${v}`);
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
      explanation: explain(b, ports),
    };
  }

  function explain(b: Bucket, ports: PortSpec[]): string {
    const n = b.edges.length;
    const deps = `${n} ${n === 1 ? 'dependency' : 'dependencies'} between ${b.clients.size} client${b.clients.size === 1 ? '' : 's'} and ${b.servers.size} server${b.servers.size === 1 ? '' : 's'}`;
    const portNote = portsHow === 'exact' ? 'the ports observed' : portsHow === 'ranges' ? `observed ports, those less than ${rangeGap + 1} apart folded into ranges` : 'every port of the protocols observed';
    const sideNote = (s: Selector, members: Set<string>) => {
      if (!isLabels(s)) return '';
      const sel = selected(s);
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
}

/** Capitalize phrases Bulkhead wrote ("every workload..."), never names. */
const sentence = (s: string) => (/^(every|internet|the|anything)\b/.test(s) ? s[0]!.toUpperCase() + s.slice(1) : s);

const SERVICE_NAMES: Record<string, string> = { dns: 'DNS', ntp: 'NTP', directory: 'directory (LDAP/Kerberos)', logging: 'logging', monitoring: 'monitoring', backup: 'backup', patching: 'patching', proxy: 'proxy', shared: 'shared' };

/** Stable identity of a proposal: its selectors and (normalized) ports. */
export function proposalKey(r: { from: Selector; to: Selector; ports: readonly PortSpec[] }): string {
  const text = `${selectorKey(r.from)}|${selectorKey(r.to)}|${JSON.stringify(normalizePorts(r.ports))}`;
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
