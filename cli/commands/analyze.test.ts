// `bulkhead demo` and `bulkhead analyze` as people run them: child processes on a fresh home.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analysisJsonSchema } from '../../lib/analysis/json';

const bin = join(resolve(import.meta.dirname, '../..'), 'bin/bulkhead.mjs');
const home = mkdtempSync(join(tmpdir(), 'bulkhead-analyze-'));

function bulkhead(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BULKHEAD_HOME: home, BULKHEAD_LOG_LEVEL: 'silent' } as unknown as NodeJS.ProcessEnv,
    timeout: 180_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bulkhead demo and analyze', () => {
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('loads the demo, says what it loaded and what to do next', () => {
    const r = bulkhead(['demo', '--workloads', '60', '--days', '21', '--seed', '3']);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Loaded the demo estate in [\d.]+ s/);
    expect(r.out).toMatch(/\d+ workloads in \d+ applications across prod, staging, dev and shared services \(seed 3\)/);
    expect(r.out).toContain('bulkhead analyze');
    const again = bulkhead(['demo', '--workloads', '60']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already loaded.*--replace/);
  });

  it('prints the documented JSON for a window', () => {
    const r = bulkhead(['analyze', '--days', '14', '--json', '--no-save']);
    expect(r.code).toBe(0);
    const j = analysisJsonSchema.parse(JSON.parse(r.out));
    expect(Object.keys(JSON.parse(r.out))).toEqual(['window', 'coverage', 'workloads', 'applications', 'edges', 'networks', 'counts']);
    expect(j.edges.length).toBeGreaterThan(100);
    expect(j.coverage.days).toBe(14);
    expect(j.coverage.excluded.scanners.length).toBe(3);
    const ids = new Set(j.workloads.map((w) => w.id));
    for (const a of j.applications) for (const m of a.members) expect(ids.has(m)).toBe(true);
    for (const e of j.edges.slice(0, 50)) expect(ids.has(e.from) || /[./:]/.test(e.from)).toBe(true);
  });

  it('prints a readable summary, saves suggestions and says what is next', () => {
    const r = bulkhead(['analyze', '--from', new Date(Date.now() - 14 * 86_400_000).toISOString().slice(0, 10)]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Discovery over /);
    expect(r.out).toMatch(/Core services +.*dns \(dns-01, dns-02\)/);
    expect(r.out).toMatch(/Excluded +3 scanners/);
    expect(r.out).toMatch(/Saved \d+ suggested labels/);
    expect(r.out).toMatch(/Next:\n.*Review the applications/);
    expect(r.out).toContain('bulkhead propose');
    const level = bulkhead(['analyze', '--days', '14', '--level', 'environment', '--no-save']);
    expect(level.code).toBe(0);
    expect(level.out).toMatch(/nodes, \d+ edges at environment level/);
    const bad = bulkhead(['analyze', '--from', 'yesterday-ish']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/from: "yesterday-ish" is not a date/);
  });

  it('measures itself against the ground truth', () => {
    const r = bulkhead(['demo', '--evaluate', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.loaded).toBeNull();
    expect(j.evaluation.runs).toHaveLength(3);
    for (const run of j.evaluation.runs) {
      expect(run.evaluation.edges.recall).toBeGreaterThanOrEqual(0.99);
      expect(run.evaluation.scannerEdges).toBe(0);
    }
  });
});
