// Benchmark: first paint of the dependency map of a large estate in headless Chromium. An estate
// of at least N workloads (default 5,000) is generated once into its own home and served by
// `bulkhead serve` (production build); a signed-in browser opens /map, and the time from
// navigation start to the first frame with the map drawn (the page's `bulkhead:map-painted`
// mark, set after Cytoscape's first render) is measured in fresh browser contexts, at the
// default (application) level and with every workload drawn (level=workload). The window's
// analysis is computed once before the timed runs (its cost is discovery's benchmark,
// bench/analysis.ts) and reported as "analysis (cold)".
//
// The estate: the demo generator (lib/demo) tops out near 4,000 workloads (its application
// templates times regions), so a second generated estate (another seed) is added beside the
// first, its workloads renamed ("b-...") and moved to 11.0.0.0/8; both share the users, partners
// and internet of the first. Both go in through applyInventory and writeEstateFlows, the paths
// `bulkhead demo` uses.
//
//   flock /tmp/bulkhead-e2e.lock npm run bench -- map            (5,000 workloads, 8 days, 5 runs)
//   flock /tmp/bulkhead-e2e.lock npm run bench -- map --workloads 2000 --runs 3 --fresh
//
// The lock: `bulkhead serve` rebuilds the web app when its sources changed, and builds share
// .next/ with the browser tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { loadConfig } from '../lib/config';
import { generateEstate, type Estate } from '../lib/demo/estate';
import { writeEstateFlows } from '../lib/demo/flows';
import { syncNamedNetworks } from '../lib/identity/networks';
import { applyInventory } from '../lib/inventory/apply';
import { openRuntime } from '../lib/runtime';

const { values } = parseArgs({
  options: {
    workloads: { type: 'string', default: '5000' },

    days: { type: 'string', default: '8' },
    runs: { type: 'string', default: '5' },
    port: { type: 'string', default: '41610' },
    home: { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
});
const WORKLOADS = Number(values.workloads);
const DAYS = Number(values.days);
const RUNS = Number(values.runs);
const PORT = Number(values.port);
const root = resolve(import.meta.dirname, '..');
const home = values.home ?? join(tmpdir(), `bulkhead-bench-map-${WORKLOADS}-${DAYS}`);
const base = `http://127.0.0.1:${PORT}`;
const env = { ...process.env, BULKHEAD_HOME: home, BULKHEAD_HOST: '127.0.0.1', BULKHEAD_PORT: String(PORT), BULKHEAD_LOG_LEVEL: 'warn', NEXT_TELEMETRY_DISABLED: '1', BULKHEAD_FLOW_RETENTION_DAYS: '0' };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const window = DAYS >= 30 ? '30d' : DAYS >= 7 ? '7d' : '24h';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/bulkhead.mjs'), ...args], { encoding: 'utf8', env, timeout: 30 * 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(root, 'bin/bulkhead.mjs'), 'serve', '--no-collect'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const t0 = Date.now();
  while (Date.now() - t0 < 600_000) {
    if (child.exitCode !== null) throw new Error(`bulkhead serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return child;
    } catch {
      // not listening yet (it may be building the web app)
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGTERM');
  throw new Error('bulkhead serve did not answer in 10 minutes');
}

interface Run {
  level: string;
  dataMs: number;
  paintMs: number;
  apiMs: number;
  transferKB: number;
  jsonKB: number;
  nodes: number;
  edges: number;
}

async function measure(browser: Browser, state: string, level: 'application' | 'workload'): Promise<Run> {
  const context = await browser.newContext({ storageState: state, viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${base}/map?window=${window}${level === 'workload' ? '&level=workload' : ''}`);
  await page.waitForSelector('[data-painted="true"]', { timeout: 300_000 });
  // a string, not a function: tsx would wrap a function with helpers the page does not have
  const r = (await page.evaluate(`(() => {
    const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
    const api = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/map?'));
    const el = document.querySelector('[data-testid="map-canvas"]');
    return {
      dataMs: mark('bulkhead:map-data'),
      paintMs: mark('bulkhead:map-painted'),
      apiMs: api ? api.responseEnd - api.startTime : NaN,
      transferKB: api ? api.transferSize / 1024 : NaN,
      jsonKB: api ? api.decodedBodySize / 1024 : NaN,
      nodes: Number(el.dataset.nodes),
      edges: Number(el.dataset.edges),
    };
  })()`)) as Omit<Run, 'level'>;
  await context.close();
  return { level, ...r };
}

/** The second estate beside the first: other names, other addresses, the same outside world. */
function besides(e: Estate, prefix: string): Estate {
  const names = new Map(e.workloads.map((w) => [w.name, `${prefix}${w.name}`]));
  const addrs = new Map<string, string>();
  for (const w of e.workloads) for (const b of w.bindings) addrs.set(b.ip, b.ip.replace(/^10\./, '11.'));
  const name = (n: string) => names.get(n) ?? n;
  const addr = (a: string) => addrs.get(a) ?? a;
  return {
    ...e,
    workloads: e.workloads.map((w) => ({ ...w, name: name(w.name), bindings: w.bindings.map((b) => ({ ...b, ip: addr(b.ip) })) })),
    conversations: e.conversations.map((c) => ({ ...c, id: c.id + 10_000_000, client: name(c.client), server: name(c.server), clientAddr: addr(c.clientAddr), serverAddr: addr(c.serverAddr) })),
  };
}

/** Generate estates until there are at least WORKLOADS workloads; write inventory and flows. */
async function generate() {
  const config = loadConfig({ env: { ...env, BULKHEAD_LOG_LEVEL: 'warn' }, cwd: home });
  const rt = await openRuntime(config);
  try {
    const end = new Date();
    const estates: Estate[] = [];
    let total = 0;
    for (let seed = 1; total < WORKLOADS && seed <= 4; seed++) {
      const e = generateEstate({ seed, workloads: Math.ceil((WORKLOADS - total) * 1.3), days: DAYS, end });
      const placed = seed === 1 ? e : besides(e, `${String.fromCharCode(96 + seed)}-`);
      estates.push(placed);
      total += placed.workloads.length;
    }
    for (const n of estates[0]!.networks) await rt.db.prisma.namedNetwork.upsert({ where: { name: n.name }, create: { name: n.name, kind: n.kind, cidrs: n.cidrs.join(' ') }, update: {} });
    let flows = 0;
    for (const e of estates) {
      const applied = await applyInventory(
        rt.db.prisma,
        rt.store,
        e.workloads.map((w) => ({ name: w.name, kind: w.kind, addresses: w.bindings.map((b) => ({ ip: b.ip, from: new Date(b.from), to: b.to === null ? null : new Date(b.to) })), labels: w.labels })),
        { source: 'bench', at: new Date(e.end) },
      );
      if (applied.refused.length) throw new Error(`inventory refused: ${applied.refused.slice(0, 3).map((x) => `${x.name}: ${x.reason}`).join('; ')}`);
      flows += await writeEstateFlows(rt.store, e);
    }
    await syncNamedNetworks(rt.db.prisma, rt.store);
    return { workloads: total, flows, estates: estates.length };
  } finally {
    await rt.close();
  }
}

mkdirSync(join(root, 'bench/results'), { recursive: true });
if (values.fresh) rmSync(home, { recursive: true, force: true });
if (!existsSync(join(home, 'bulkhead.db'))) {
  mkdirSync(home, { recursive: true });
  const t0 = Date.now();
  console.log(`generating an estate of at least ${WORKLOADS} workloads over ${DAYS} days into ${home} ...`);
  const g = await generate();
  console.log(`${g.workloads} workloads (${g.estates} generated estates side by side), ${g.flows.toLocaleString('en-US')} flow records in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const server = await startServer();
let browser: Browser | null = null;
try {
  const email = `bench-${Date.now()}@bench.test`;
  const u = cli(['users', 'add', email, '--role', 'viewer', '--json']);
  if (u.code !== 0) throw new Error(`users add failed: ${u.err}`);
  const password = JSON.parse(u.out).password as string;

  const executablePath = process.env.PLAYWRIGHT_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const signIn = await browser.newContext();
  const page = await signIn.newPage();
  await page.goto(`${base}/signin`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
  const state = join(home, 'bench-state.json');
  await signIn.storageState({ path: state });

  // the window's analysis, once (the timed runs read the cached result, as every later visit does)
  const a0 = Date.now();
  for (;;) {
    const res = await page.request.get(`${base}/api/v1/map?window=${window}`);
    if (res.status() === 200) break;
    if (res.status() !== 202) throw new Error(`/api/v1/map answered ${res.status()}: ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const analysisMs = Date.now() - a0;
  await signIn.close();
  console.log(`analysis (cold) ${analysisMs} ms`);

  const runs: Run[] = [];
  // one untimed visit per level first: Next.js compiles nothing at run time, but the server's first response of a route warms its module
  await measure(browser, state, 'application');
  for (const level of ['application', 'workload'] as const) {
    for (let i = 1; i <= RUNS; i++) {
      const r = await measure(browser, state, level);
      runs.push(r);
      console.log(`${level} run ${i}: data at ${r.dataMs.toFixed(0)} ms (API ${r.apiMs.toFixed(0)} ms, ${r.transferKB.toFixed(0)} KB on the wire, ${r.jsonKB.toFixed(0)} KB JSON), map painted at ${r.paintMs.toFixed(0)} ms; ${r.nodes} nodes, ${r.edges} links`);
    }
  }
  const of = (level: string) => runs.filter((r) => r.level === level);
  const summary = {
    benchmark: 'map',
    date: new Date().toISOString(),
    node: process.version,
    load: loadavg().map((x) => Math.round(x * 10) / 10),
    workloads: WORKLOADS,
    days: DAYS,
    window,
    runs: RUNS,
    analysisColdMs: analysisMs,
    application: { medianPaintMs: Math.round(median(of('application').map((r) => r.paintMs))), medianDataMs: Math.round(median(of('application').map((r) => r.dataMs))), nodes: of('application')[0]!.nodes, edges: of('application')[0]!.edges },
    workload: { medianPaintMs: Math.round(median(of('workload').map((r) => r.paintMs))), medianDataMs: Math.round(median(of('workload').map((r) => r.dataMs))), nodes: of('workload')[0]!.nodes, edges: of('workload')[0]!.edges },
    transferKB: Math.round(runs[0]!.transferKB),
    jsonKB: Math.round(runs[0]!.jsonKB),
    results: runs,
  };
  const out = join(root, 'bench/results', `map-${summary.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, JSON.stringify(summary, null, 2));
  console.log(
    `\nfirst paint, median of ${RUNS}: application level ${summary.application.medianPaintMs} ms (${summary.application.nodes} nodes, ${summary.application.edges} links); ` +
      `every workload ${summary.workload.medianPaintMs} ms (${summary.workload.nodes} nodes, ${summary.workload.edges} links); load ${summary.load.join(' / ')}\n${out}`,
  );
} finally {
  await browser?.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
}
