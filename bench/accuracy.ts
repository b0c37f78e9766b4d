// Discovery and policy on estates Bulkhead was not written for: every zoo estate (eval/shapes.ts,
// generated from docs/estate-zoo.md) and the demo, each run as a user would through the CLI
// (import -> analyze --json -> propose -> applications confirm --inferred -> rules approve --all ->
// export --format baseline),
// trained on two weeks and judged on the third (eval/score/score.ts). Prints one row per estate
// and the worst case, writes bench/results/accuracy-<time>.json, exits 1 when a target is missed.
//
//   npm run bench -- accuracy                          every estate (about an hour)
//   npm run bench -- accuracy --sizes 80               the 15 small estates and the demo
//   npm run bench -- accuracy --only codes/none        estates whose name contains the text
//   npm run bench -- accuracy --keep                   keep each estate's home (analysis.json, baseline.json)
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemoEstate, runZooEstate, shapeName, type EstateRun } from '../eval/pipeline';
import { TARGETS } from '../eval/score/score';
import { benchShapes } from '../eval/shapes';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '80,250,2000' },
    only: { type: 'string' },
    seed: { type: 'string', default: '1' },
    demo: { type: 'string', default: '300' },
    'no-demo': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes!.split(',').map(Number);
const shapes = benchShapes({ sizes, seedBase: Number(values.seed) }).filter((s) => !values.only || shapeName(s).includes(values.only));
const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;
const load = () => loadavg()[0]!.toFixed(1);

const header = ['estate', 'AMI (without silent workers)', 'precision', 'recall', 'reused', 'scan allowed', 'legit allowed', 'blast cut (truth)', 'rules (truth)', 'min'];
function row(r: EstateRun): string[] {
  const s = r.score;
  return [
    r.name,
    `${s.applications.ami.toFixed(3)} (${s.applications.silent ? `${s.applications.amiHeard.toFixed(3)} w/o ${s.applications.silent}` : '-'})`,
    s.dependencies.precision.toFixed(3),
    s.dependencies.recall.toFixed(4),
    String(s.dependencies.reusedFalseEdges),
    `${s.scanners.allowed}/${s.scanners.flows}`,
    pct(s.legitimate.ratio, 2),
    `${pct(s.blast.policyCut)} (${pct(s.blast.truthCut)})`,
    `${s.rules.policy} (${s.rules.truth}) ${s.rules.ratio.toFixed(2)}x`,
    (Object.values(r.timings).reduce((a, b) => a + b, 0) / 60000).toFixed(1),
  ];
}

const runs: EstateRun[] = [];
console.log(`accuracy: ${shapes.length} zoo estates${values['no-demo'] ? '' : ' and the demo'}; load ${load()}`);
console.log(header.join(' | '));
const started = Date.now();
for (const shape of shapes) {
  const r = await runZooEstate(shape, { keep: values.keep, log: (l) => console.log(l) });
  runs.push(r);
  console.log(`${row(r).join(' | ')}${r.score.misses.length ? `   MISSED: ${r.score.misses.join('; ')}` : ''}   (load ${load()})`);
}
if (!values['no-demo']) {
  const r = await runDemoEstate({ seed: Number(values.seed), workloads: Number(values.demo) }, { keep: values.keep });
  runs.push(r);
  console.log(`${row(r).join(' | ')}${r.score.misses.length ? `   MISSED: ${r.score.misses.join('; ')}` : ''}   (load ${load()})`);
}

const min = (f: (r: EstateRun) => number) => Math.min(...runs.map(f));
const max = (f: (r: EstateRun) => number) => Math.max(...runs.map(f));
const worst = {
  ami: min((r) => r.score.applications.ami),
  amiHeard: min((r) => r.score.applications.amiHeard),
  precision: min((r) => r.score.dependencies.precision),
  recall: min((r) => r.score.dependencies.recall),
  reusedFalseEdges: max((r) => r.score.dependencies.reusedFalseEdges),
  scannerFlowsAllowed: max((r) => r.score.scanners.allowed),
  legitimateAllowed: min((r) => r.score.legitimate.ratio),
  blastGap: max((r) => r.score.blast.gap),
  ruleRatio: max((r) => r.score.rules.ratio),
  rulesNamingNoApplication: max((r) => r.score.rules.namingNoApplication),
};
const failed = runs.filter((r) => r.score.misses.length);
console.log(
  `\nworst over ${runs.length} estates: AMI ${worst.ami.toFixed(4)} (>= ${TARGETS.ami}; ${worst.amiHeard.toFixed(4)} without silent workers), precision ${worst.precision.toFixed(4)} (>= ${TARGETS.precision}), ` +
    `recall ${worst.recall.toFixed(4)} (>= ${TARGETS.recall}), reused-address false edges ${worst.reusedFalseEdges} (0), scanner flows allowed ${worst.scannerFlowsAllowed} (0), ` +
    `legitimate allowed ${pct(worst.legitimateAllowed, 3)} (>= ${pct(TARGETS.legitimateAllowed)}), blast-radius gap ${(worst.blastGap * 100).toFixed(1)} points (<= ${TARGETS.blastGap * 100}), ` +
    `rules ${worst.ruleRatio.toFixed(2)}x (<= ${TARGETS.ruleRatio}x), rules naming an application no workload carries ${worst.rulesNamingNoApplication} (0)`,
);
console.log(failed.length ? `FAIL: ${failed.length} of ${runs.length} estates miss a target (${failed.map((r) => r.name).join(', ')})` : `PASS: every estate meets every target`);
console.log(`${((Date.now() - started) / 60000).toFixed(1)} minutes; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
const date = new Date().toISOString();
writeFileSync(join(import.meta.dirname, 'results', `accuracy-${date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify({ benchmark: 'accuracy', date, load: loadavg(), targets: TARGETS, worst, runs }, null, 2)}\n`);
process.exit(failed.length ? 1 : 0);
