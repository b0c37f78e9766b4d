// Benchmark and acceptance measurement of the policy: on generated estates (lib/demo) with a
// held-out final week, propose on the first weeks, approve everything as proposed, simulate the
// last week and judge every decided conversation against the ground truth; then blast radius
// against the flat network. Prints per seed and the summary against the targets:
//   legitimate held-out flows allowed >= 99.9%, scanner flows allowed = 0, one-hop blast radius
//   cut by >= 90% versus flat. Exits 1 when a target is missed.
// Writes bench/results/policy-<time>.json.
//
//   npm run bench -- policy                                   (seeds 1,2,3; 300 workloads; 5 + 1 weeks)
//   npm run bench -- policy --seeds 4 --workloads 1000 --granularity application --ports ranges
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { loadDemo } from '../lib/demo/load';
import { exportPolicy } from '../lib/export';
import { checkNftables } from '../lib/export/nft-check';
import { evaluateHoldout, type HoldoutResult } from '../lib/policy/holdout';
import { loadPolicyView } from '../lib/policy/labels';
import type { PortGeneralisation } from '../lib/policy/ports';
import type { Granularity } from '../lib/policy/propose';
import { exportDocument } from '../lib/policy/service';
import { openRuntime } from '../lib/runtime';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3' },
    workloads: { type: 'string', default: '300' },
    'train-days': { type: 'string', default: '35' },
    'test-days': { type: 'string', default: '7' },
    granularity: { type: 'string', default: 'role' },
    ports: { type: 'string', default: 'exact' },
    'no-exports': { type: 'boolean', default: false },
  },
});
const seeds = values.seeds!.split(',').map(Number);
const workloads = Number(values.workloads);
const trainDays = Number(values['train-days']);
const testDays = Number(values['test-days']);
const DAY = 86_400_000;
// A fixed end: the same seed gives the same estate, run after run.
const END = new Date('2026-03-30T00:00:00Z');
const TARGET = { legitimate: 0.999, scanner: 0, oneHopReduction: 0.9 };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (x: number, d = 3) => `${(x * 100).toFixed(d)}%`;

interface Run {
  seed: number;
  workloads: number;
  flowRecords: number;
  loadMs: number;
  holdout: HoldoutResult;
  exports?: { ms: Record<string, number>; nftHosts: number; nftValid: number; nftCheckMs: number };
}

const runs: Run[] = [];
console.log(`policy hold-out: seeds ${seeds.join(',')}, ~${workloads} workloads, propose on ${trainDays} days, simulate the next ${testDays}; granularity ${values.granularity}, ports ${values.ports}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const seed of seeds) {
  const home = mkdtempSync(join(tmpdir(), 'bulkhead-bench-policy-'));
  const config = loadConfig({ env: { BULKHEAD_LOG_LEVEL: 'silent' }, cwd: home, overrides: { home, retention: { flowsDays: 0, rollupDays: 0 } } });
  const rt = await openRuntime(config);
  try {
    const t0 = performance.now();
    const demo = await loadDemo({ db: rt.db.prisma, store: rt.store }, { seed, workloads, days: trainDays + testDays, end: END });
    const loadMs = Math.round(performance.now() - t0);
    const testFrom = new Date(END.getTime() - testDays * DAY);
    const holdout = await evaluateHoldout(rt, demo.estate, {
      train: { from: new Date(demo.estate.start), to: testFrom },
      test: { from: testFrom, to: END },
      granularity: values.granularity as Granularity,
      ports: values.ports as PortGeneralisation,
    });
    const run: Run = { seed, workloads: demo.workloads, flowRecords: demo.flows, loadMs, holdout };
    if (!values['no-exports']) {
      const doc = await exportDocument(rt, { status: 'approved', now: new Date(END.getTime() - 1) });
      const ms: Record<string, number> = {};
      let nft: ReturnType<typeof exportPolicy> | null = null;
      for (const f of ['baseline', 'kubernetes', 'cilium', 'calico', 'aws', 'nsx', 'nftables'] as const) {
        const e0 = performance.now();
        const r = exportPolicy(doc, f, { now: new Date(END.getTime() - 1) });
        ms[f] = Math.round(performance.now() - e0);
        if (f === 'nftables') nft = r;
      }
      const c0 = performance.now();
      const checks = checkNftables(nft!.files);
      run.exports = { ms, nftHosts: checks.length, nftValid: checks.filter((c) => c.ok).length, nftCheckMs: Math.round(performance.now() - c0) };
    }
    runs.push(run);
    const f = holdout.flows;
    const b = holdout.blast;
    console.log(
      `seed ${seed}: ${demo.workloads} workloads, ${demo.flows.toLocaleString('en-US')} flow records (${(loadMs / 1000).toFixed(0)} s to load); ${holdout.rules} rules\n` +
        `  legitimate held-out flows allowed ${pct(f.legitimateAllowedRatio)} (${f.legitimateAllowed.toLocaleString('en-US')} of ${f.legitimate.toLocaleString('en-US')}); ` +
        `scanner flows allowed ${f.scannerAllowed} of ${f.scanner.toLocaleString('en-US')} (${f.scannerProbes.toLocaleString('en-US')} probes, ${f.scannerOwn} its own lookups); unknown ${f.unknown}\n` +
        `  blast radius: one hop ${b.oneHopMean.toFixed(1)} vs ${b.flatOneHop} flat (-${pct(b.oneHopReduction, 1)}), any hops ${b.multiHopMean.toFixed(1)} (-${pct(b.multiHopReduction, 1)})\n` +
        `  propose ${holdout.timings.proposeMs} ms (discovery ${holdout.propose.analysis.ms} ms), approve ${holdout.timings.approveMs} ms, simulate a week ${holdout.timings.simulateMs} ms, blast radius ${holdout.timings.blastMs} ms` +
        (run.exports ? `\n  exports ${Object.entries(run.exports.ms).map(([k, v]) => `${k} ${v} ms`).join(', ')}; nft -c ${run.exports.nftValid}/${run.exports.nftHosts} hosts valid (${run.exports.nftCheckMs} ms)` : ''),
    );
    if (f.legitimate - f.legitimateAllowed > 0) console.log(`  blocked legitimate flows by kind: ${JSON.stringify(holdout.blockedLegitimate.byKind)}`);
  } finally {
    await rt.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const worst = {
  legitimate: Math.min(...runs.map((r) => r.holdout.flows.legitimateAllowedRatio)),
  scanner: Math.max(...runs.map((r) => r.holdout.flows.scannerAllowed)),
  oneHopReduction: Math.min(...runs.map((r) => r.holdout.blast.oneHopReduction)),
};
const pass = worst.legitimate >= TARGET.legitimate && worst.scanner <= TARGET.scanner && worst.oneHopReduction >= TARGET.oneHopReduction;
const nftOk = runs.every((r) => !r.exports || r.exports.nftValid === r.exports.nftHosts);
const summary = {
  benchmark: 'policy',
  date: new Date().toISOString(),
  node: process.version,
  load: loadavg(),
  options: { seeds, workloads, trainDays, testDays, granularity: values.granularity, ports: values.ports },
  targets: TARGET,
  worst,
  pass: pass && nftOk,
  medians: {
    proposeMs: median(runs.map((r) => r.holdout.timings.proposeMs)),
    simulateMs: median(runs.map((r) => r.holdout.timings.simulateMs)),
    blastMs: median(runs.map((r) => r.holdout.timings.blastMs)),
    rules: median(runs.map((r) => r.holdout.rules)),
  },
  runs,
};
console.log(
  `\nworst over seeds: legitimate allowed ${pct(worst.legitimate)} (target >= ${pct(TARGET.legitimate, 1)}), scanner flows allowed ${worst.scanner} (target 0), ` +
    `one-hop blast radius -${pct(worst.oneHopReduction, 1)} (target >= ${pct(TARGET.oneHopReduction, 0)}): ${pass ? 'PASS' : 'FAIL'}` +
    `${nftOk ? '' : '; some nftables rulesets failed nft -c'}\n` +
    `medians: propose ${summary.medians.proposeMs} ms, simulate a week ${summary.medians.simulateMs} ms, blast radius ${summary.medians.blastMs} ms, ${summary.medians.rules} rules`,
);
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
const out = join(import.meta.dirname, 'results', `policy-${summary.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`wrote ${out}`);
process.exit(summary.pass ? 0 : 1);
