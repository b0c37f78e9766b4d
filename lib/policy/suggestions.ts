// Inferred labels written as suggestions before proposals are built, so that the rules' label
// selectors and the label view that simulation, blast radius and exports read are the same thing.
//
// Discovery's contract names saveSuggestions(db, result) in lib/analysis for this; until it
// exists this module writes the three keys proposals use (app, role, env) the same way: source
// "inferred", confirmed false, never over a fact (inventory, user or confirmed label), and
// removed when inference no longer supports them. When lib/analysis ships saveSuggestions, this
// function becomes a call to it.
import type { AnalysisResult } from '../analysis/types';
import type { Db } from '../db';
import { policyViewFromAnalysis } from './labels';

const KEYS = ['app', 'role', 'env'] as const;

export async function saveInferredLabels(db: Db, result: AnalysisResult): Promise<{ written: number; removed: number }> {
  const view = policyViewFromAnalysis(result);
  const confidence = new Map<string, Record<string, number>>();
  for (const w of result.workloads) confidence.set(w.id, { app: w.confidence, role: w.roleConfidence, env: w.environmentSource === 'label' ? 1 : 0.8 });
  const ids = view.workloads.map((w) => w.id);
  const existing = new Map<string, Map<string, { id: string; value: string; source: string; confirmed: boolean }>>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.label.findMany({ where: { workloadId: { in: ids.slice(i, i + 500) }, key: { in: [...KEYS] } }, select: { id: true, workloadId: true, key: true, value: true, source: true, confirmed: true } });
    for (const r of rows) {
      let m = existing.get(r.workloadId);
      if (!m) existing.set(r.workloadId, (m = new Map()));
      m.set(r.key, r);
    }
  }
  const creates: Array<{ workloadId: string; key: string; value: string; source: string; confirmed: boolean; confidence: number }> = [];
  const updates: Array<{ id: string; value: string; confidence: number }> = [];
  const deletes: string[] = [];
  for (const w of view.workloads) {
    const have = existing.get(w.id);
    for (const key of KEYS) {
      const cur = have?.get(key);
      const isFact = cur && (cur.source !== 'inferred' || cur.confirmed);
      if (isFact) continue;
      const want = w.suggested.includes(key) ? w.labels[key] : undefined;
      const conf = Math.round((confidence.get(w.id)?.[key] ?? 0.5) * 1000) / 1000;
      if (want === undefined) {
        if (cur) deletes.push(cur.id);
      } else if (!cur) creates.push({ workloadId: w.id, key, value: want, source: 'inferred', confirmed: false, confidence: conf });
      else if (cur.value !== want) updates.push({ id: cur.id, value: want, confidence: conf });
    }
  }
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < creates.length; i += 500) await tx.label.createMany({ data: creates.slice(i, i + 500) });
      for (const u of updates) await tx.label.update({ where: { id: u.id }, data: { value: u.value, confidence: u.confidence } });
      for (let i = 0; i < deletes.length; i += 500) await tx.label.deleteMany({ where: { id: { in: deletes.slice(i, i + 500) } } });
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return { written: creates.length + updates.length, removed: deletes.length };
}
