// Inferred applications keep their identity on a generated estate: the same window analysed in
// two homes the same demo was loaded into (new workload ids) gives the same applications, names
// and proposed rules; once suggestions are saved, the window slid by an hour gives the same names,
// and an application keeps the name an earlier analysis saved for its members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { loadDemo } from '../demo/load';
import { policyViewFromAnalysis } from '../policy/labels';
import { describeRule } from '../policy/model';
import { buildProposals } from '../policy/propose';
import { openRuntime, type Runtime } from '../runtime';
import { analyze } from './analyze';
import { saveSuggestions } from './suggestions';
import type { AnalysisResult } from './types';

const H = 3_600_000;
const END = new Date('2026-03-20T00:00:00Z');
const FROM = new Date(END.getTime() - 7 * 24 * H);
const SHIFTED = { from: new Date(FROM.getTime() - H), to: new Date(END.getTime() - H) };
const DEMO = { workloads: 300, days: 9, seed: 7, end: END };

/** inferred application id by its members' hostnames: what a rename or a regrouping changes */
function inferredNames(r: AnalysisResult): Map<string, string> {
  const host = new Map(r.workloads.map((w) => [w.id, w.name]));
  const out = new Map<string, string>();
  for (const a of r.applications) if (a.source === 'inferred' && a.kind === 'application') out.set(a.members.map((m) => host.get(m)!).sort().join(' '), a.id);
  return out;
}

const rules = (r: AnalysisResult) => buildProposals(r, policyViewFromAnalysis(r)).rules.map((x) => `${x.kind} ${describeRule(x)}`).sort();

describe('stable application names on the demo', () => {
  const homes: Runtime[] = [];
  const home = async () => {
    const rt = await openRuntime(testConfig());
    homes.push(rt);
    await loadDemo({ db: rt.db.prisma, store: rt.store }, DEMO);
    return rt;
  };
  let rt: Runtime;
  let first: AnalysisResult;
  beforeAll(async () => {
    rt = await home();
    first = await analyze(rt, { from: FROM, to: END });
  }, 300_000);
  afterAll(async () => {
    for (const h of homes) await h.close();
  });

  it('gives the same applications, names and rules when the same demo is loaded again (new workload ids)', async () => {
    const again = await analyze(await home(), { from: FROM, to: END });
    const ids = new Set(first.workloads.map((w) => w.id));
    expect(again.workloads.some((w) => ids.has(w.id))).toBe(false);
    const names = inferredNames(first);
    // the estate has applications no label or hostname names: the case this is about
    expect([...names.values()].filter((n) => n.startsWith('app-')).length).toBeGreaterThan(5);
    expect(inferredNames(again)).toEqual(names);
    expect(rules(again)).toEqual(rules(first));
  }, 300_000);

  it('keeps every inferred name when the window slides by an hour after suggestions were saved', async () => {
    await saveSuggestions(rt.db.prisma, first);
    const shifted = await analyze(rt, SHIFTED);
    expect(inferredNames(shifted)).toEqual(inferredNames(first));
    expect(shifted.applications.some((a) => a.evidence.some((e) => /keeps the name discovery gave it before/.test(e)))).toBe(true);
  }, 300_000);

  it('keeps the name an earlier analysis saved for an application, even where its anchor would name it otherwise', async () => {
    const db = rt.db.prisma;
    const before = await analyze(rt, SHIFTED);
    const target = before.applications.find((a) => a.source === 'inferred' && a.kind === 'application' && a.name.startsWith('app-') && a.members.length >= 3)!;
    // most members were saved under another name (as when an earlier window's anchor differed); one was not
    const renamed = target.members.slice(1);
    await db.label.updateMany({ where: { workloadId: { in: renamed }, key: 'app', source: 'inferred', confirmed: false }, data: { value: 'app-named-earlier' } });
    const after = await analyze(rt, SHIFTED);
    const expected = new Map(inferredNames(before));
    const key = [...expected].find(([, id]) => id === target.id)![0];
    expected.set(key, target.environment ? `app-named-earlier@${target.environment}` : 'app-named-earlier');
    expect(inferredNames(after)).toEqual(expected);
  }, 300_000);
});
