// Benchmark: discovery over a 30-day window of a generated estate (2,000 workloads, at least 50
// million raw flow records), once the data is loaded. The estate is the demo generator's
// (lib/demo), scaled: its flows are generated inside ClickHouse (INSERT ... SELECT), which is
// timed and reported separately as the load. Then the full analysis (coverage, edges with
// identity by time, scanners, noise, services, clustering, roles, convergence) runs several times;
// the median is the figure. The first run is also measured against the ground truth.
//
//   npm run bench -- analysis                       (2,000 workloads, 50,000,000 records, 5 runs)
//   npm run bench -- analysis --workloads 500 --records 5000000 --runs 3
//   npm run bench -- analysis --keep               keep the loaded home for another session (--home DIR)
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../lib/analysis/analyze';
import type { AnalysisResult } from '../lib/analysis/types';
import { loadConfig } from '../lib/config';
import { generateEstate, type Estate, type EstateOptions } from '../lib/demo/estate';
import { loadDemo } from '../lib/demo/load';
import { activeAt } from '../lib/demo/schedule';
import { evaluate, truthOf } from '../lib/demo/truth';
import { openRuntime } from '../lib/runtime';

const { values } = parseArgs({
  options: {
    workloads: { type: 'string', default: '2000' },
    records: { type: 'string', default: '50000000' },
    days: { type: 'string', default: '30' },
    runs: { type: 'string', default: '5' },
    home: { type: 'string' },
    keep: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
  },
});
const WORKLOADS = Number(values.workloads);
const RECORDS = Number(values.records);
const DAYS = Number(values.days);
const RUNS = Number(values.runs);
const SEED = Number(values.seed);
const END = new Date('2026-01-31T00:00:00Z');
const HOUR = 3_600_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => n.toLocaleString('en-US');

/** Records the estate generates at a flow scale, from the same schedules the engine expands. */
function plan(estate: Estate): (scale: number) => number {
  const gaps = new Map(estate.exporters.map((e) => [e.name, e.gaps]));
  const perSpec = estate.conversations.map((c) => {
    let hours = 0;
    const g = gaps.get(c.exporter) ?? [];
    for (let h = Math.floor(c.from / HOUR); h < Math.ceil(c.to / HOUR); h++) {
      if (g.some((x) => h * HOUR >= x.from && h * HOUR < x.to)) continue;
      if (activeAt(c.id, c.schedule, h)) hours++;
    }
    // scans and orientation noise are one record per probe whatever the scale (lib/demo/estate.ts)
    return { hours: hours * (c.ports?.length ?? 1), fph: c.fph, fixed: c.kind === 'scan' || c.kind === 'noise' };
  });
  return (scale) => perSpec.reduce((s, x) => s + x.hours * (x.fixed ? x.fph : Math.max(1, Math.round(x.fph * scale))), 0);
}

/** The smallest flow scale whose estate has at least `target` records. */
function scaleFor(opts: EstateOptions, target: number): { scale: number; records: number } {
  const count = plan(generateEstate({ ...opts, flowScale: 1 }));
  let lo = 0.01;
  let hi = 1;
  while (count(hi) < target) hi *= 2;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (count(mid) >= target) hi = mid;
    else lo = mid;
  }
  return { scale: hi, records: count(hi) };
}

const home = values.home ?? join(tmpdir(), `bulkhead-bench-analysis-${WORKLOADS}-${RECORDS}`);
mkdirSync(home, { recursive: true });
const marker = join(home, 'bench-estate.json');
const config = loadConfig({ env: { BULKHEAD_LOG_LEVEL: 'warn' }, cwd: home, overrides: { home, retention: { flowsDays: 0, rollupDays: 0 } } });
const rt = await openRuntime(config);
try {
  const baseOptions: EstateOptions = { workloads: WORKLOADS, days: DAYS, seed: SEED, end: END };
  let load: { seconds: number; records: number; scale: number } | null = null;
  let scale: number;
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as { scale: number; records: number; seconds: number };
    scale = m.scale;
    console.log(`reusing the estate loaded in ${home} (${fmt(m.records)} records, loaded in ${m.seconds} s)`);
  } else {
    const t0 = performance.now();
    const s = scaleFor(baseOptions, RECORDS * 1.002);
    scale = s.scale;
    console.log(`planned ${fmt(s.records)} records at flow scale ${s.scale.toFixed(3)} in ${((performance.now() - t0) / 1000).toFixed(1)} s; loading...`);
    const t1 = performance.now();
    let last = 0;
    const r = await loadDemo({ db: rt.db.prisma, store: rt.store }, {
      ...baseOptions,
      flowScale: scale,
      onProgress: (stage, done, total) => {
        if (stage === 'flows' && (done - last >= 72 || done === total)) {
          last = done;
          console.log(`  flows: ${done}/${total} hours after ${((performance.now() - t1) / 1000).toFixed(0)} s`);
        }
      },
    });
    const seconds = Math.round((performance.now() - t1) / 100) / 10;
    load = { seconds, records: r.flows, scale };
    writeFileSync(marker, JSON.stringify({ ...load, workloads: r.workloads }));
    console.log(`loaded ${fmt(r.workloads)} workloads and ${fmt(r.flows)} flow records in ${seconds} s (inventory ${(r.timings.inventoryMs / 1000).toFixed(1)} s, flows ${(r.timings.flowsMs / 1000).toFixed(1)} s)`);
  }
  const [counts] = await rt.store.rows<{ flows: number; rollup: number }>(
    `SELECT (SELECT count() FROM ${rt.store.t('flows')}) AS flows, (SELECT count() FROM ${rt.store.t('conversations_hourly')}) AS rollup`,
  );
  console.log(`store: ${fmt(counts!.flows)} raw flow records, ${fmt(counts!.rollup)} hourly rollup rows`);
  if (counts!.flows < RECORDS) throw new Error(`only ${counts!.flows} records, fewer than the ${RECORDS} asked for`);

  const from = new Date(END.getTime() - 30 * 24 * HOUR);
  const runs: Array<{ run: number; ms: number; cpuMs: number; load1: number; timings: Record<string, number>; edges: number; workloads: number }> = [];
  let first: AnalysisResult | null = null;
  for (let run = 1; run <= RUNS; run++) {
    const load1 = Math.round(loadavg()[0]! * 100) / 100;
    const t0 = performance.now();
    // the embedded engine runs in this process: its threads count in this process's CPU time
    const c0 = process.cpuUsage();
    const r = await analyze(rt, { from, to: END });
    const ms = Math.round(performance.now() - t0);
    const c = process.cpuUsage(c0);
    const cpuMs = Math.round((c.user + c.system) / 1000);
    first ??= r;
    runs.push({ run, ms, cpuMs, load1, timings: r.timings, edges: r.edges.length, workloads: r.workloads.length });
    console.log(`run ${run}: ${ms} ms wall, ${cpuMs} ms CPU, load ${load1} (${Object.entries(r.timings).map(([k, v]) => `${k} ${v}`).join(', ')}); ${fmt(r.edges.length)} edges, ${fmt(r.workloads.length)} workloads, ${r.applications.length} applications`);
  }
  const estate = generateEstate({ ...baseOptions, flowScale: scale });
  const ev = evaluate(first!, truthOf(estate, { from, to: END }, first!.periodicityWindow.from));
  console.log(
    `accuracy: AMI ${ev.applications.ami.toFixed(4)}, ARI ${ev.applications.ari.toFixed(4)}, edges precision ${ev.edges.precision.toFixed(4)} recall ${ev.edges.recall.toFixed(4)} ` +
      `(${fmt(ev.edges.truth)} true), scanner edges ${ev.scannerEdges}, reused-address false edges ${ev.reusedFalseEdges}`,
  );
  const summary = {
    benchmark: 'analysis',
    date: new Date().toISOString(),
    node: process.version,
    workloads: WORKLOADS,
    records: counts!.flows,
    rollupRows: counts!.rollup,
    load,
    runs: RUNS,
    medianMs: median(runs.map((r) => r.ms)),
    medianEdgesMs: median(runs.map((r) => r.timings.edges ?? 0)),
    medianCpuMs: median(runs.map((r) => r.cpuMs)),
    load1: runs.map((r) => r.load1),
    accuracy: { ami: ev.applications.ami, ari: ev.applications.ari, precision: ev.edges.precision, recall: ev.edges.recall, scannerEdges: ev.scannerEdges, reusedFalseEdges: ev.reusedFalseEdges },
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    results: runs,
  };
  console.log(`median ${summary.medianMs} ms wall (${summary.medianCpuMs} ms CPU) over ${RUNS} runs, edge query ${summary.medianEdgesMs} ms; load ${summary.load1.join(' ')}; target < 5000 ms`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(join('bench/results', `analysis-${summary.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(summary, null, 2));
} finally {
  await rt.close();
  if (!values.keep) rmSync(home, { recursive: true, force: true });
}
