// Rules as the engine reads them: one row per (rule, port range) with each side's kind and
// address ranges, and one row per workload with the rule rows whose label selectors pick it
// (label matching happens here, on a few thousand workloads, not in the engine).
import { valueText } from '../identity/networks';
import { isAny, isLabels, type PortSpec, type Selector } from './model';
import type { PolicyView } from './labels';
import { cidrMatcher, selectWorkloads, type Range } from './selectors';
import { DEFAULT_ENFORCEMENT, type EnforcementState } from './enforcement-states';
import type { SimRule, SimulateOptions } from './simulate-types';

export const KIND = { labels: 0, cidr: 1, any: 2 } as const;
const ZERO = '::';
const ALL_ONES = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

export function sideColumns(s: Selector): { kind: number; lo: string; hi: string; except: Array<[string, string]> } {
  if (isAny(s)) return { kind: KIND.any, lo: ZERO, hi: ALL_ONES, except: [] };
  if (isLabels(s)) return { kind: KIND.labels, lo: ZERO, hi: ZERO, except: [] };
  const m = cidrMatcher(s);
  const t = (r: Range): [string, string] => [valueText(r.lo), valueText(r.hi)];
  const [lo, hi] = t(m.range);
  return { kind: KIND.cidr, lo, hi, except: m.except.map(t) };
}

export function portColumns(p: PortSpec): { proto: number; lo: number; hi: number } {
  if (p.protocol === 'any') return { proto: 0, lo: 0, hi: 65535 };
  if (p.protocol === 'icmp') return { proto: 1, lo: 0, hi: 65535 };
  const proto = p.protocol === 'tcp' ? 6 : 17;
  if (p.port === undefined) return { proto, lo: 0, hi: 65535 };
  return { proto, lo: p.port, hi: p.endPort ?? p.port };
}

/** A rule row: j (1-based, as ClickHouse arrays), rule index, from kind/lo/hi/except, to kind/lo/hi/except, protocol, port range. */
export type RuleRow = [number, number, number, string, string, Array<[string, string]>, number, string, string, Array<[string, string]>, number, number, number];
/** A workload's enforcement as the engine reads it: 0 visibility, 1 test, 2 enforced. */
export const ENFORCE_LEVEL: Record<EnforcementState, number> = { visibility: 0, test: 1, enforced: 2 };

/**
 * A workload row: id, rule rows whose `from` picks it, rule rows whose `to` picks it, its
 * application ("app@env"), its enforcement level (ENFORCE_LEVEL).
 */
export type MemberRow = [string, number[], number[], string, number];

/** The enforcement state of a workload's labels: that of its (app, env) pair, visibility otherwise. */
export function stateOf(states: SimulateOptions['states'] = []): (labels: Record<string, string>) => EnforcementState {
  const byPair = new Map(states.map((s) => [`${s.application}\n${s.environment}`, s.state]));
  return (l) => (l.app ? (byPair.get(`${l.app}\n${l.env ?? ''}`) ?? DEFAULT_ENFORCEMENT) : DEFAULT_ENFORCEMENT);
}

/** `states` gives each workload its level; without it every workload is enforced (the rules alone). */
export function ruleRows(rules: readonly SimRule[], view: PolicyView, states?: SimulateOptions['states']): { rows: RuleRow[]; members: MemberRow[] } {
  const rows: RuleRow[] = [];
  const fromRows = new Map<string, number[]>();
  const toRows = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, id: string, j: number) => {
    let a = m.get(id);
    if (!a) m.set(id, (a = []));
    a.push(j);
  };
  rules.forEach((r, ri) => {
    const f = sideColumns(r.from);
    const t = sideColumns(r.to);
    const fw = isLabels(r.from) ? selectWorkloads(r.from, view.workloads) : [];
    const tw = isLabels(r.to) ? selectWorkloads(r.to, view.workloads) : [];
    for (const p of r.ports) {
      const j = rows.length + 1; // ClickHouse arrays are 1-based
      const pc = portColumns(p);
      rows.push([j, ri, f.kind, f.lo, f.hi, f.except, t.kind, t.lo, t.hi, t.except, pc.proto, pc.lo, pc.hi]);
      for (const w of fw) push(fromRows, w.id, j);
      for (const w of tw) push(toRows, w.id, j);
    }
  });
  const appOf = (id: string) => {
    const l = view.byId.get(id)?.labels;
    return l?.app ? (l.env ? `${l.app}@${l.env}` : l.app) : '';
  };
  const state = states ? stateOf(states) : () => 'enforced' as const;
  const members: MemberRow[] = view.workloads.map((w) => [w.id, fromRows.get(w.id) ?? [], toRows.get(w.id) ?? [], appOf(w.id), ENFORCE_LEVEL[state(w.labels)]]);
  return { rows, members };
}
