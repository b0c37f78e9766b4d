// The fault scenarios of docs/reliability.md, each run against real processes the way they fail in
// the field: `bulkhead` commands killed with SIGKILL and run again, a collector fed far-off
// timestamps and a flood of templates over UDP, files with a 32 MiB line or records cut short,
// an owner widening their own rule. Each returns what was offered, stored, lost and duplicated,
// with the peak RSS and the time, and whether the promise held. `npm run bench -- faults` runs
// them at full size; bench/faults/faults.test.ts runs them reduced in `npm test`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ByteWriter, ipfixMessage, ipfixTemplateRecord, netflow5Packet, type V5Record } from '../../collectors/testing/exports';
import { loadConfig } from '../../lib/config';
import { openDatabase } from '../../lib/db';
import { procStats } from '../lib/proc';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'bulkhead.mjs');

export interface FaultResult {
  scenario: string;
  /** records (or announcements, lines) offered */
  offered: number;
  stored: number;
  lost: number;
  duplicated: number;
  peakRssMB: number | null;
  seconds: number;
  /** what else was measured, in words */
  notes: string[];
  /** whether what docs/reliability.md promises held */
  ok: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const homes: string[] = [];
const home = (name: string) => {
  const h = mkdtempSync(join(tmpdir(), `bulkhead-fault-${name}-`));
  homes.push(h);
  return h;
};

/** Remove the homes the scenarios made (a full run leaves about 500 MB). */
export function removeHomes(): void {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
}
const ENV = { BULKHEAD_LOG_LEVEL: 'warn', BULKHEAD_FLOW_RETENTION_DAYS: '0', BULKHEAD_ROLLUP_RETENTION_DAYS: '0', NO_COLOR: '1' };

interface Child {
  proc: ChildProcess;
  out: { stdout: string; stderr: string };
  exit: Promise<number | null>;
}

function start(h: string, args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, [BIN, '--home', h, ...args], { cwd: h, env: { ...process.env, ...ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  proc.stdout!.on('data', (b: Buffer) => (out.stdout += b.toString('utf8')));
  proc.stderr!.on('data', (b: Buffer) => (out.stderr += b.toString('utf8')));
  const exit = new Promise<number | null>((r) => proc.on('close', (c) => r(c)));
  return { proc, out, exit };
}

async function run(h: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  const c = start(h, args, env);
  const code = await c.exit;
  return { code, ...c.out, ms: performance.now() - t0 };
}

/** Rows of a query on a home's flow store, read by a process of its own (the embedded engine binds one data directory per process). */
async function query<T>(h: string, sql: string): Promise<T[]> {
  const script = `
    import { loadConfig } from './lib/config/index.ts';
    import { Store } from './lib/store/index.ts';
    const s = await Store.open(loadConfig({ env: { ...process.env }, cwd: process.argv[1], overrides: { home: process.argv[1] } }), { migrate: false });
    const sql = process.argv[2].replaceAll('{dbname}', s.database).replaceAll('{db}', '\`' + s.database + '\`');
    console.log(JSON.stringify(await s.rows(sql)));
    await s.close();`;
  const r = await new Promise<{ code: number | null; out: string; err: string }>((res) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, h, sql], { cwd: ROOT, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b));
    p.stderr.on('data', (b: Buffer) => (err += b));
    p.on('close', (code) => res({ code, out, err }));
  });
  if (r.code !== 0) throw new Error(`query on ${h} failed: ${r.err.slice(-2000)}`);
  return JSON.parse(r.out.trim().split('\n').pop()!) as T[];
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string) {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** AWS flow-log lines, one internet flow each (nothing folds), from t0 (Unix seconds). */
function awsLines(n: number, t0: number): string {
  const out = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
  for (let i = 0; i < n; i++) out.push(`2 111122223333 eni-0abc 10.1.${(i >> 8) & 255}.${i & 255} 52.94.${(i >> 16) & 255}.${i % 200} ${1024 + (i % 60000)} 443 6 3 ${300 + (i % 1000)} ${t0 + i} ${t0 + i + 10} ACCEPT OK`);
  return `${out.join('\n')}\n`;
}

const FLOWS_DIGEST = `SELECT count() AS n, toString(sum(cityHash64(src_addr, dst_addr, src_port, dst_port, start_time, bytes))) AS h FROM {db}.flows`;
const ROLLUP_FLOWS = `SELECT toUInt64(sum(flows)) AS n FROM {db}.sources_hourly`;

async function dbOf(h: string) {
  return openDatabase(loadConfig({ env: {}, cwd: h, overrides: { home: h } }).database);
}

/** kill -9 during `bulkhead import aws`, then the same command again: every record stored exactly once. */
export async function importKilled(opts: { lines: number; killAt?: number }): Promise<FaultResult> {
  const t0 = performance.now();
  const dir = home('import-file');
  const file = join(dir, 'flows.log');
  writeFileSync(file, awsLines(opts.lines, Date.UTC(2026, 5, 1) / 1000));
  const clean = home('import-clean');
  const c = await run(clean, ['import', 'aws', file]);
  if (c.code !== 0) throw new Error(`clean import failed: ${c.stderr}`);
  const want = (await query<{ n: number; h: string }>(clean, FLOWS_DIGEST))[0]!;

  const h = home('import-killed');
  const child = start(h, ['import', 'aws', file]);
  // kill once the import is under way: its ImportRun exists, then part of the clean run's time later
  const db = await dbOf(h);
  let killedMidway = false;
  try {
    await waitFor(async () => (await db.prisma.importRun.count({ where: { status: 'running' } }).catch(() => 0)) > 0 || child.proc.exitCode !== null, 120_000, 'the import to start');
    await sleep(Math.max(0, c.ms * (opts.killAt ?? 0.3)));
    child.proc.kill('SIGKILL');
    await child.exit;
    killedMidway = (await db.prisma.importRun.count({ where: { status: 'running' } })) > 0;
  } finally {
    await db.close();
  }
  const partial = (await query<{ n: number }>(h, 'SELECT count() AS n FROM {db}.flows'))[0]!.n;
  const again = await run(h, ['import', 'aws', file]);
  if (again.code !== 0) throw new Error(`import after the kill failed: ${again.stderr}`);
  const got = (await query<{ n: number; h: string }>(h, FLOWS_DIGEST))[0]!;
  const rollup = (await query<{ n: number }>(h, ROLLUP_FLOWS))[0]!.n;
  return {
    scenario: 'kill -9 during a flow import, then again',
    offered: opts.lines,
    stored: got.n,
    lost: Math.max(0, opts.lines - got.n),
    duplicated: Math.max(0, got.n - opts.lines),
    peakRssMB: null,
    seconds: (performance.now() - t0) / 1000,
    notes: [
      `killed ${killedMidway ? 'mid-import' : 'outside the import (the kill missed: no run was left running)'} with ${partial} records stored`,
      `checksum ${got.h === want.h ? 'equal to' : 'DIFFERENT from'} a clean import's`,
      `hourly rollup counts ${rollup} flows`,
      /read again/.test(again.stdout) ? 'the second run said it read the file again' : 'the second run did not say it read the file again',
    ],
    ok: got.n === opts.lines && got.h === want.h && rollup === opts.lines && want.n === opts.lines,
  };
}

/** kill -9 during `bulkhead import inventory`, then again: every workload and address once. */
export async function inventoryKilled(opts: { workloads: number; killAt?: number }): Promise<FaultResult> {
  const t0 = performance.now();
  const dir = home('inventory-file');
  const file = join(dir, 'inventory.json');
  writeFileSync(file, JSON.stringify(Array.from({ length: opts.workloads }, (_, i) => ({ name: `vm-${i}`, addresses: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`], labels: { app: `app-${i % 50}`, env: 'prod' } }))));
  const count = async (h: string) => {
    const db = await dbOf(h);
    try {
      return { workloads: await db.prisma.workload.count(), bindings: await db.prisma.addressBinding.count() };
    } finally {
      await db.close();
    }
  };
  const clean = home('inventory-clean');
  const c = await run(clean, ['import', 'inventory', file]);
  if (c.code !== 0) throw new Error(`clean inventory import failed: ${c.stderr}`);
  const h = home('inventory-killed');
  const child = start(h, ['import', 'inventory', file]);
  await sleep(c.ms * (opts.killAt ?? 0.6));
  child.proc.kill('SIGKILL');
  await child.exit;
  const partial = await count(h);
  const again = await run(h, ['import', 'inventory', file]);
  if (again.code !== 0) throw new Error(`inventory import after the kill failed: ${again.stderr}`);
  const want = await count(clean);
  const got = await count(h);
  const chBindings = async (x: string) => (await query<{ n: number }>(x, 'SELECT count() AS n FROM {db}.address_bindings'))[0]!.n;
  const [wantCh, gotCh] = [await chBindings(clean), await chBindings(h)];
  return {
    scenario: 'kill -9 during an inventory import, then again',
    offered: opts.workloads,
    stored: got.workloads,
    lost: Math.max(0, want.workloads - got.workloads),
    duplicated: Math.max(0, got.workloads - want.workloads),
    peakRssMB: null,
    seconds: (performance.now() - t0) / 1000,
    notes: [`killed with ${partial.workloads} workloads stored`, `bindings ${got.bindings} (clean ${want.bindings}); in ClickHouse ${gotCh} (clean ${wantCh})`],
    ok: got.workloads === opts.workloads && got.workloads === want.workloads && got.bindings === want.bindings && gotCh === wantCh,
  };
}

async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function startCollector(h: string, kind: 'netflow' | 'ipfix', env: Record<string, string> = {}): Promise<{ child: Child; port: number; ms: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = start(h, ['collect', '--listen', '127.0.0.1', '--netflow-port', kind === 'netflow' ? String(port) : '0', '--ipfix-port', kind === 'ipfix' ? String(port) : '0', '--sflow-port', '0', '--json'], env);
  await waitFor(() => child.out.stderr.includes('Collecting into') || child.proc.exitCode !== null, 120_000, 'bulkhead collect to start');
  if (child.proc.exitCode !== null) throw new Error(`bulkhead collect exited: ${child.out.stderr}`);
  return { child, port, ms: performance.now() - t0 };
}

async function stopCollector(c: Child): Promise<{ exporters: Array<Record<string, number | string>>; listeners: Array<{ kernelDrops: number | null }>; sink: Record<string, number> }> {
  c.proc.kill('SIGINT');
  const code = await c.exit;
  if (code !== 0) throw new Error(`bulkhead collect failed: ${c.out.stderr.slice(-2000)}`);
  return JSON.parse(c.out.stdout);
}

/** Send datagrams from a loopback address, paced so that the kernel keeps them all. */
async function send(from: string, port: number, datagrams: Iterable<Uint8Array>, perMs = 20): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, from, () => r()));
  let n = 0;
  for (const d of datagrams) {
    await new Promise<void>((r, j) => s.send(d, port, '127.0.0.1', (e) => (e ? j(e) : r())));
    if (++n % perMs === 0) await sleep(1);
  }
  await new Promise<void>((r) => s.close(() => r()));
  return n;
}

/** A router with a wrong clock beside good ones: flows dated up to 120 days away, mixed into good traffic. */
export async function farTimestamps(opts: { datagrams: number }): Promise<FaultResult> {
  const t0 = performance.now();
  const h = home('far-times');
  // the defaults a collector runs with: 45 days kept
  const { child, port } = await startCollector(h, 'netflow', { BULKHEAD_FLOW_RETENTION_DAYS: '45' });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, procStats(child.proc.pid!)?.rssMB ?? 0)), 250);
  const PER = 30;
  const now = Math.floor(Date.now() / 1000);
  const packet = (i: number, unixSecs: number) =>
    netflow5Packet({
      sysUptime: 100_000,
      unixSecs,
      sequence: i * PER,
      records: Array.from({ length: PER }, (_, k): V5Record => ({ src: `10.9.${(i >> 8) & 255}.${i & 255}`, dst: `10.8.0.${k}`, packets: 2, bytes: 200, first: 90_000, last: 99_000, srcPort: 40_000 + k, dstPort: 443, protocol: 6, tcpFlags: 0x1b })),
    });
  const good = function* () {
    for (let i = 0; i < opts.datagrams; i++) yield packet(i, now);
  };
  // the bad router's clock wanders over 120 days, beyond what is kept (45 days) before now or
  // more than a day after it
  const bad = function* () {
    for (let i = 0; i < opts.datagrams; i++) yield packet(i, now + (i % 2 ? 2 + (i % 120) : -(46 + (i % 120))) * 86_400);
  };
  // about 50,000 records/s from each router: a busy edge, well within what the collector
  // receives (bench/collect.ts), so that what is lost here is the far-off records' doing
  const [sentGood, sentBad] = await Promise.all([send('127.0.0.1', port, good(), 2), send('127.0.0.2', port, bad(), 2)]);
  await sleep(2500);
  clearInterval(sampler);
  peak = Math.max(peak, procStats(child.proc.pid!)?.hwmMB ?? 0);
  const final = await stopCollector(child);
  const byExporter = (a: string) => final.exporters.find((e) => e.exporter === a) ?? {};
  const stored = (await query<{ n: number }>(h, "SELECT count() AS n FROM {db}.flows WHERE exporter = '127.0.0.1'"))[0]!.n;
  const storedBad = (await query<{ n: number }>(h, "SELECT count() AS n FROM {db}.flows WHERE exporter = '127.0.0.2'"))[0]!.n;
  const parts = (await query<{ n: number }>(h, "SELECT count() AS n FROM system.parts WHERE database = '{dbname}' AND active AND table = 'flows'"))[0]!.n;
  const again = await startCollector(h, 'netflow', { BULKHEAD_FLOW_RETENTION_DAYS: '45' });
  await stopCollector(again.child);
  const offered = sentGood * PER;
  const quarantined = Number(byExporter('127.0.0.2').quarantined ?? 0);
  const kernelDrops = final.listeners.reduce((a, l) => a + (l.kernelDrops ?? 0), 0);
  const dropped = Number(byExporter('127.0.0.1').droppedRecords ?? 0) + Number(byExporter('127.0.0.2').droppedRecords ?? 0);
  return {
    scenario: 'far-off timestamps mixed into good traffic',
    offered,
    stored,
    lost: Math.max(0, offered - stored),
    duplicated: Math.max(0, stored - offered),
    peakRssMB: Math.round(peak),
    seconds: (performance.now() - t0) / 1000,
    notes: [
      `${sentBad * PER} far-off records: ${quarantined} quarantined, ${storedBad} stored`,
      `${kernelDrops} datagrams dropped by the kernel, ${dropped} records dropped by the collector`,
      `${parts} active parts of the flow table after the run`,
      `restart to listening in ${(again.ms / 1000).toFixed(1)} s`,
    ],
    ok: stored === offered && storedBad === 0 && quarantined === sentBad * PER && again.ms < 10_000,
  };
}

/** A million template announcements spread over observation domains: bounded memory, evictions counted. */
export async function templateFlood(opts: { announcements: number }): Promise<FaultResult> {
  const t0 = performance.now();
  const h = home('templates');
  const { child, port } = await startCollector(h, 'ipfix');
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, procStats(child.proc.pid!)?.rssMB ?? 0)), 250);
  const PER = 100;
  const fields: Array<[number, number]> = [[8, 4], [12, 4], [4, 1], [7, 2], [11, 2], [2, 8], [1, 8], [152, 8], [153, 8]];
  const messages = function* () {
    for (let dom = 0; dom * PER < opts.announcements; dom++) {
      const w = new ByteWriter();
      for (let i = 0; i < PER; i++) ipfixTemplateRecord(w, 256 + ((dom * 13 + i) % 60_000), fields);
      yield ipfixMessage({ exportTime: Math.floor(Date.now() / 1000), sequence: 0, domain: dom, sets: [{ id: 2, body: w.done() }] });
    }
  };
  await send('127.0.0.3', port, messages(), 2);
  await sleep(2000);
  const alive = child.proc.exitCode === null;
  clearInterval(sampler);
  peak = Math.max(peak, procStats(child.proc.pid!)?.hwmMB ?? 0);
  const final = await stopCollector(child);
  const e = final.exporters.find((x) => x.exporter === '127.0.0.3') ?? {};
  const received = Number(e.templates ?? 0);
  const evicted = Number(e.templatesEvicted ?? 0);
  const kernelDrops = final.listeners.reduce((a, l) => a + (l.kernelDrops ?? 0), 0);
  return {
    scenario: 'template flood across observation domains',
    offered: opts.announcements,
    stored: received,
    lost: opts.announcements - received,
    duplicated: 0,
    peakRssMB: Math.round(peak),
    seconds: (performance.now() - t0) / 1000,
    notes: [
      `${received} announcements received, ${evicted} templates evicted, ${Number(e.activeTemplates ?? 0)} held at the end`,
      `${kernelDrops} datagrams (of ${PER} announcements each) dropped by the kernel`,
      alive ? 'the collector stayed up' : 'the collector DIED',
    ],
    ok: alive && peak < 500 && evicted > 0 && evicted >= received - 50_000,
  };
}

/**
 * A gzip file of one 32 MiB line: an error naming it within 2 s. The same line between good ones:
 * every good line kept, the line named.
 */
export async function longLine(opts: { megabytes: number; good: number }): Promise<FaultResult> {
  const t0 = performance.now();
  const h = home('long-line');
  const long = 'x'.repeat(opts.megabytes * 1024 * 1024);
  const alone = join(h, 'alone.log.gz');
  writeFileSync(alone, gzipSync(long));
  const a = await run(h, ['import', 'aws', alone, '--json']);
  const as = JSON.parse(a.stdout) as { seconds: number; rejects: Array<{ line: number; reason: string }> };
  const aloneNamed = as.rejects.some((x) => x.line === 1 && /characters/.test(x.reason));
  const lines = awsLines(opts.good, Date.UTC(2026, 5, 1) / 1000).trimEnd().split('\n');
  const half = 1 + Math.floor(opts.good / 2);
  const mixed = join(h, 'mixed.log.gz');
  writeFileSync(mixed, gzipSync([...lines.slice(0, half), long, ...lines.slice(half)].join('\n')));
  const r = await run(h, ['import', 'aws', mixed, '--json']);
  const s = JSON.parse(r.stdout) as { stored: number; seconds: number; rejects: Array<{ line: number; reason: string }> };
  const named = s.rejects.some((x) => x.line === half + 1 && /characters/.test(x.reason));
  return {
    scenario: `a ${opts.megabytes} MiB line in a gzip file`,
    offered: opts.good,
    stored: s.stored,
    lost: opts.good - s.stored,
    duplicated: Math.max(0, s.stored - opts.good),
    peakRssMB: null,
    seconds: (performance.now() - t0) / 1000,
    notes: [
      `the line alone: refused in ${as.seconds} s, ${aloneNamed ? 'named (line 1)' : 'NOT named'}`,
      `between ${opts.good} good lines: imported in ${s.seconds} s, ${named ? `the line named (line ${half + 1})` : 'the line NOT named'}`,
    ],
    ok: s.stored === opts.good && named && aloneNamed && as.seconds < 2,
  };
}

/** A GCP export with one record cut short, and an inventory CSV with a quote left open: every good record kept, the bad line named. */
export async function badRecords(opts: { records: number }): Promise<FaultResult> {
  const t0 = performance.now();
  const h = home('bad-records');
  const entry = (i: number) =>
    JSON.stringify({
      insertId: `r${i}`,
      logName: 'projects/p/logs/compute.googleapis.com%2Fvpc_flows',
      timestamp: '2026-06-01T10:00:00Z',
      jsonPayload: {
        reporter: 'SRC',
        connection: { src_ip: `10.7.${(i >> 8) & 255}.${i & 255}`, src_port: 40000 + (i % 20000), dest_ip: '35.190.0.1', dest_port: 443, protocol: 6 },
        bytes_sent: '1000',
        packets_sent: '5',
        start_time: '2026-06-01T09:59:00Z',
        end_time: '2026-06-01T10:00:00Z',
      },
    });
  const cut = Math.floor(opts.records / 2);
  const gcp = Array.from({ length: opts.records }, (_, i) => entry(i));
  gcp.splice(cut, 0, entry(999_999).slice(0, 90));
  writeFileSync(join(h, 'gcp.json'), `${gcp.join('\n')}\n`);
  const g = await run(h, ['import', 'gcp', join(h, 'gcp.json'), '--json']);
  const gs = JSON.parse(g.stdout) as { flowRecords: number; stored: number; rejects: Array<{ line: number; reason: string }> };
  const csv = ['name,addresses,app', ...Array.from({ length: opts.records }, (_, i) => `host-${i},10.6.${(i >> 8) & 255}.${i & 255},app`)];
  csv.splice(1 + cut, 0, '"broken-host,10.5.0.1,app');
  writeFileSync(join(h, 'inventory.csv'), `${csv.join('\n')}\n`);
  const inv = await run(h, ['import', 'inventory', join(h, 'inventory.csv'), '--json']);
  const db = await dbOf(h);
  const workloads = await db.prisma.workload.count().finally(() => db.close());
  const gcpNamed = gs.rejects.some((x) => x.line === cut + 1);
  const csvNamed = /line \d+/.test(inv.stdout + inv.stderr);
  return {
    scenario: 'a record cut short (GCP), a quote left open (inventory CSV)',
    offered: 2 * opts.records,
    stored: gs.flowRecords + workloads,
    lost: 2 * opts.records - gs.flowRecords - workloads,
    duplicated: 0,
    peakRssMB: null,
    seconds: (performance.now() - t0) / 1000,
    notes: [`GCP: ${gs.flowRecords} of ${opts.records} records read, bad line ${gcpNamed ? 'named' : 'NOT named'}`, `CSV: ${workloads} of ${opts.records} workloads, bad line ${csvNamed ? 'named' : 'NOT named'}`],
    ok: gs.flowRecords === opts.records && workloads === opts.records && gcpNamed && csvNamed,
  };
}

/** An application owner widens a proposed rule of their own application and tries to approve it. */
export async function ownerEscalation(): Promise<FaultResult> {
  const t0 = performance.now();
  const h = home('escalation');
  const { createUser } = await import('../../lib/auth/users');
  const { createRules, narrowRule, approveRules } = await import('../../lib/policy/workflow');
  const { parsePortsText } = await import('../../lib/policy/model');
  const db = await dbOf(h);
  try {
    const p = db.prisma;
    const owner = await createUser(p, { email: 'owner@faults.test', role: 'owner' });
    const arch = await createUser(p, { email: 'sec@faults.test', role: 'architect' });
    const { created } = await createRules(p, [{ from: { labels: { app: 'shop', role: 'web' } }, to: { labels: { app: 'shop', role: 'api' } }, ports: parsePortsText('tcp/8080'), intent: 'web to api', owner: 'shop', application: 'shop' }], { actor: { type: 'system', name: 'faults' }, via: 'system' }, { origin: 'proposal' });
    const as = (u: { id: string; email: string; role: 'owner' | 'architect' }) => ({ actor: { type: 'user' as const, id: u.id, userId: u.id, name: u.email, role: u.role }, via: 'api' as const });
    const id = created[0]!.id;
    await narrowRule(p, id, { from: { any: true }, ports: parsePortsText('tcp/1-65535') }, as({ ...owner, role: 'owner' }), { comment: 'simpler' });
    const byOwner = await approveRules(p, [id], as({ ...owner, role: 'owner' }));
    const bySecurity = await approveRules(p, [id], as({ ...arch, role: 'architect' }));
    return {
      scenario: "an owner widens their own rule and approves it",
      offered: 1,
      stored: bySecurity[0]!.outcome === 'approved' ? 1 : 0,
      lost: 0,
      duplicated: 0,
      peakRssMB: null,
      seconds: (performance.now() - t0) / 1000,
      notes: [`owner: ${byOwner[0]!.outcome} (${byOwner[0]!.note ?? ''})`, `security reviewer: ${bySecurity[0]!.outcome}`],
      ok: byOwner[0]!.outcome === 'refused' && bySecurity[0]!.outcome === 'approved',
    };
  } finally {
    await db.close();
  }
}
