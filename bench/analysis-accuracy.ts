// Accuracy of discovery on generated estates: for each seed, the demo estate is loaded into a
// fresh home and its last 30 days analysed three ways (labels and hostnames, hostnames only,
// structure only), each measured against the ground truth (lib/demo/truth.ts). Prints one line
// per seed and setting and the worst case per setting; writes bench/results/analysis-accuracy-*.json.
//
//   npm run bench -- analysis-accuracy                         (seeds 1-5, 300 workloads)
//   npm run bench -- analysis-accuracy --seeds 1,2 --workloads 1000
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { measureAccuracy, type AccuracyRun } from '../lib/demo/accuracy';
import { loadDemo } from '../lib/demo/load';
import { openRuntime } from '../lib/runtime';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '1,2,3,4,5' }, workloads: { type: 'string', default: '300' }, days: { type: 'string', default: '35' } } });
const seeds = values.seeds.split(',').map(Number);
const WORKLOADS = Number(values.workloads);
const END = new Date('2026-03-20T00:00:00Z');
const rows: Array<{ seed: number; workloads: number; flows: number; loadMs: number } & AccuracyRun> = [];
const what = (r: { useLabels: boolean; useNames: boolean }) => (r.useLabels ? 'labels + names' : r.useNames ? 'names only' : 'structure only');

for (const seed of seeds) {
  const home = mkdtempSync(join(tmpdir(), 'bulkhead-bench-accuracy-'));
  const config = loadConfig({ env: { BULKHEAD_LOG_LEVEL: 'warn' }, cwd: home, overrides: { home, retention: { flowsDays: 0, rollupDays: 0 } } });
  const rt = await openRuntime(config);
  try {
    const t0 = performance.now();
    const l = await loadDemo({ db: rt.db.prisma, store: rt.store }, { seed, workloads: WORKLOADS, days: Number(values.days), end: END });
    const loadMs = Math.round(performance.now() - t0);
    const acc = await measureAccuracy(rt, l.estate);
    for (const run of acc.runs) {
      rows.push({ seed, workloads: l.workloads, flows: l.flows, loadMs, ...run });
      const x = run.evaluation;
      console.log(
        `seed ${seed} (${l.workloads} workloads, ${l.flows.toLocaleString('en-US')} records, loaded in ${(loadMs / 1000).toFixed(1)} s) ${what(run).padEnd(15)} ` +
          `AMI ${x.applications.ami.toFixed(4)} ARI ${x.applications.ari.toFixed(4)} apps ${x.applications.found}/${x.applications.truth} ` +
          `precision ${x.edges.precision.toFixed(4)} recall ${x.edges.recall.toFixed(4)} (${x.edges.truth} true) scanner edges ${x.scannerEdges} reused-IP false edges ${x.reusedFalseEdges} ` +
          `roles ${x.roles.accuracy.toFixed(3)} periodicity ${x.periodicity.accuracy.toFixed(3)} core ${x.coreServices.correct}/${x.coreServices.truth} in ${run.analysisMs} ms`,
      );
    }
  } finally {
    await rt.close();
    rmSync(home, { recursive: true, force: true });
  }
}
const worst = ['labels + names', 'names only', 'structure only'].map((name) => {
  const rs = rows.filter((r) => what(r) === name).map((r) => r.evaluation);
  return {
    evidence: name,
    minAmi: Math.min(...rs.map((x) => x.applications.ami)),
    minAri: Math.min(...rs.map((x) => x.applications.ari)),
    minPrecision: Math.min(...rs.map((x) => x.edges.precision)),
    minRecall: Math.min(...rs.map((x) => x.edges.recall)),
    scannerEdges: Math.max(...rs.map((x) => x.scannerEdges)),
    reusedFalseEdges: Math.max(...rs.map((x) => x.reusedFalseEdges)),
    minRoleAccuracy: Math.min(...rs.map((x) => x.roles.accuracy)),
    minPeriodicityAccuracy: Math.min(...rs.map((x) => x.periodicity.accuracy)),
  };
});
for (const w of worst) {
  console.log(`worst over seeds ${seeds.join(',')}, ${w.evidence}: AMI ${w.minAmi.toFixed(4)}, ARI ${w.minAri.toFixed(4)}, precision ${w.minPrecision.toFixed(4)}, recall ${w.minRecall.toFixed(4)}, scanner edges ${w.scannerEdges}, reused-IP false edges ${w.reusedFalseEdges}, roles ${w.minRoleAccuracy.toFixed(3)}, periodicity ${w.minPeriodicityAccuracy.toFixed(3)}`);
}
mkdirSync('bench/results', { recursive: true });
const date = new Date().toISOString();
writeFileSync(join('bench/results', `analysis-accuracy-${date.replace(/[:.]/g, '-')}.json`), JSON.stringify({ benchmark: 'analysis-accuracy', date, seeds, workloads: WORKLOADS, worst, runs: rows.map(({ evaluation, ...r }) => ({ ...r, evaluation: { ...evaluation, edges: { ...evaluation.edges, falsePositives: evaluation.edges.falsePositives.slice(0, 10), falseNegatives: evaluation.edges.falseNegatives.slice(0, 10) } } })) }, null, 2));
