// Classifying edges: every dependency of the window goes into one bucket (its kind and the two
// selectors that will become a rule), or is skipped with its reason. Dependencies on a core
// service, of a core agent or from a jump host are first gathered into bundles (one side fixed)
// and spread into buckets once all are seen, because their other side is covered as a whole
// (./propose-cover.ts). Buckets and bundles keep insertion order: rule order depends on it.
import type { AnalysisEdge } from '../analysis/types';
import { selectorKey, type PortSpec, type ProposalKind, type Selector } from './model';
import { portOfEdge } from './ports';
import { externalSel, groupAt, labelsOf, nameOf, safeGroup, serviceGroup, type ProposeContext } from './propose-context';
import { cover } from './propose-cover';
import type { Skipped } from './propose-types';
export type { Skipped };

export interface Bucket {
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

/** Edges whose one side is covered after all edges are seen, keyed kind|fixed side|port; `edges` by counterpart workload. */
export interface Bundle {
  kind: 'core-service' | 'core-agent' | 'management';
  fixed: Selector;
  fixedIsFrom: boolean;
  port: PortSpec;
  edges: Map<string, AnalysisEdge[]>;
  fixedMembers: Set<string>;
}


export interface Classified {
  buckets: Map<string, Bucket>;
  bundles: Map<string, Bundle>;
  skipped: Skipped;
}

export function addToBucket(buckets: Map<string, Bucket>, kind: ProposalKind, from: Selector, to: Selector, port: PortSpec, e: AnalysisEdge, fromMember: string | null, toMember: string | null): void {
  const k = `${selectorKey(from)}|${selectorKey(to)}`;
  let b = buckets.get(k);
  if (!b) buckets.set(k, (b = { kind, from, to, ports: [], edges: [], clients: new Set(), servers: new Set(), fromMembers: new Set(), toMembers: new Set() }));
  b.ports.push(port);
  b.edges.push(e);
  b.clients.add(e.from);
  b.servers.add(e.to);
  if (fromMember) b.fromMembers.add(fromMember);
  if (toMember) b.toMembers.add(toMember);
}

export function addToBundle(bundles: Map<string, Bundle>, kind: Bundle['kind'], fixed: Selector, fixedIsFrom: boolean, port: PortSpec, other: string, fixedMember: string, e: AnalysisEdge): void {
  const k = `${kind}|${selectorKey(fixed)}|${JSON.stringify(port)}`;
  let b = bundles.get(k);
  if (!b) bundles.set(k, (b = { kind, fixed, fixedIsFrom, port, edges: new Map(), fixedMembers: new Set() }));
  let list = b.edges.get(other);
  if (!list) b.edges.set(other, (list = []));
  list.push(e);
  b.fixedMembers.add(fixedMember);
}

/** Every edge of the result into a bucket or a bundle, or counted as skipped. */
export function classifyEdges(ctx: ProposeContext): Classified {
  const { view, granularity, scannerIds, scannerAddrs, analysed } = ctx;
  const buckets = new Map<string, Bucket>();
  const bundles = new Map<string, Bundle>();
  const skipped: Skipped = { scannerEdges: 0, transit: 0, unsupportedProtocol: [] };
  const appLevel = granularity === 'environment' ? 'application' : granularity;
  const appKey = (id: string) => {
    const l = labelsOf(ctx, id);
    return l.app ? `${l.app}@${l.env ?? ''}` : `w:${id}`;
  };
  for (const e of ctx.result.edges) {
    const cw = view.byId.has(e.from);
    const sw = view.byId.has(e.to);
    if (e.fromScanner || (cw && scannerIds.has(e.from)) || (!cw && scannerAddrs.includes(e.from))) {
      skipped.scannerEdges++;
      continue;
    }
    const port = portOfEdge(e.protocol, e.port);
    if (!port) {
      skipped.unsupportedProtocol.push({ from: nameOf(ctx, e.from), to: nameOf(ctx, e.to), protocol: e.protocol, flows: e.flows });
      continue;
    }
    if (!cw && !sw) {
      skipped.transit++;
      continue;
    }
    const ca = analysed.get(e.from);
    const sa = analysed.get(e.to);
    // unknown clients that belong to a suggested network are that network: next week's addresses too
    if (!cw) addToBucket(buckets, 'ingress', externalSel(scannerAddrs, e.fromNetwork ?? e.from), groupAt(ctx, e.to, appLevel), port, e, null, e.to);
    else if (!sw) addToBucket(buckets, 'egress', safeGroup(ctx, e.from, appLevel), externalSel(scannerAddrs, e.to), port, e, e.from, null);
    else if (e.flags.coreService && sa?.coreService) addToBundle(bundles, 'core-service', serviceGroup(ctx, e.to), false, port, e.from, e.to, e);
    else if (e.flags.coreService && ca?.coreService) addToBundle(bundles, 'core-agent', serviceGroup(ctx, e.from), true, port, e.to, e.from, e);
    else if (e.flags.management && ca?.management) addToBundle(bundles, 'management', safeGroup(ctx, e.from, 'role'), true, port, e.to, e.from, e);
    else if (granularity === 'environment' && labelsOf(ctx, e.from).env && labelsOf(ctx, e.from).env === labelsOf(ctx, e.to).env) {
      addToBucket(buckets, 'environment', safeGroup(ctx, e.from, 'environment'), groupAt(ctx, e.to, 'environment'), port, e, e.from, e.to);
    } else {
      addToBucket(buckets, appKey(e.from) === appKey(e.to) ? 'intra-app' : 'cross-app', safeGroup(ctx, e.from, appLevel), groupAt(ctx, e.to, appLevel), port, e, e.from, e.to);
    }
  }
  return { buckets, bundles, skipped };
}

/** Each bundle's counterpart side covered (./propose-cover.ts) and its edges added to `buckets` (mutated, after the classified ones). */
export function spreadBundles(ctx: ProposeContext, buckets: Map<string, Bucket>, bundles: Map<string, Bundle>): void {
  for (const b of bundles.values()) {
    const targets = new Set(b.edges.keys());
    for (const c of cover(ctx, targets, !b.fixedIsFrom)) {
      for (const m of c.members) {
        for (const e of b.edges.get(m) ?? []) {
          if (b.fixedIsFrom) addToBucket(buckets, b.kind, b.fixed, c.selector, b.port, e, e.from, m);
          else addToBucket(buckets, b.kind, c.selector, b.fixed, b.port, e, m, e.to);
        }
      }
    }
  }
}
