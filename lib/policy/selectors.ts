// What a selector selects: workloads by labels, addresses by range, or anything; and whether one
// selector is inside another (narrowing an approved rule must not widen it).
import { parseCidr } from '../flow/cidr';
import { addressValue, cidrRange } from '../identity/networks';
import { isAny, isCidr, isLabels, WORKLOAD_KEY, type CidrSelector, type Selector } from './model';

/** A workload as policy sees it: its labels (facts, then suggestions) and its addresses. */
export interface PolicyWorkload {
  id: string;
  name: string;
  /** effective labels: inventory, user and confirmed labels, then unconfirmed suggestions for keys they lack */
  labels: Record<string, string>;
  /** label keys whose value is an unconfirmed suggestion */
  suggested: string[];
  /** addresses currently held (or held in the window asked for) */
  addresses: string[];
  /** a pod from Kubernetes inventory: its namespace and its own labels (what NetworkPolicy selects by) */
  kubernetes?: PodIdentity;
}

export interface PodIdentity {
  namespace: string;
  labels: Record<string, string>;
}

const MAPPED_LO = 0xffffn << 32n;
const MAPPED_HI = MAPPED_LO | 0xffffffffn;

export interface Range {
  lo: bigint;
  hi: bigint;
  v4: boolean;
}

export function rangeOf(cidr: string): Range {
  const c = parseCidr(cidr);
  const r = cidrRange(cidr);
  return { lo: r.start, hi: r.end, v4: c.family === 'ipv4' };
}

/** The address ranges a CIDR selector allows: the CIDR minus its exceptions, IPv6 CIDRs never holding IPv4 addresses. */
export interface CidrMatcher {
  range: Range;
  except: Range[];
}

export function cidrMatcher(s: CidrSelector): CidrMatcher {
  const range = rangeOf(s.cidr);
  const except = (s.except ?? []).map(rangeOf);
  // IPv4 lives at ::ffff:0:0/96 in the IPv6 space; an IPv6 CIDR such as ::/0 never means IPv4 addresses.
  if (!range.v4 && range.lo <= MAPPED_LO && range.hi >= MAPPED_HI) except.push({ lo: MAPPED_LO, hi: MAPPED_HI, v4: false });
  return { range, except };
}

export function matcherHas(m: CidrMatcher, addr: string): boolean {
  const v = addressValue(addr);
  if (v === null) return false;
  if (v < m.range.lo || v > m.range.hi) return false;
  return !m.except.some((e) => v >= e.lo && v <= e.hi);
}

/** Does the selector pick this workload? A CIDR picks a workload when one of its addresses is in it. */
export function selectsWorkload(s: Selector, w: PolicyWorkload, cidr?: CidrMatcher): boolean {
  if (isAny(s)) return true;
  if (isLabels(s)) return labelsMatch(s.labels, w);
  const m = cidr ?? cidrMatcher(s);
  return w.addresses.some((a) => matcherHas(m, a));
}

export function labelsMatch(want: Record<string, string>, w: Pick<PolicyWorkload, 'name' | 'labels'>): boolean {
  for (const [k, v] of Object.entries(want)) {
    const have = k === WORKLOAD_KEY ? w.name : w.labels[k];
    if (have !== v) return false;
  }
  return true;
}

/** Does the selector pick this address (one that belongs to no workload, or whose workload is unknown)? */
export function selectsAddress(s: Selector, addr: string): boolean {
  if (isAny(s)) return true;
  if (isLabels(s)) return false;
  return matcherHas(cidrMatcher(s), addr);
}

/** Is everything `inner` selects also selected by `outer`? (Conservative: false when unsure.) */
export function selectorWithin(inner: Selector, outer: Selector): boolean {
  if (isAny(outer)) return true;
  if (isAny(inner)) return false;
  if (isLabels(outer)) {
    if (!isLabels(inner)) return false;
    return Object.entries(outer.labels).every(([k, v]) => inner.labels[k] === v);
  }
  if (!isCidr(inner)) return false;
  const a = cidrMatcher(inner);
  const b = cidrMatcher(outer as CidrSelector);
  if (a.range.v4 !== b.range.v4) return false;
  if (a.range.lo < b.range.lo || a.range.hi > b.range.hi) return false;
  // every part of inner that outer excepts must be excepted by inner too
  for (const e of b.except) {
    const lo = e.lo > a.range.lo ? e.lo : a.range.lo;
    const hi = e.hi < a.range.hi ? e.hi : a.range.hi;
    if (lo > hi) continue;
    if (!a.except.some((x) => x.lo <= lo && x.hi >= hi)) return false;
  }
  return true;
}

/** The workloads a selector picks. */
export function selectWorkloads(s: Selector, workloads: readonly PolicyWorkload[]): PolicyWorkload[] {
  const m = isCidr(s) ? cidrMatcher(s) : undefined;
  return workloads.filter((w) => selectsWorkload(s, w, m));
}
