// Benchmark: end to end over UDP on loopback into embedded ClickHouse, as people run it. The real
// `bulkhead collect` listens; nfcapd (nfdump) listens on another port; a sender process
// (bench/collect-sender.ts) sends every flow datagram to both at a fixed rate for a duration.
// Reported per run: flows sent, decoded and stored by Bulkhead (loss the collector causes:
// decoded but not stored), kernel socket drops (separately: the socket buffer overflowed before
// the collector could read), peak RSS of the collector process, CPU seconds of each collector,
// and what nfcapd stored from the same export. Writes bench/results/collect-<time>.json.
//
//   npm run bench -- collect                          (3 runs, 100,000 flows/s, 60 s, NetFlow v9)
//   npm run bench -- collect --rate 150000 --seconds 30 --runs 1 --protocol ipfix
import { spawn, type ChildProcess } from 'node:child_process';
import { procStats } from './lib/proc';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '60' },
    runs: { type: 'string', default: '3' },
    protocol: { type: 'string', default: 'netflow9' },
    batch: { type: 'string', default: '50000' },
    nfcapd: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const RUNS = Number(values.runs);
const PROTOCOL = values.protocol!;
const root = resolve(import.meta.dirname, '..');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

function kernelDrops(port: number): number {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n')) {
    const c = line.trim().split(/\s+/);
    if (c.length > 12 && `${c[1]} `.endsWith(hex)) return Number(c[12]);
  }
  return 0;
}

function collect(child: ChildProcess) {
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d) => (out.stdout += d));
  child.stderr?.on('data', (d) => (out.stderr += d));
  return out;
}

async function waitFor(what: () => boolean, ms: number, label: string) {
  const t0 = Date.now();
  while (!what()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${label}`);
    await sleep(100);
  }
}

interface RunResult {
  run: number;
  sent: number;
  seconds: number;
  bulkhead: { decoded: number; stored: number; collectorLoss: number; kernelDropDatagrams: number; kernelDropRecords: number; storedPerSecond: number; peakRssMB: number; cpuSeconds: number; cpuMicrosPerFlow: number };
  nfcapd: { stored: number; kernelDropDatagrams: number; cpuSeconds: number; cpuMicrosPerFlow: number } | null;
  load: string;
}

async function oneRun(run: number): Promise<RunResult> {
  const home = mkdtempSync(join(tmpdir(), 'bulkhead-bench-collect-'));
  const nfdir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-nfcapd-'));
  const port = await freePort();
  const nfPort = await freePort();
  try {
    const isIpfix = PROTOCOL === 'ipfix';
    const collector = spawn(process.execPath, [join(root, 'bin/bulkhead.mjs'), 'collect', '--listen', '127.0.0.1', '--netflow-port', isIpfix ? '0' : String(port), '--ipfix-port', isIpfix ? String(port) : '0', '--sflow-port', '0', '--status', '10', '--batch', values.batch!, '--json'], {
      env: { ...process.env, BULKHEAD_HOME: home, BULKHEAD_LOG_LEVEL: 'warn', BULKHEAD_FLOW_RETENTION_DAYS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const cOut = collect(collector);
    const cExit = new Promise<number | null>((r) => collector.on('exit', r));
    await waitFor(() => cOut.stderr.includes('Collecting into'), 120_000, `bulkhead collect to start: ${cOut.stderr}`);
    let nfcapd: ChildProcess | null = null;
    if (values.nfcapd) {
      nfcapd = spawn('nfcapd', ['-b', '127.0.0.1', '-p', String(nfPort), '-w', nfdir, '-t', '3600', '-B', String(32 << 20)], { stdio: ['ignore', 'pipe', 'pipe'] });
      collect(nfcapd);
      await waitFor(() => readFileSync('/proc/net/udp', 'utf8').includes(`:${nfPort.toString(16).toUpperCase().padStart(4, '0')} `), 10_000, 'nfcapd to listen');
    }
    const nfStart = nfcapd ? procStats(nfcapd.pid!) : null;
    const cStart = procStats(collector.pid!)!;
    const sender = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/collect-sender.ts'), '--ports', [port, ...(nfcapd ? [nfPort] : [])].join(','), '--rate', String(RATE), '--seconds', String(SECONDS), '--protocol', PROTOCOL], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const sOut = collect(sender);
    let peak = 0;
    const sampler = setInterval(() => {
      const s = procStats(collector.pid!);
      if (s) peak = Math.max(peak, s.rssMB);
    }, 500);
    await new Promise<void>((r) => sender.on('exit', () => r()));
    const sent = JSON.parse(sOut.stdout.trim().split('\n').pop()!) as { records: number; seconds: number };
    // Let the collector take what is queued, then stop it the way people do (Ctrl-C stores the rest).
    await sleep(3000);
    const nfDrops = nfcapd ? kernelDrops(nfPort) : 0;
    const nfEnd = nfcapd ? procStats(nfcapd.pid!) : null;
    const cEnd = procStats(collector.pid!)!;
    clearInterval(sampler);
    peak = Math.max(peak, cEnd.hwmMB);
    collector.kill('SIGINT');
    if ((await cExit) !== 0) throw new Error(`bulkhead collect failed: ${cOut.stderr.slice(-2000)}`);
    const final = JSON.parse(cOut.stdout) as { exporters: Array<{ records: number; droppedRecords: number }>; listeners: Array<{ kernelDrops: number | null }>; sink: { inserted: number; dropped: number; rejected: number } };
    const decoded = final.exporters.reduce((a, e) => a + e.records, 0);
    const kdrops = final.listeners.reduce((a, l) => a + (l.kernelDrops ?? 0), 0);
    let nf: RunResult['nfcapd'] = null;
    if (nfcapd) {
      const exited = new Promise((r) => nfcapd!.on('exit', r));
      nfcapd.kill('SIGTERM');
      await exited;
      let stored = 0;
      for (const f of readdirSync(nfdir).filter((x) => x.startsWith('nfcapd.'))) {
        const { spawnSync } = await import('node:child_process');
        const r = spawnSync('nfdump', ['-r', join(nfdir, f), '-I'], { encoding: 'utf8' });
        stored += Number(/^Flows:\s+(\d+)/m.exec(r.stdout)?.[1] ?? 0);
      }
      const cpu = nfEnd && nfStart ? nfEnd.cpu - nfStart.cpu : 0;
      nf = { stored, kernelDropDatagrams: nfDrops, cpuSeconds: Math.round(cpu * 100) / 100, cpuMicrosPerFlow: Math.round((cpu / Math.max(stored, 1)) * 1e6 * 100) / 100 };
    }
    const cpu = cEnd.cpu - cStart.cpu;
    const per = PROTOCOL === 'ipfix' ? 24 : PROTOCOL === 'sflow5' ? 7 : 30;
    return {
      run,
      sent: sent.records,
      seconds: Math.round(sent.seconds * 10) / 10,
      bulkhead: {
        decoded,
        stored: final.sink.inserted,
        collectorLoss: decoded - final.sink.inserted,
        kernelDropDatagrams: kdrops,
        kernelDropRecords: kdrops * per,
        storedPerSecond: Math.round(final.sink.inserted / sent.seconds),
        peakRssMB: Math.round(peak),
        cpuSeconds: Math.round(cpu * 100) / 100,
        cpuMicrosPerFlow: Math.round((cpu / Math.max(final.sink.inserted, 1)) * 1e6 * 100) / 100,
      },
      nfcapd: nf,
      load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(nfdir, { recursive: true, force: true });
  }
}

const results: RunResult[] = [];
for (let run = 1; run <= RUNS; run++) {
  const r = await oneRun(run);
  results.push(r);
  const b = r.bulkhead;
  console.log(
    `run ${run}: sent ${fmt(r.sent)} flows in ${r.seconds} s (${fmt(r.sent / r.seconds)}/s); bulkhead decoded ${fmt(b.decoded)}, stored ${fmt(b.stored)} (${fmt(b.storedPerSecond)}/s), ` +
      `collector loss ${fmt(b.collectorLoss)}, kernel drops ${fmt(b.kernelDropDatagrams)} datagrams (${fmt(b.kernelDropRecords)} flows), peak RSS ${b.peakRssMB} MB, CPU ${b.cpuSeconds} s (${b.cpuMicrosPerFlow} µs/flow)` +
      (r.nfcapd ? `; nfcapd stored ${fmt(r.nfcapd.stored)}, kernel drops ${fmt(r.nfcapd.kernelDropDatagrams)}, CPU ${r.nfcapd.cpuSeconds} s (${r.nfcapd.cpuMicrosPerFlow} µs/flow)` : '') +
      `; load ${r.load}`,
  );
}
const summary = {
  benchmark: 'collect',
  date: new Date().toISOString(),
  node: process.version,
  protocol: PROTOCOL,
  offeredRate: RATE,
  seconds: SECONDS,
  runs: RUNS,
  median: {
    storedPerSecond: median(results.map((r) => r.bulkhead.storedPerSecond)),
    collectorLoss: median(results.map((r) => r.bulkhead.collectorLoss)),
    kernelDropDatagrams: median(results.map((r) => r.bulkhead.kernelDropDatagrams)),
    peakRssMB: median(results.map((r) => r.bulkhead.peakRssMB)),
    cpuMicrosPerFlow: median(results.map((r) => r.bulkhead.cpuMicrosPerFlow)),
    nfcapdStored: results[0]!.nfcapd ? median(results.map((r) => r.nfcapd!.stored)) : null,
    nfcapdCpuMicrosPerFlow: results[0]!.nfcapd ? median(results.map((r) => r.nfcapd!.cpuMicrosPerFlow)) : null,
    storedRatioToNfcapd: results[0]!.nfcapd ? median(results.map((r) => r.bulkhead.stored / Math.max(r.nfcapd!.stored, 1))) : null,
  },
  results,
};
console.log(`median: ${fmt(summary.median.storedPerSecond)} flows/s stored, collector loss ${summary.median.collectorLoss}, kernel drops ${summary.median.kernelDropDatagrams} datagrams, peak RSS ${summary.median.peakRssMB} MB, ${summary.median.cpuMicrosPerFlow} µs CPU/flow` + (summary.median.nfcapdStored !== null ? `; nfcapd ${summary.median.nfcapdCpuMicrosPerFlow} µs CPU/flow, stored ratio bulkhead/nfcapd ${summary.median.storedRatioToNfcapd!.toFixed(3)}` : ''));
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', `collect-${summary.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(summary, null, 2));
