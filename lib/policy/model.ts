// The rule model: allow rules between selectors on ports; everything not allowed is denied.
// One definition (zod) validates what comes from people (CLI, JSON API), files (baselines) and
// the database, and the TypeScript types are derived from it.
//
// A selector picks endpoints in one of three ways:
//   { labels: { app: "orders", role: "db", env: "prod" } }  workloads whose labels match all given
//                                                           key/values ({} = every workload; the
//                                                           implicit key `workload` is its name)
//   { cidr: "203.0.113.0/24", except?: [...] }              addresses in the range, minus the
//                                                           exceptions (as Kubernetes ipBlock)
//   { any: true }                                           anything, workload or not
import { z } from 'zod';
import { formatPort, formatPorts, formatSelector } from './format';
import { BulkheadError, type ErrorKind } from '../errors';
import { portSpecSchema, selectorSchema, type CidrSelector, type LabelSelector, type PortSpec, type Protocol, type Selector } from './selector';

export { formatPort, formatPorts, formatSelector };
export * from './selector';

/** The key every workload carries implicitly: its inventory name (workload-level rules use it). */
export const WORKLOAD_KEY = 'workload';

export const RULE_STATUSES = ['proposed', 'approved', 'rejected', 'expired', 'superseded'] as const;
export type RuleStatus = (typeof RULE_STATUSES)[number];
export const RULE_ORIGINS = ['proposal', 'manual', 'import'] as const;
export type RuleOrigin = (typeof RULE_ORIGINS)[number];

export const isLabels = (s: Selector): s is LabelSelector => 'labels' in s;
export const isCidr = (s: Selector): s is CidrSelector => 'cidr' in s;
export const isAny = (s: Selector): s is { any: true } => 'any' in s;

/** Why a proposal exists: what kind of dependency, and what was observed. */
export interface Evidence {
  /** how the proposal came about (docs/policy.md) */
  kind: ProposalKind;
  /** dependencies (edges of the discovery graph) folded into the rule */
  edges: number;
  flows: number;
  bytes: number;
  /** ISO times */
  firstSeen: string;
  lastSeen: string;
  /** the discovery window behind it */
  window: { from: string; to: string };
  /** distinct client and server endpoints */
  clients: number;
  servers: number;
  /** a few of the dependencies, largest first: "orders-api-01 -> orders-db-01 tcp/5432 (1,234 flows)" */
  examples: string[];
  /** periodicities of the folded edges and how many of each */
  periodicity: Record<string, number>;
  /** label values the selectors rely on that are inferred, not confirmed */
  inferredLabels: string[];
  /** one paragraph: why these selectors and ports */
  explanation: string;
}

export type ProposalKind = 'intra-app' | 'cross-app' | 'core-service' | 'core-agent' | 'management' | 'ingress' | 'egress' | 'environment';

/** A rule as the rest of Bulkhead sees it (the database row, parsed). */
export interface Rule {
  id: string;
  action: 'allow';
  from: Selector;
  to: Selector;
  ports: PortSpec[];
  intent: string;
  /** the owning application's name (its owners review the rule) */
  owner: string | null;
  applicationId: string | null;
  status: RuleStatus;
  expires: Date | null;
  evidence: Evidence | null;
  origin: RuleOrigin;
  proposalKey: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a new rule needs (proposals, imports, manual rules). */
export interface RuleDraft {
  from: Selector;
  to: Selector;
  ports: PortSpec[];
  intent: string;
  owner: string | null;
  expires?: Date | null;
  evidence?: Evidence | null;
}

/** A policy operation refused for a reason the person can act on (a bad selector, not narrower, superseded). */
export class PolicyError extends BulkheadError {
  override name = 'PolicyError';
  constructor(message: string, kind: ErrorKind = 'invalid') {
    super(kind, message);
  }
}

/** No such rule, application or baseline. */
export class NotFoundError extends BulkheadError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super('not-found', message);
  }
}

type Issue = z.core.$ZodIssue;

/**
 * Issues people can act on: a failed union (a selector is one of three shapes) is replaced by the
 * issues of the shape that came closest, instead of zod's bare "Invalid input".
 */
export function explainIssues(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const i of issues) {
    if (i.code === 'invalid_union' && 'errors' in i && i.errors.length) {
      const best = [...i.errors].sort((a, b) => a.length - b.length)[0]!;
      out.push(...explainIssues(best.map((x) => ({ ...x, path: [...i.path, ...x.path] }) as Issue)));
    } else if ((i.code === 'invalid_key' || i.code === 'invalid_element') && 'issues' in i && i.issues.length) {
      // a record key or element: say what is wrong with it, not just that it is
      out.push(...explainIssues(i.issues.map((x) => ({ ...x, path: [...i.path, ...x.path] }) as Issue)));
    } else out.push(i);
  }
  return out;
}

export const issuesText = (issues: readonly Issue[]) => explainIssues(issues).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/** Parse a selector from stored or external JSON; throws PolicyError naming where. */
export function parseSelector(value: unknown, where: string): Selector {
  const r = selectorSchema.safeParse(value);
  if (!r.success) throw new PolicyError(`${where}: not a selector ({labels: {...}}, {cidr: "a.b.c.d/n"} or {any: true}): ${issuesText(r.error.issues)}`);
  return r.data;
}

export function parsePorts(value: unknown, where: string): PortSpec[] {
  const r = z.array(portSpecSchema).min(1).safeParse(value);
  if (!r.success) throw new PolicyError(`${where}: not a port list: ${issuesText(r.error.issues)}`);
  return r.data;
}

/** Canonical JSON of a selector (sorted label keys): equal selectors give equal text. */
export function selectorKey(s: Selector): string {
  if (isLabels(s)) return `labels:${Object.keys(s.labels).sort().map((k) => `${k}=${s.labels[k]}`).join(',')}`;
  if (isCidr(s)) return `cidr:${s.cidr}${s.except?.length ? `-${[...s.except].sort().join(',')}` : ''}`;
  return 'any';
}

/** Parse the short selector text: "app=orders,role=db" | "*" | "10.0.0.0/8" | "10.0.0.0/8 except 10.1.0.0/16" | "any". */
export function parseSelectorText(text: string, where = 'selector'): Selector {
  const t = text.trim();
  if (t === 'any') return { any: true };
  if (t === '*' || t === 'all') return { labels: {} };
  if (/^[0-9a-fA-F:.]+\/\d+(\s+except\s+.+)?$/.test(t)) {
    const [cidr, rest] = t.split(/\s+except\s+/);
    return parseSelector(rest ? { cidr, except: rest.split(/[\s,]+/).filter(Boolean) } : { cidr }, where);
  }
  const labels: Record<string, string> = {};
  for (const part of t.split(',')) {
    const m = /^\s*([^=\s]+)\s*=\s*(.+?)\s*$/.exec(part);
    if (!m) throw new PolicyError(`${where}: "${text}" is not a selector; write key=value[,key=value...], a CIDR (10.0.0.0/8), "*" (every workload) or "any"`);
    labels[m[1]!] = m[2]!;
  }
  return parseSelector({ labels }, where);
}

export const protocolNumber = (p: Protocol): number | null => (p === 'tcp' ? 6 : p === 'udp' ? 17 : p === 'icmp' ? 1 : null);


/** Parse "tcp/5432", "tcp/8000-8100", "udp/53", "icmp", "tcp", "any" (several separated by spaces or commas). */
export function parsePortsText(text: string, where = 'ports'): PortSpec[] {
  const out: PortSpec[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(tcp|udp|icmp|any)(?:\/(\d+)(?:-(\d+))?)?$/i.exec(part);
    if (!m) throw new PolicyError(`${where}: "${part}" is not a port; write tcp/5432, tcp/8000-8100, udp/53, icmp, tcp (every port) or any`);
    const spec: Record<string, unknown> = { protocol: m[1]!.toLowerCase() };
    if (m[2]) spec.port = Number(m[2]);
    if (m[3] && Number(m[3]) !== Number(m[2])) spec.endPort = Number(m[3]);
    out.push(...parsePorts([spec], where));
  }
  if (!out.length) throw new PolicyError(`${where}: no ports given`);
  return out;
}

/** One line for people: "app=orders,role=api -> app=orders,role=db tcp/5432". */
export function describeRule(r: Pick<Rule, 'from' | 'to' | 'ports'>): string {
  return `${formatSelector(r.from)} -> ${formatSelector(r.to)} ${formatPorts(r.ports)}`;
}
