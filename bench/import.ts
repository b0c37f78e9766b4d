// Benchmark: importing AWS VPC flow-log lines into embedded ClickHouse (chDB) with
// `bulkhead import aws`'s importer: checksum, parse, fold, FlowSink, rollups, ImportRun.
// The file is written before timing; each run imports it into a fresh database and checks that
// the store holds exactly the records the generator says the lines fold into.
//
//   npm run bench -- import                          (1,000,000 lines, vpc mix, 3 runs)
//   npm run bench -- import --lines 200000 --runs 5 --mix unique --gzip
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudImporter } from '../collectors/cloud/importer';
import { loadConfig } from '../lib/config';
import { openRuntime } from '../lib/runtime';
import { writeAwsFlowLog } from './synthetic-aws';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    mix: { type: 'string', default: 'vpc' },
    gzip: { type: 'boolean', default: false },
  },
});
const N = Number(values.lines);
const RUNS = Number(values.runs);
const mix = values.mix === 'unique' ? 'unique' : 'vpc';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const home = mkdtempSync(join(tmpdir(), 'bulkhead-bench-import-'));
try {
  const g0 = performance.now();
  let file = join(home, '123456789012_vpcflowlogs_us-east-1_fl-0bench_20260105T0000Z_0.log');
  const gen = await writeAwsFlowLog(file, N, { mix });
  if (values.gzip) {
    execFileSync('gzip', ['-6', file]);
    file += '.gz';
  }
  console.log(`wrote ${fmt(gen.lines)} lines (${(gen.bytes / 1e6).toFixed(1)} MB${values.gzip ? ', gzipped' : ''}, ${mix} mix, ${fmt(gen.expectedRecords)} records after folding) in ${((performance.now() - g0) / 1000).toFixed(1)} s`);

  const results: Array<{ run: number; seconds: number; cpuSeconds: number; linesPerSecond: number; linesPerCpuSecond: number; recordsPerSecond: number; stored: number; duplicates: number; merged: number; peakRssMB: number; load1: number }> = [];
  for (let run = 1; run <= RUNS; run++) {
    const runHome = join(home, `run${run}`);
    const config = loadConfig({ env: { BULKHEAD_LOG_LEVEL: 'silent' }, cwd: runHome, overrides: { home: runHome, retention: { flowsDays: 0, rollupDays: 0 }, clickhouse: { database: `bench_import_${run}` } } });
    config.clickhouse = { ...config.clickhouse, ...(config.clickhouse.mode === 'embedded' ? { dataDir: join(home, 'clickhouse') } : {}) };
    const rt = await openRuntime(config);
    try {
      const load1 = loadavg()[0]!;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const importer = new CloudImporter(rt.db.prisma, rt.store, { kind: 'aws' });
      await importer.importPaths([file], '/');
      const s = await importer.finish();
      const seconds = (performance.now() - t0) / 1000;
      // CPU time of the whole process (the embedded engine's threads included): on a shared,
      // busy machine wall time measures the neighbours too; CPU time measures the work
      const cpu = process.cpuUsage(c0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      if (s.lines !== gen.lines + 1) throw new Error(`read ${s.lines} lines, wrote ${gen.lines + 1}`);
      if (s.rejected !== 0) throw new Error(`${s.rejected} lines rejected: ${JSON.stringify(s.rejects.slice(0, 3))}`);
      if (s.stored !== gen.expectedRecords) throw new Error(`stored ${s.stored} records, the lines fold into ${gen.expectedRecords}`);
      const [row] = await rt.store.rows<{ n: number; rollup: number }>(
        `SELECT (SELECT count() FROM ${rt.store.t('flows')}) AS n, (SELECT sum(flows) FROM ${rt.store.t('conversations_hourly')}) AS rollup`,
      );
      if (row!.n !== s.stored || row!.rollup !== s.stored) throw new Error(`store holds ${row!.n} flows and ${row!.rollup} in the rollup, expected ${s.stored}`);
      const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
      results.push({
        run,
        seconds: Math.round(seconds * 100) / 100,
        cpuSeconds: Math.round(cpuSeconds * 100) / 100,
        linesPerSecond: Math.round(N / seconds),
        linesPerCpuSecond: Math.round(N / cpuSeconds),
        recordsPerSecond: Math.round(s.stored / seconds),
        stored: s.stored,
        duplicates: s.duplicates,
        merged: s.merged,
        peakRssMB,
        load1: Math.round(load1 * 10) / 10,
      });
      console.log(
        `run ${run}: ${fmt(N)} lines in ${seconds.toFixed(2)} s = ${fmt(N / seconds)} lines/s (CPU ${cpuSeconds.toFixed(2)} s = ${fmt(N / cpuSeconds)} lines per CPU-second); ${fmt(s.stored)} records stored (${fmt(s.stored / seconds)}/s), ${fmt(s.duplicates)} duplicates folded, ${fmt(s.merged)} replies joined; peak RSS ${peakRssMB} MB; load ${load1.toFixed(1)}`,
      );
      await rt.store.command(`DROP DATABASE ${rt.store.database}`);
    } finally {
      await rt.close();
    }
  }
  const summary = {
    benchmark: 'import',
    date: new Date().toISOString(),
    node: process.version,
    lines: N,
    mix,
    gzip: values.gzip,
    runs: RUNS,
    medianLinesPerSecond: median(results.map((r) => r.linesPerSecond)),
    medianRecordsPerSecond: median(results.map((r) => r.recordsPerSecond)),
    medianLinesPerCpuSecond: median(results.map((r) => r.linesPerCpuSecond)),
    peakRssMB: Math.max(...results.map((r) => r.peakRssMB)),
    results,
  };
  console.log(`median ${fmt(summary.medianLinesPerSecond)} lines/s (${fmt(summary.medianRecordsPerSecond)} records stored/s), ${fmt(summary.medianLinesPerCpuSecond)} lines per CPU-second, peak RSS ${summary.peakRssMB} MB`);
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', `import-${summary.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(summary, null, 2));
} finally {
  rmSync(home, { recursive: true, force: true });
}
