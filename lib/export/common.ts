// What every exporter shares: its input (a baseline document), its output (files plus what it
// could not express), the rules in force, names that the targets accept, and address arithmetic
// for targets without CIDR exceptions.
import { isIP } from 'node:net';
import { valueText } from '../identity/networks';
import { isAny, isCidr, isLabels, WORKLOAD_KEY, type CidrSelector, type LabelSelector, type PortSpec, type Selector } from '../policy/model';
import { cidrMatcher, labelsMatch, matcherHas, rangeOf } from '../policy/selectors';

/** A single address (/32, /128): a known scanner, say; targets without exceptions deny these apart. */
export const isHostCidr = (c: string) => /\/(32|128)$/.test(c);
import type { BaselineDoc, BaselineRule, BaselineWorkload } from './baseline';
import { DEFAULT_ENFORCEMENT, type EnforcementState } from '../policy/enforcement-states';

/** An application in one environment, as its workloads' `app` and `env` labels name it ("" for no env). */
export interface AppEnv {
  application: string;
  environment: string;
}

export const NOTHING_ENFORCED = 'no application is enforced: nothing is blocked (bulkhead enforce APP --env ENV --state enforced)';

/**
 * The enforcement state of each workload of the document: that of its (app, env) pair, and
 * visibility for workloads of no application and pairs the document does not list.
 */
export function enforcementOf(doc: BaselineDoc): { of: (w: BaselineWorkload) => EnforcementState; pairs: (state: EnforcementState) => AppEnv[] } {
  const byPair = new Map<string, EnforcementState>();
  for (const e of doc.enforcement ?? []) byPair.set(`${e.application}\n${e.environment}`, e.state);
  return {
    of: (w) => (w.labels.app ? (byPair.get(`${w.labels.app}\n${w.labels.env ?? ''}`) ?? DEFAULT_ENFORCEMENT) : DEFAULT_ENFORCEMENT),
    pairs: (state) => (doc.enforcement ?? []).filter((e) => e.state === state).map((e) => ({ application: e.application, environment: e.environment })),
  };
}

export interface ExportFile {
  /** file name (relative): the one file of most formats, one per host for nftables */
  name: string;
  content: string;
}

export interface ExportResult {
  format: string;
  files: ExportFile[];
  /** rules exported, and rules (or parts) the target cannot express, with the reason */
  exported: number;
  warnings: string[];
}

export interface ExportOptions {
  /** calico-staged: write StagedNetworkPolicy in this namespace. Kubernetes and Cilium ignore it: each policy goes in its pods' own namespace */
  namespace?: string;
  /** prefix for label keys in Calico selectors (e.g. "bulkhead.io/"); the implicit workload key always gets "bulkhead.io/". Kubernetes and Cilium select pods by their own labels */
  labelPrefix?: string;
  /** rules expiring before this are left out (default now) */
  now?: Date;
}

/** Rules a target should enforce: the document's proposed/approved rules that have not expired. */
export function rulesInForce(doc: BaselineDoc, now = new Date()): { rules: BaselineRule[]; skipped: string[] } {
  const rules: BaselineRule[] = [];
  const skipped: string[] = [];
  for (const r of doc.rules) {
    if (r.status !== 'approved' && r.status !== 'proposed') skipped.push(`rule ${r.id}: status ${r.status}, not exported`);
    else if (r.expires && new Date(r.expires) <= now) skipped.push(`rule ${r.id}: expired ${r.expires}, not exported`);
    else rules.push(r);
  }
  return { rules, skipped };
}

/**
 * Whether a label selector may pick workloads of an application and environment: its own app and
 * env labels allow it, and a workload it names (by the implicit key) is one of them.
 */
export function mayMatchPair(labels: Record<string, string>, pair: AppEnv, doc: BaselineDoc): boolean {
  const { app, env } = labels;
  if (app !== undefined && app !== pair.application) return false;
  if (pair.environment ? env !== undefined && env !== pair.environment : env !== undefined) return false;
  const name = labels[WORKLOAD_KEY];
  if (name === undefined) return true;
  const w = doc.workloads.find((x) => x.name === name);
  return w !== undefined && w.labels.app === pair.application && (w.labels.env ?? '') === pair.environment;
}

export const pairName = (p: AppEnv) => (p.environment ? `${p.application}@${p.environment}` : `${p.application} (no env label)`);

/** A Kubernetes object name (RFC 1123 label: lowercase letters, digits, '-', at most 63). */
export function dnsName(text: string, max = 63): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return (s.slice(0, max).replace(/-$/, '') || 'x');
}

export const isV6 = (a: string) => isIP(a) === 6;

/** The workloads of the document a selector picks (labels, or an address in the CIDR, or all). */
export function selectedWorkloads(s: Selector, doc: BaselineDoc): BaselineWorkload[] {
  if (isAny(s)) return doc.workloads;
  if (isLabels(s)) return doc.workloads.filter((w) => labelsMatch(s.labels, w));
  const m = cidrMatcher(s);
  return doc.workloads.filter((w) => w.addresses.some((a) => matcherHas(m, a)));
}

/** The addresses behind a label selector, split by family, sorted and unique. */
export function selectorAddresses(s: Selector, doc: BaselineDoc): { v4: string[]; v6: string[] } {
  const all = new Set<string>();
  for (const w of selectedWorkloads(s, doc)) for (const a of w.addresses) all.add(a);
  const list = [...all].sort();
  return { v4: list.filter((a) => !isV6(a)), v6: list.filter(isV6) };
}

/** A CIDR selector as plain CIDRs (its range minus its exceptions), for targets without exceptions. */
export function cidrsOf(s: CidrSelector, opts: { keep?: (except: string) => boolean } = {}): string[] {
  // address families are kept apart by the targets themselves: no IPv4-mapped exception here
  const range = rangeOf(s.cidr);
  const v4 = range.v4;
  let parts: Array<[bigint, bigint]> = [[range.lo, range.hi]];
  for (const e of (s.except ?? []).filter((x) => opts.keep?.(x) ?? true).map(rangeOf)) {
    const next: Array<[bigint, bigint]> = [];
    for (const [lo, hi] of parts) {
      if (e.hi < lo || e.lo > hi) {
        next.push([lo, hi]);
        continue;
      }
      if (e.lo > lo) next.push([lo, e.lo - 1n]);
      if (e.hi < hi) next.push([e.hi + 1n, hi]);
    }
    parts = next;
  }
  return parts.flatMap(([lo, hi]) => rangeToCidrs(lo, hi, v4));
}

function rangeToCidrs(lo: bigint, hi: bigint, v4: boolean): string[] {
  const out: string[] = [];
  const base = v4 ? 0xffffn << 32n : 0n;
  const bits = v4 ? 32 : 128;
  let cur = lo;
  while (cur <= hi) {
    let size = 0;
    while (size < bits) {
      const block = 1n << BigInt(size + 1);
      if ((cur - base) % block !== 0n || cur + block - 1n > hi) break;
      size++;
    }
    const text = valueText(cur);
    out.push(`${v4 ? text.replace(/^::ffff:/, '') : text}/${bits - size}`);
    cur += 1n << BigInt(size);
  }
  return out;
}

/** Does a CIDR selector hold any IPv4 (or IPv6) address? */
export const cidrFamily = (s: CidrSelector): 'v4' | 'v6' => (rangeOf(s.cidr).v4 ? 'v4' : 'v6');

export function describeSelectorShort(s: Selector): string {
  if (isAny(s)) return 'any';
  if (isCidr(s)) return s.except?.length ? `${s.cidr} except ${s.except.length} ranges` : s.cidr;
  const keys = Object.keys(s.labels);
  return keys.length ? keys.sort().map((k) => `${k}=${s.labels[k]}`).join(',') : 'every workload';
}

/** tcp/udp ports of a spec list, grouped by protocol; icmp and any reported apart. */
export function portsByProtocol(ports: readonly PortSpec[]): { tcp: Array<[number, number]> | 'all' | null; udp: Array<[number, number]> | 'all' | null; icmp: boolean; any: boolean } {
  const out = { tcp: null as Array<[number, number]> | 'all' | null, udp: null as Array<[number, number]> | 'all' | null, icmp: false, any: false };
  for (const p of ports) {
    if (p.protocol === 'any') out.any = true;
    else if (p.protocol === 'icmp') out.icmp = true;
    else {
      const cur = out[p.protocol];
      if (cur === 'all') continue;
      if (p.port === undefined) out[p.protocol] = 'all';
      else out[p.protocol] = [...(cur ?? []), [p.port, p.endPort ?? p.port]];
    }
  }
  return out;
}

/** "rule <id>: <intent>" trimmed for comments and descriptions. */
export const ruleNote = (r: BaselineRule, max = 240) => {
  const t = `${r.intent}`.replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
