// Inferred applications, roles and environments become suggestions people review: labels with
// source "inferred" and confirmed false (the UI shows them for confirmation; confirming makes
// them facts). Existing labels always win: a label from inventory or a person, or a confirmed
// suggestion, is never touched. Unconfirmed suggestions are rewritten when inference changes its
// mind and removed when it no longer suggests anything, so saving is idempotent. Networks of
// unknown clients are suggested the same way (lib/identity/networks.ts, saveNetworkSuggestions).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { saveNetworkSuggestions } from '../identity/networks';
import type { AnalysisResult, SaveResult } from './types';

const KEYS = ['app', 'role', 'env'] as const;
const CHUNK = 500;

export async function saveSuggestions(db: Db, r: AnalysisResult): Promise<SaveResult> {
  if (!r.options.useLabels) throw new Error('an analysis that ignored labels cannot be saved as suggestions (labels must win)');
  const appName = new Map(r.applications.map((a) => [a.id, a]));
  const ids = r.workloads.map((w) => w.id);
  const existing = new Map<string, Map<string, { id: string; value: string; source: string; confirmed: boolean; confidence: number | null }>>();
  const known = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    for (const w of await db.workload.findMany({ where: { id: { in: chunk } }, select: { id: true } })) known.add(w.id);
    for (const l of await db.label.findMany({ where: { workloadId: { in: chunk }, key: { in: [...KEYS] } } })) {
      let m = existing.get(l.workloadId);
      if (!m) existing.set(l.workloadId, (m = new Map()));
      m.set(l.key, { id: l.id, value: l.value, source: l.source, confirmed: l.confirmed, confidence: l.confidence });
    }
  }
  const creates: Array<{ id: string; workloadId: string; key: string; value: string; source: string; confirmed: boolean; confidence: number }> = [];
  const updates: Array<{ id: string; value: string; confidence: number }> = [];
  const removes: string[] = [];
  for (const w of r.workloads) {
    if (!known.has(w.id)) continue;
    const suggested: Record<(typeof KEYS)[number], { value: string; confidence: number } | null> = {
      app: w.applicationSource === 'inferred' && w.application ? { value: appName.get(w.application)?.name ?? w.application, confidence: w.confidence } : null,
      role: w.roleSource === 'inferred' && w.role !== 'unknown' ? { value: w.role, confidence: w.roleConfidence } : null,
      env: w.environmentSource === 'inferred' && w.environment ? { value: w.environment, confidence: 0.7 } : null,
    };
    for (const key of KEYS) {
      const cur = existing.get(w.id)?.get(key);
      const s = suggested[key];
      if (cur && (cur.source !== 'inferred' || cur.confirmed)) continue;
      if (!s) {
        if (cur) removes.push(cur.id);
        continue;
      }
      if (!cur) creates.push({ id: randomUUID(), workloadId: w.id, key, value: s.value, source: 'inferred', confirmed: false, confidence: s.confidence });
      else if (cur.value !== s.value || cur.confidence !== s.confidence) updates.push({ id: cur.id, value: s.value, confidence: s.confidence });
    }
  }
  const inferredApps = r.applications.filter((a) => a.source === 'inferred');
  const names = [...new Set(inferredApps.map((a) => a.name))];
  const have = new Set<string>();
  for (let i = 0; i < names.length; i += CHUNK) {
    for (const a of await db.application.findMany({ where: { name: { in: names.slice(i, i + CHUNK) } }, select: { name: true } })) have.add(a.name);
  }
  const newApps = names.filter((n) => !have.has(n)).map((name) => {
    const envs = new Set(inferredApps.filter((a) => a.name === name).map((a) => a.environment));
    return { name, environment: envs.size === 1 ? [...envs][0]! : null, confirmed: false, description: 'suggested by discovery' };
  });
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < removes.length; i += CHUNK) await tx.label.deleteMany({ where: { id: { in: removes.slice(i, i + CHUNK) } } });
      for (let i = 0; i < creates.length; i += CHUNK) await tx.label.createMany({ data: creates.slice(i, i + CHUNK) });
      for (const u of updates) await tx.label.update({ where: { id: u.id }, data: { value: u.value, confidence: u.confidence } });
      for (let i = 0; i < newApps.length; i += CHUNK) await tx.application.createMany({ data: newApps.slice(i, i + CHUNK) });
    },
    { timeout: 5 * 60_000, maxWait: 60_000 },
  );
  const nets = await saveNetworkSuggestions(db, r.clientNetworks);
  return { labelsWritten: creates.length + updates.length, labelsRemoved: removes.length, applicationsCreated: newApps.length, networksWritten: nets.written, networksRemoved: nets.removed };
}
