// Names an earlier analysis gave: an application discovery named after a member (no label or
// hostname names it) keeps the name it was saved under when it is substantially the same
// application, so that rules, exports and people's notes do not lose what they refer to when
// the window slides. Previous names only name; structure has already decided the members.
//
// The rule (docs/discovery.md#stable-names): a group may keep a previous name that a strict
// majority of its members bear; when several groups could keep the same name the one with the
// most bearers keeps it (a split application keeps its name on its larger part); each previous
// name is kept once, each group keeps at most one; a name that labels or hostnames give to an
// application of this analysis is not available. Among groups with as many bearers, the one this
// analysis names so anyway (its anchor) keeps it: members that joined an application after it
// was named (a hypervisor or worker whose only peer it is) bear its name too, alone in their own
// group here, and must not take it from the group it came from (that made names alternate
// between "app-x" and "app-x-2" from one analysis to the next).
import { cmp } from './cmp';

export interface NameGroup {
  /** member ids */
  members: readonly string[];
  /** the name this analysis gives the group without history (its anchor's), when it has one */
  name?: string;
}

/**
 * For each group (same order), the previous name it keeps, or null. `previous`: the name each
 * workload was saved under; `taken`: names this analysis gives from evidence (labels, stems);
 * `key`: a stable key of a member (its hostname) to break ties without random ids.
 */
export function keepPreviousNames(groups: readonly NameGroup[], previous: ReadonlyMap<string, string>, taken: ReadonlySet<string>, key: (id: string) => string): Array<string | null> {
  const candidates: Array<{ group: number; name: string; bearers: number; own: boolean; first: string }> = [];
  groups.forEach((g, i) => {
    const counts = new Map<string, number>();
    for (const m of g.members) {
      const p = previous.get(m);
      if (p && !taken.has(p)) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    const first = g.members.map(key).sort(cmp)[0] ?? '';
    for (const [name, bearers] of counts) if (bearers * 2 > g.members.length) candidates.push({ group: i, name, bearers, own: g.name === name, first });
  });
  // most bearers first; then the group the name is its own anyway; then the larger share (a part
  // that is all bearers over one that is not), then stable keys
  candidates.sort(
    (a, b) => b.bearers - a.bearers || Number(b.own) - Number(a.own) || groups[a.group]!.members.length - groups[b.group]!.members.length || cmp(a.name, b.name) || cmp(a.first, b.first),
  );
  const out: Array<string | null> = groups.map(() => null);
  const used = new Set<string>();
  for (const c of candidates) {
    if (out[c.group] !== null || used.has(c.name)) continue;
    out[c.group] = c.name;
    used.add(c.name);
  }
  return out;
}
