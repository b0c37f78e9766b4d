// The demo estate loaded into real stores and the analysis measured against its ground truth:
// the Done-when of discovery (AMI >= 0.9, recall >= 0.99, precision >= 0.95, no scanner edges,
// no false edges from reused addresses) on a generated estate, with labels and hostnames, with
// hostnames only, and from communication structure alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { analyze } from '../analysis/analyze';
import { openRuntime, type Runtime } from '../runtime';
import { measureAccuracy, type Accuracy } from './accuracy';
import { generateEstate } from './estate';
import { demoRecord, foreignData, loadDemo, loadedEstate, type DemoLoadResult } from './load';

const END = new Date('2026-03-20T00:00:00Z');

describe('demo estate', () => {
  let rt: Runtime;
  let loaded: DemoLoadResult;
  let acc: Accuracy;
  beforeAll(async () => {
    rt = await openRuntime(testConfig());
    loaded = await loadDemo({ db: rt.db.prisma, store: rt.store }, { workloads: 140, seed: 5, end: END });
    acc = await measureAccuracy(rt, loaded.estate);
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('is the same estate for the same seed, and a realistic one', () => {
    const again = generateEstate({ workloads: 140, seed: 5, end: END });
    expect(again.conversations.length).toBe(loaded.estate.conversations.length);
    expect(again.workloads.map((w) => w.name)).toEqual(loaded.estate.workloads.map((w) => w.name));
    const e = loaded.estate;
    expect(new Set(e.workloads.map((w) => w.env))).toEqual(new Set(['prod', 'staging', 'dev', 'shared']));
    expect(e.reused.length).toBeGreaterThanOrEqual(2);
    expect(e.scanners).toHaveLength(3);
    expect(e.workloads.filter((w) => w.coreService).map((w) => w.coreService).sort()).toEqual(['backup', 'directory', 'directory', 'dns', 'dns', 'logging', 'monitoring', 'ntp', 'patching']);
    expect(loaded.flows).toBeGreaterThan(300_000);
    // the inventory landed with its address history, and the flows in the rollups
    expect(loaded.workloads).toBe(e.workloads.length);
  });

  it('meets the accuracy targets with labels, with hostnames only, and from structure alone', () => {
    expect(acc.runs).toHaveLength(3);
    for (const run of acc.runs) {
      const x = run.evaluation;
      const what = `labels=${run.useLabels} names=${run.useNames}`;
      expect(x.applications.ami, what).toBeGreaterThanOrEqual(0.9);
      expect(x.edges.recall, what).toBeGreaterThanOrEqual(0.99);
      expect(x.edges.precision, what).toBeGreaterThanOrEqual(0.95);
      expect(x.scannerEdges, what).toBe(0);
      expect(x.reusedFalseEdges, what).toBe(0);
      expect(x.scannersFlagged, what).toEqual({ truth: 3, flagged: 3 });
      expect(x.coreServices, what).toEqual({ truth: 9, found: 9, correct: 9 });
      expect(x.edges.truth, what).toBeGreaterThan(1000);
    }
    // evidence helps roles: labels and names on top of structure
    expect(acc.runs[0]!.evaluation.roles.accuracy).toBeGreaterThanOrEqual(acc.runs[2]!.evaluation.roles.accuracy);
    expect(acc.runs[2]!.evaluation.roles.accuracy).toBeGreaterThan(0.7);
    expect(acc.runs[0]!.evaluation.periodicity.accuracy).toBeGreaterThan(0.95);
  });

  it('shows what an estate shows: a collector gap, rhythms from continuous to monthly, convergence', async () => {
    const r = await analyze(rt, { from: new Date(END.getTime() - 30 * 86_400_000), to: END });
    expect(r.coverage).toMatchObject({ days: 30, daysWithData: 30, shorterThanCycle: false, converged: true });
    const dev = r.coverage.sources.find((s) => s.exporter === 'demo-dev-core')!;
    expect(dev.gaps).toHaveLength(1);
    expect(dev.gaps[0]!.hours).toBe(8);
    expect(r.coverage.sources.filter((s) => s.exporter !== 'demo-dev-core').every((s) => s.gaps.length === 0)).toBe(true);
    const rhythms = new Set(r.edges.map((e) => e.periodicity));
    expect(rhythms).toEqual(new Set(['continuous', 'daily', 'weekly', 'monthly', 'once']));
    expect(r.edges.filter((e) => e.flags.management).length).toBeGreaterThan(20);
    expect(r.endpoints.map((e) => e.id)).toEqual(expect.arrayContaining(['0.0.0.0/0', '::/0', '10.100.0.0/16', '203.0.113.0/24', '198.51.100.10', '10.0.9.9']));
  });

  it('keeps its options to regenerate the truth, and refuses to mix with other data', async () => {
    const rec = await demoRecord(rt.db.prisma);
    expect(rec).toMatchObject({ workloads: loaded.workloads, flows: loaded.flows, end: END.toISOString() });
    const estate = await loadedEstate(rt.db.prisma);
    expect(estate!.conversations.length).toBe(loaded.estate.conversations.length);
    await expect(loadDemo({ db: rt.db.prisma, store: rt.store }, { workloads: 60, end: END })).rejects.toThrow(/already loaded.*--replace/);
    await rt.db.prisma.workload.create({ data: { name: 'real-host', source: 'csv' } });
    expect(await foreignData({ db: rt.db.prisma, store: rt.store })).toMatchObject({ workloads: 1 });
    await expect(loadDemo({ db: rt.db.prisma, store: rt.store }, { workloads: 60, end: END, replace: true })).rejects.toThrow(/empty BULKHEAD_HOME/);
  });
});
