// What every step of proposing reads: the options as applied, the analysis and label view, the
// scanners (never selected, never a source) and a cache of what each selector selects. Built
// once by proposeContext; the steps (./propose-cover.ts, ./propose-classify.ts,
// ./propose-rules.ts) take it as an argument and never change it, except for the selection cache.
import { IPV6_INTERNET, NOT_INTERNET_V4 } from '../flow/scope';
import type { AnalysisResult, AnalysisWorkload, Level } from '../analysis/types';
import { selectorKey, WORKLOAD_KEY, type Selector } from './model';
import type { PolicyView } from './labels';
import type { ProposeOptions } from './propose-types';
import { DEFAULT_RANGE_GAP, type PortGeneralisation } from './ports';
import { cidrMatcher, matcherHas, selectWorkloads, type PolicyWorkload } from './selectors';

/**
 * Share of a covering selector's workloads that must be observed clients (docs/policy.md,
 * "Cover"): at 0.9 a coarse rule gives at most one workload in ten a reach it did not show.
 */
export const DEFAULT_COVER = 0.9;

export interface ProposeContext {
  result: AnalysisResult;
  view: PolicyView;
  granularity: Level;
  portsHow: PortGeneralisation;
  rangeGap: number;
  theta: number;
  analysed: Map<string, AnalysisWorkload>;
  /** endpoint ids and suggested client networks' CIDRs -> names */
  endpointName: Map<string, string>;
  scannerIds: Set<string>;
  scannerAddrs: string[];
  /** selectorKey -> the workloads it selects (filled as steps ask) */
  selections: Map<string, PolicyWorkload[]>;
}

export function proposeContext(result: AnalysisResult, view: PolicyView, opts: ProposeOptions = {}): ProposeContext {
  const { ids, addrs } = scannersOf(result);
  return {
    result,
    view,
    granularity: opts.granularity ?? 'role',
    portsHow: opts.ports ?? 'exact',
    rangeGap: opts.rangeGap ?? DEFAULT_RANGE_GAP,
    theta: opts.coverThreshold ?? DEFAULT_COVER,
    analysed: new Map(result.workloads.map((w) => [w.id, w])),
    endpointName: new Map([...result.endpoints.map((e) => [e.id, e.name] as const), ...result.clientNetworks.map((n) => [n.cidr, n.name] as const)]),
    scannerIds: ids,
    scannerAddrs: addrs,
    selections: new Map(),
  };
}

/** Scanner workloads (never selected as a source) and outside scanner addresses (excepted from network rules). */
export function scannersOf(result: AnalysisResult): { ids: Set<string>; addrs: string[] } {
  const ids = new Set(result.workloads.filter((w) => w.scanner).map((w) => w.id));
  // a shared service whose discovery job also sweeps (scope 'probes') keeps its rules: only its probes were set apart
  for (const s of result.coverage.excluded.scanners) if (s.workloadId && s.scope !== 'probes') ids.add(s.workloadId);
  const addrs = result.coverage.excluded.scanners.filter((s) => !s.workloadId).map((s) => s.id);
  return { ids, addrs };
}

export function selected(ctx: ProposeContext, s: Selector): PolicyWorkload[] {
  const k = selectorKey(s);
  let v = ctx.selections.get(k);
  if (!v) ctx.selections.set(k, (v = selectWorkloads(s, ctx.view.workloads)));
  return v;
}

export const labelsOf = (ctx: ProposeContext, id: string): Record<string, string> => ctx.view.byId.get(id)?.labels ?? {};

export const nameOf = (ctx: ProposeContext, id: string): string => ctx.view.byId.get(id)?.name ?? ctx.analysed.get(id)?.name ?? ctx.endpointName.get(id) ?? id;

export function pickLabels(l: Record<string, string>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (l[k] !== undefined) out[k] = l[k]!;
  return out;
}

export const workloadSel = (ctx: ProposeContext, id: string): Selector => ({ labels: { [WORKLOAD_KEY]: nameOf(ctx, id) } });

/** The selector of a workload's group at a level; falls back to finer levels when labels are missing. */
export function groupAt(ctx: ProposeContext, id: string, level: Level): Selector {
  const l = labelsOf(ctx, id);
  if (level === 'environment' && l.env) return { labels: { env: l.env } };
  if ((level === 'environment' || level === 'application') && l.app) return { labels: pickLabels(l, ['app', 'env']) };
  if (level !== 'workload' && l.app && l.role) return { labels: pickLabels(l, ['app', 'env', 'role']) };
  return workloadSel(ctx, id);
}

/** A group selector that must not select a scanner (as a source): else the workload alone. */
export function safeGroup(ctx: ProposeContext, id: string, level: Level): Selector {
  const s = groupAt(ctx, id, level);
  return selected(ctx, s).some((w) => ctx.scannerIds.has(w.id)) ? workloadSel(ctx, id) : s;
}

/** A core service or jump host: its application and role whatever the granularity, so that what lives beside it (the backup server's storage) gets none of its reach. */
export function serviceGroup(ctx: ProposeContext, id: string): Selector {
  const l = labelsOf(ctx, id);
  return l.app ? { labels: pickLabels(l, ['app', 'env', 'role']) } : workloadSel(ctx, id);
}

/** An outside endpoint as a CIDR selector, known scanner addresses inside it excepted. */
export function externalSel(scannerAddrs: readonly string[], id: string): Selector {
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
}
