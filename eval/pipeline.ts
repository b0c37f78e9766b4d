// One estate, end to end, as a new user would run it: its files imported, discovery over the
// first two weeks (`analyze --json`), proposals from the same window, every proposal approved,
// the approved policy exported as a baseline; then the scorer judges the analysis and the
// baseline against the estate's truth, the third week held out.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEstate as generateDemo } from '../lib/demo/estate';
import { BulkheadCli } from './cli';
import { score, type AnalysisJsonView, type Score, type ScoringTruth } from './score/score';
import type { BaselineDocument } from './score/baseline';
import { demoTruth, zooTruth, type Windows } from './truths';
import { writeAwsFlowLogs } from './zoo/aws';
import { generateEstate } from './zoo/estate';
import { networksAddArgs, writeInventory } from './zoo/inventory';
import { writeIpfixCapture } from './zoo/ipfix';
import type { ZooShape } from './zoo/model';

const DAY = 86_400_000;

export interface EstateRun {
  name: string;
  /** the Bulkhead home, when kept (RunOptions.keep) */
  home: string | null;
  workloads: number;
  /** flow records or log lines handed to Bulkhead */
  input: { kind: string; count: number };
  timings: Record<string, number>;
  score: Score;
}

export interface RunOptions {
  /** keep the home and files (default: removed) */
  keep?: boolean;
  /** where homes go (default the system temp directory) */
  dir?: string;
  log?: (line: string) => void;
}

/** The CLI steps after the data is in: discovery, proposals, approval, export. */
async function discoverAndPolicy(cli: BulkheadCli, w: Windows, timings: Record<string, number>) {
  const iso = (ms: number) => new Date(ms).toISOString();
  const window = ['--from', iso(w.train.from), '--to', iso(w.train.to)];
  const analyzed = await cli.run(['analyze', ...window, '--json']);
  timings.analyzeMs = analyzed.ms;
  const proposed = await cli.run(['propose', ...window]);
  timings.proposeMs = proposed.ms;
  // a person who accepts discovery's proposals as a whole accepts its applications too: rules
  // naming an inferred application wait for its confirmation (docs/policy.md)
  timings.confirmMs = (await cli.run(['applications', 'confirm', '--inferred', ...window])).ms;
  timings.approveMs = (await cli.run(['rules', 'approve', '--all'])).ms;
  const out = join(cli.home, 'baseline.json');
  // the policy as it would be enforced over the held-out week: the workloads of its first hour
  timings.exportMs = (await cli.run(['export', '--format', 'baseline', '-o', out, '--at', iso(w.test.from)])).ms;
  return { analysis: JSON.parse(analyzed.stdout) as AnalysisJsonView, baseline: JSON.parse(readFileSync(out, 'utf8')) as BaselineDocument };
}

export const shapeName = (s: ZooShape) => `zoo ${s.workloads} ${s.naming}/${s.labels}/${s.source} #${s.seed}`;

export async function runZooEstate(shape: ZooShape, opts: RunOptions = {}): Promise<EstateRun> {
  const home = mkdtempSync(join(opts.dir ?? tmpdir(), 'bulkhead-zoo-'));
  const log = opts.log ?? (() => {});
  const timings: Record<string, number> = {};
  try {
    let t = performance.now();
    const estate = generateEstate(shape);
    const weeks = estate.shape.weeks;
    const w: Windows = { train: { from: estate.start, to: estate.end - 7 * DAY }, test: { from: estate.end - 7 * DAY, to: estate.end } };
    if (weeks < 2) throw new Error('an estate needs at least two weeks: one to train on, one held out');
    const files = join(home, 'files');
    mkdirSync(files, { recursive: true });
    writeInventory(estate, join(files, 'inventory.json'));
    const input = { kind: '', count: 0 };
    if (estate.shape.source === 'aws') {
      const r = writeAwsFlowLogs(estate, join(files, 'flowlogs'), { format: estate.shape.seed % 2 ? 'v5' : 'v2' });
      Object.assign(input, { kind: 'aws lines', count: r.lines });
    } else {
      const r = writeIpfixCapture(estate, join(files, 'ipfix.pcap'), { biflow: estate.shape.seed % 2 === 0 });
      Object.assign(input, { kind: 'ipfix records', count: r.records });
    }
    timings.writeMs = Math.round(performance.now() - t);
    log(`  ${estate.workloads.length} workloads, ${input.count.toLocaleString('en-US')} ${input.kind} written in ${(timings.writeMs / 1000).toFixed(1)} s`);

    const cli = new BulkheadCli(home);
    t = performance.now();
    await cli.run(['import', 'inventory', join(files, 'inventory.json'), '--at', new Date(estate.start).toISOString()]);
    for (const args of networksAddArgs(estate)) await cli.run(args);
    if (estate.shape.source === 'aws') await cli.run(['import', 'aws', join(files, 'flowlogs')]);
    else await cli.run(['ingest', 'pcap', join(files, 'ipfix.pcap')]);
    timings.importMs = Math.round(performance.now() - t);
    log(`  imported in ${(timings.importMs / 1000).toFixed(1)} s`);
    const { analysis, baseline } = await discoverAndPolicy(cli, w, timings);
    const truth: ScoringTruth = zooTruth(estate, w);
    writeFileSync(join(home, 'analysis.json'), JSON.stringify(analysis));
    return { name: shapeName(shape), home: opts.keep ? home : null, workloads: estate.workloads.length, input, timings, score: score(truth, analysis, baseline) };
  } finally {
    if (!opts.keep) rmSync(home, { recursive: true, force: true });
    else log(`  kept ${home}`);
  }
}

/** The demo estate (lib/demo) over three weeks ending at the last whole hour, loaded by `bulkhead demo`. */
export async function runDemoEstate(demo: { seed: number; workloads: number }, opts: RunOptions = {}): Promise<EstateRun> {
  const home = mkdtempSync(join(opts.dir ?? tmpdir(), 'bulkhead-demo-'));
  const timings: Record<string, number> = {};
  try {
    const cli = new BulkheadCli(home);
    const loaded = await cli.run(['demo', '--seed', String(demo.seed), '--workloads', String(demo.workloads), '--days', '21', '--json']);
    timings.importMs = loaded.ms;
    const rec = (JSON.parse(loaded.stdout) as { loaded: { end: string; flows: number; options: { end: string } } }).loaded;
    const end = new Date(rec.end).getTime();
    const estate = generateDemo({ seed: demo.seed, workloads: demo.workloads, days: 21, end: new Date(rec.options.end) });
    const w: Windows = { train: { from: end - 21 * DAY, to: end - 7 * DAY }, test: { from: end - 7 * DAY, to: end } };
    const { analysis, baseline } = await discoverAndPolicy(cli, w, timings);
    const truth = demoTruth(estate, w);
    return { name: `demo ${demo.workloads} #${demo.seed}`, home: opts.keep ? home : null, workloads: estate.workloads.length, input: { kind: 'flow records', count: rec.flows }, timings, score: score(truth, analysis, baseline) };
  } finally {
    if (!opts.keep) rmSync(home, { recursive: true, force: true });
  }
}
