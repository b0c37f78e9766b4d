// Benchmark: the policy steps at estate scale. One generated estate (default 2,000 workloads,
// 35 days), then: propose (discovery + proposals + save), approve all, simulate the approved and
// the proposed policy over the last 7 and the last 30 days (each --runs times, median), blast
// radius under both policies, every exporter, nft -c of every host. Writes
// bench/results/policy-scale-<time>.json.
//
//   npm run bench -- policy-scale                      (2,000 workloads, 35 days, 3 runs)
//   npm run bench -- policy-scale --workloads 1000 --flow-scale 4
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { loadDemo } from '../lib/demo/load';
import { exportPolicy, EXPORT_FORMATS } from '../lib/export';
import { checkNftables } from '../lib/export/nft-check';
import { blastRadius } from '../lib/policy/blast';
import { loadPolicyView } from '../lib/policy/labels';
import { policyRules } from '../lib/policy/rules';
import { exportDocument, proposeFromDiscovery } from '../lib/policy/service';
import { simulatePolicy } from '../lib/policy/simulate';
import { approveRules } from '../lib/policy/workflow';
import { openRuntime } from '../lib/runtime';

const { values } = parseArgs({
  options: {
    workloads: { type: 'string', default: '2000' },
    days: { type: 'string', default: '35' },
    'flow-scale': { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
  },
});
const RUNS = Number(values.runs);
const DAY = 86_400_000;
const END = new Date('2026-03-30T00:00:00Z');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const who = { actor: { type: 'system' as const, name: 'policy-scale benchmark' }, via: 'system' as const };

const home = mkdtempSync(join(tmpdir(), 'bulkhead-bench-policy-scale-'));
const config = loadConfig({ env: { BULKHEAD_LOG_LEVEL: 'silent' }, cwd: home, overrides: { home, retention: { flowsDays: 0, rollupDays: 0 } } });
const rt = await openRuntime(config);
const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await fn();
  return [r, Math.round(performance.now() - t0)];
};
try {
  console.log(`policy at scale: ~${values.workloads} workloads, ${values.days} days, flow scale ${values['flow-scale']}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const [demo, loadMs] = await timed(() =>
    loadDemo({ db: rt.db.prisma, store: rt.store }, { seed: Number(values.seed), workloads: Number(values.workloads), days: Number(values.days), end: END, flowScale: Number(values['flow-scale']) }),
  );
  const [[rollup]] = await timed(() => rt.store.rows<{ n: number }>(`SELECT count() AS n FROM ${rt.store.t('conversations_hourly')}`));
  console.log(`estate: ${demo.workloads} workloads, ${demo.flows.toLocaleString('en-US')} flow records, ${rollup!.n.toLocaleString('en-US')} rollup rows (${(loadMs / 1000).toFixed(0)} s to generate)`);

  const [run, proposeMs] = await timed(() => proposeFromDiscovery(rt, { from: new Date(END.getTime() - 30 * DAY), to: END }, who));
  const ids = (await rt.db.prisma.rule.findMany({ where: { status: 'proposed' }, select: { id: true } })).map((r) => r.id);
  console.log(`propose (30-day discovery + proposals + save): ${proposeMs} ms (discovery ${run.analysis.ms} ms); ${run.proposals.rules.length} rules`);
  const [, approveMs] = await timed(() => approveRules(rt.db.prisma, ids, who));
  console.log(`approve ${ids.length} rules in one transaction: ${approveMs} ms`);

  const now = new Date(END.getTime() - 1);
  const approved = await policyRules(rt.db.prisma, 'approved', now);
  const view = await loadPolicyView(rt.db.prisma, { all: true });
  const sims: Record<string, { ms: number[]; flows: number; conversations: number; allowed: number }> = {};
  for (const days of [7, 30]) {
    const key = `${days} days`;
    sims[key] = { ms: [], flows: 0, conversations: 0, allowed: 0 };
    for (let i = 0; i < RUNS; i++) {
      const [r, ms] = await timed(() => simulatePolicy(rt.store, rt.db.prisma, approved, view, { from: new Date(END.getTime() - days * DAY), to: END }));
      sims[key].ms.push(ms);
      sims[key].flows = r.totals.flows;
      sims[key].allowed = r.totals.allowedFlows;
      sims[key].conversations = r.coverage.connections;
    }
    console.log(`simulate ${approved.length} rules over ${key}: median ${median(sims[key].ms)} ms of ${sims[key].ms.join(', ')} (${sims[key].flows.toLocaleString('en-US')} flows, ${sims[key].conversations.toLocaleString('en-US')} connections)`);
  }
  const nowView = await loadPolicyView(rt.db.prisma, { at: now });
  const blastMs: number[] = [];
  let blast: ReturnType<typeof blastRadius> | null = null;
  for (let i = 0; i < RUNS; i++) {
    const [b, ms] = await timed(() => blastRadius(approved, nowView));
    blast = b;
    blastMs.push(ms);
  }
  console.log(`blast radius over ${nowView.workloads.length} workloads (one hop and transitive closure): median ${median(blastMs)} ms; one hop -${(blast!.reduction.oneHop * 100).toFixed(1)}%, any hops -${(blast!.reduction.multiHop * 100).toFixed(1)}%`);

  const doc = await exportDocument(rt, { status: 'approved', now });
  const exportsMs: Record<string, number> = {};
  let nftFiles: Array<{ name: string; content: string }> = [];
  for (const f of EXPORT_FORMATS) {
    const [r, ms] = await timed(() => exportPolicy(doc, f, { now }));
    exportsMs[f] = ms;
    if (f === 'nftables') nftFiles = r.files;
  }
  const [checks, nftMs] = await timed(() => checkNftables(nftFiles));
  console.log(`exports: ${Object.entries(exportsMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}; nft -c ${checks.filter((c) => c.ok).length}/${checks.length} hosts valid in ${nftMs} ms`);

  const summary = {
    benchmark: 'policy-scale',
    date: new Date().toISOString(),
    node: process.version,
    load: loadavg(),
    estate: { workloads: demo.workloads, flowRecords: demo.flows, rollupRows: rollup!.n, days: Number(values.days), generateMs: loadMs },
    rules: approved.length,
    proposeMs,
    discoveryMs: run.analysis.ms,
    approveMs,
    simulate: Object.fromEntries(Object.entries(sims).map(([k, v]) => [k, { medianMs: median(v.ms), runs: v.ms, flows: v.flows, connections: v.conversations }])),
    blast: { medianMs: median(blastMs), workloads: nowView.workloads.length, oneHopReduction: blast!.reduction.oneHop, multiHopReduction: blast!.reduction.multiHop },
    exportsMs,
    nft: { hosts: checks.length, valid: checks.filter((c) => c.ok).length, ms: nftMs },
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  const out = join(import.meta.dirname, 'results', `policy-scale-${summary.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  await rt.close();
  rmSync(home, { recursive: true, force: true });
}
