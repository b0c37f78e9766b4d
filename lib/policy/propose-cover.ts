// Cover: the coarsest selectors that hold a set of targets (the clients of a core service, what
// a jump host manages), select no scanner when they are sources, and select mostly targets
// (at least ctx.theta of what they select). Targets left over get a selector of their own.
import { selectorKey, type Selector } from './model';
import { cmp } from '../analysis/cmp';
import { labelsOf, nameOf, pickLabels, selected, workloadSel, type ProposeContext } from './propose-context';

export interface Cover {
  selector: Selector;
  members: string[];
}

export function cover(ctx: ProposeContext, targets: Set<string>, sources: boolean): Cover[] {
  const out: Cover[] = [];
  // a scanner is never a source; as a server (monitoring scrapes it, backup pulls from it) it is like any other
  const excluded = (id: string) => sources && ctx.scannerIds.has(id);
  const labels = (id: string) => labelsOf(ctx, id);
  // greedy, so the order matters: by name, stable across loads (ids are random)
  let left = [...targets].filter((t) => !excluded(t)).sort((a, b) => cmp(nameOf(ctx, a), nameOf(ctx, b)) || cmp(a, b));
  // coarse to fine: every workload, an environment, a role everywhere or in an environment
  // (all databases: what a backup service reaches), an application, a role of an application
  const levels: Array<(id: string) => Selector | null> = [
    () => ({ labels: {} }),
    (id) => (labels(id).env ? { labels: { env: labels(id).env! } } : null),
    (id) => (labels(id).role ? { labels: { role: labels(id).role! } } : null),
    (id) => (labels(id).role && labels(id).env ? { labels: pickLabels(labels(id), ['env', 'role']) } : null),
    (id) => (labels(id).app ? { labels: pickLabels(labels(id), ['app', 'env']) } : null),
    (id) => (labels(id).app && labels(id).role ? { labels: pickLabels(labels(id), ['app', 'env', 'role']) } : null),
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
      const sel = selected(ctx, s);
      if (!sel.length || sel.some((w) => excluded(w.id))) continue;
      const hit = sel.filter((w) => targets.has(w.id));
      if (hit.length / sel.length < ctx.theta) continue;
      out.push({ selector: s, members: hit.map((w) => w.id) });
      for (const w of hit) remaining.delete(w.id);
    }
    left = left.filter((id) => remaining.has(id));
  }
  for (const id of left) out.push({ selector: workloadSel(ctx, id), members: [id] });
  return out;
}
