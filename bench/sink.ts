// Benchmark: N synthetic flow records through the FlowSink into embedded ClickHouse (chDB),
// then the hourly conversation rollup read back. Prints records/s and peak RSS per run and the
// median over runs; writes bench/results/sink-<time>.json.
//
//   npm run bench -- sink                      (1,000,000 records, 3 runs)
//   npm run bench -- sink --records 200000 --runs 5
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { Store } from '../lib/store';
import { FlowSink } from '../lib/store/sink';
import { syntheticFlows } from './synthetic-flows';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' }, batch: { type: 'string', default: '50000' } } });
const N = Number(values.records);
const RUNS = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const home = mkdtempSync(join(tmpdir(), 'bulkhead-bench-sink-'));
const results: Array<{ run: number; records: number; seconds: number; recordsPerSecond: number; rollupRows: number; rollupReadMs: number; peakRssMB: number }> = [];
try {
  for (let run = 1; run <= RUNS; run++) {
    const config = loadConfig({ env: {}, cwd: home, overrides: { home, retention: { flowsDays: 0, rollupDays: 0 }, clickhouse: { database: `bench_${run}` } } });
    const store = await Store.open(config);
    const records = syntheticFlows(N, { seed: run });
    const sink = new FlowSink(store, { maxBatch: Number(values.batch) });
    const t0 = performance.now();
    const CHUNK = 10_000; // as a collector would hand them over
    for (let i = 0; i < N; i += CHUNK) {
      if (!sink.write(records.slice(i, i + CHUNK))) await sink.drain();
    }
    await sink.flush();
    const seconds = (performance.now() - t0) / 1000;
    const stats = sink.stats();
    if (stats.inserted !== N) throw new Error(`inserted ${stats.inserted} of ${N}: ${JSON.stringify(stats)}`);
    const r0 = performance.now();
    const [rollup] = await store.rows<{ rows: number; flows: number }>(
      `SELECT count() AS rows, sum(flows) AS flows FROM (SELECT hour, client_addr, server_addr, server_port, protocol, sum(flows) AS flows FROM ${store.t('conversations_hourly')} GROUP BY ALL)`,
    );
    const rollupReadMs = performance.now() - r0;
    if (rollup!.flows !== N) throw new Error(`rollup holds ${rollup!.flows} flows, expected ${N}`);
    const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    results.push({ run, records: N, seconds: Math.round(seconds * 100) / 100, recordsPerSecond: Math.round(N / seconds), rollupRows: rollup!.rows, rollupReadMs: Math.round(rollupReadMs), peakRssMB });
    console.log(`run ${run}: ${N.toLocaleString('en-US')} records in ${seconds.toFixed(2)} s = ${Math.round(N / seconds).toLocaleString('en-US')} records/s; rollup ${rollup!.rows.toLocaleString('en-US')} rows read in ${Math.round(rollupReadMs)} ms; peak RSS ${peakRssMB} MB`);
    await store.command(`DROP DATABASE ${store.database}`);
    await store.close();
  }
  const summary = {
    benchmark: 'sink',
    date: new Date().toISOString(),
    node: process.version,
    records: N,
    runs: RUNS,
    medianRecordsPerSecond: median(results.map((r) => r.recordsPerSecond)),
    medianRollupReadMs: median(results.map((r) => r.rollupReadMs)),
    peakRssMB: Math.max(...results.map((r) => r.peakRssMB)),
    results,
  };
  console.log(`median ${summary.medianRecordsPerSecond.toLocaleString('en-US')} records/s, rollup read ${summary.medianRollupReadMs} ms, peak RSS ${summary.peakRssMB} MB`);
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', `sink-${summary.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(summary, null, 2));
} finally {
  rmSync(home, { recursive: true, force: true });
}
