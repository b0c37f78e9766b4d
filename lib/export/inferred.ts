// Applications discovery inferred and nobody confirmed are names, not labels: no VM tag, endpoint
// label or security group carries them, so a selector `app: <inferred name>` would select nothing
// where the policy is applied. Before a label-based format is written, every rule side naming such
// an application becomes the addresses its workloads hold (one rule per address pair; ids keep
// the rule's id as their prefix). Confirming the application makes it a label again.
import { isLabels, type Selector } from '../policy/model';
import { labelsMatch } from '../policy/selectors';
import { inferredApplications, type BaselineDoc, type BaselineRule } from './baseline';
import { isV6 } from './common';

/** Whether a selector names an application the document marks inferred. */
export const namesInferred = (s: Selector, inferred: ReadonlySet<string>) => isLabels(s) && s.labels.app !== undefined && inferred.has(s.labels.app);

/**
 * The document with every selector naming an inferred application replaced by its members'
 * addresses, and what was done (for the export's warnings).
 */
export function inferredAsAddresses(doc: BaselineDoc): { doc: BaselineDoc; warnings: string[]; origin: Map<string, string> } {
  const inferred = inferredApplications(doc);
  const origin = new Map<string, string>();
  if (!inferred.size) return { doc, warnings: [], origin };
  const warnings: string[] = [];
  const rewritten = new Map<string, number>();
  const sides = (s: Selector): Selector[] | null => {
    if (!namesInferred(s, inferred)) return [s];
    const labels = (s as { labels: Record<string, string> }).labels;
    const addresses = [...new Set(doc.workloads.filter((w) => labelsMatch(labels, w)).flatMap((w) => w.addresses))].sort();
    return addresses.length ? addresses.map((a) => ({ cidr: `${a}/${isV6(a) ? 128 : 32}` })) : null;
  };
  const rules: BaselineRule[] = [];
  for (const r of doc.rules) {
    if (!namesInferred(r.from, inferred) && !namesInferred(r.to, inferred)) {
      rules.push(r);
      continue;
    }
    for (const s of [r.from, r.to]) if (namesInferred(s, inferred)) rewritten.set((s as { labels: Record<string, string> }).labels.app!, (rewritten.get((s as { labels: Record<string, string> }).labels.app!) ?? 0) + 1);
    const from = sides(r.from);
    const to = sides(r.to);
    if (!from || !to) {
      warnings.push(`rule ${r.id}: names an inferred application with no address at export time; not exported`);
      continue;
    }
    let n = 0;
    for (const f of from) {
      for (const t of to) {
        const id = from.length * to.length === 1 ? r.id : `${r.id}-${++n}`;
        origin.set(id, r.id);
        rules.push({ ...r, id, from: f, to: t });
      }
    }
  }
  for (const [app, count] of rewritten) {
    warnings.push(`application ${app} is inferred and not confirmed: the ${count} rules naming it are written with its workloads' addresses (confirm it to select it by label)`);
  }
  return { doc: { ...doc, rules }, warnings, origin };
}

/** An exporter's warnings about the rules a rewrite split, said once per rule of the document. */
export function warningsByOrigin(warnings: readonly string[], origin: ReadonlyMap<string, string>): string[] {
  if (!origin.size) return [...warnings];
  const out = new Set<string>();
  for (const w of warnings) {
    const m = /^rule (\S+):/.exec(w);
    const id = m ? origin.get(m[1]!) : undefined;
    out.add(id && id !== m![1] ? `rule ${id}:${w.slice(m![0].length)}` : w);
  }
  return [...out];
}
