// `bulkhead demo [--workloads N] [--days N] [--seed N] [--replace] [--evaluate] [--json]`
// Loads a generated estate (lib/demo) with its ground truth, and measures the analysis against it.
import { demoAccuracy, type Accuracy } from '../../lib/demo/accuracy';
import { demoRecord, loadDemo, type DemoStage } from '../../lib/demo/load';
import { UserError, type CommandContext } from '../context';
import type { Progress } from '../io';

export interface DemoCliOptions {
  workloads?: string;
  days?: string;
  seed?: string;
  replace?: boolean;
  evaluate?: boolean;
  json?: boolean;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const DAY = 86_400_000;

function int(text: string | undefined, name: string, lo: number, hi: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new UserError(`--${name}: "${text}" is not a whole number from ${lo} to ${hi}`);
  return n;
}

export async function run(ctx: CommandContext, opts: DemoCliOptions) {
  await ctx.authorize('inventory:write');
  const workloads = int(opts.workloads, 'workloads', 40, 20_000);
  const days = int(opts.days, 'days', 2, 120);
  const seed = int(opts.seed, 'seed', 0, 2 ** 31 - 1);
  const rt = await ctx.runtime();
  const existing = await demoRecord(rt.db.prisma);
  const load = !existing || opts.replace || !opts.evaluate;
  let loaded: Awaited<ReturnType<typeof loadDemo>> | null = null;
  if (load) {
    let bar: Progress | null = null;
    let stage: DemoStage | null = null;
    try {
      loaded = await loadDemo(
        { db: rt.db.prisma, store: rt.store },
        {
          workloads,
          days,
          seed,
          replace: opts.replace,
          onProgress: (s, done, total) => {
            if (s !== stage) {
              bar?.stop();
              stage = s;
              bar = ctx.io.progress(s === 'inventory' ? 'Inventory' : 'Flows (hours)', total);
            }
            bar!.update(done, total);
          },
        },
      );
    } finally {
      (bar as Progress | null)?.stop();
    }
    await ctx.audit({
      action: 'inventory.demo',
      target: { type: 'inventory', id: 'demo' },
      summary: `loaded the demo estate: ${loaded.workloads} workloads, ${loaded.flows} flow records over ${loaded.start} .. ${loaded.end}`,
      after: { options: loaded.options, workloads: loaded.workloads, flows: loaded.flows },
    });
  }
  let ev: Accuracy | null = null;
  if (opts.evaluate) {
    const bar = ctx.io.progress('Evaluating (3 analyses)', 3);
    try {
      ev = await demoAccuracy(rt, { onRun: (i) => bar.update(i) });
    } finally {
      bar.stop();
    }
  }
  if (opts.json) {
    ctx.io.out(JSON.stringify({ loaded: loaded ? { ...loaded, estate: undefined } : null, evaluation: ev }, null, 2));
    return 0;
  }
  const out: string[] = [];
  if (loaded) {
    const e = loaded.estate;
    const apps = new Set(e.workloads.map((w) => `${w.app}@${w.env}`)).size;
    out.push(
      `Loaded the demo estate in ${(loaded.timings.totalMs / 1000).toFixed(1)} s (inventory ${(loaded.timings.inventoryMs / 1000).toFixed(1)} s, flows ${(loaded.timings.flowsMs / 1000).toFixed(1)} s):`,
      `  ${fmt(loaded.workloads)} workloads in ${apps} applications across prod, staging, dev and shared services (seed ${e.seed})`,
      `  ${fmt(loaded.flows)} flow records from ${loaded.start.slice(0, 16)}Z to ${loaded.end.slice(0, 16)}Z (${Math.round((e.end - e.start) / DAY)} days)`,
      `  with core services (DNS, NTP, directory, logging, monitoring, backup, patching), jump hosts, ${e.scanners.length} scanners,`,
      `  ${e.reused.length} addresses handed to another workload, internet and corporate users, partner and outside services.`,
      '  Inventory labels exist for some applications only; hostnames follow a convention for some.',
    );
  } else if (existing) {
    out.push(`Using the demo estate loaded ${existing.loadedAt} (${fmt(existing.workloads)} workloads, ${fmt(existing.flows)} flow records).`);
  }
  if (ev) {
    out.push('', `Accuracy over ${ev.window.from.slice(0, 10)} .. ${ev.window.to.slice(0, 10)} against the ground truth:`);
    out.push(`  ${'evidence'.padEnd(22)} ${'AMI'.padStart(6)} ${'ARI'.padStart(6)} ${'apps'.padStart(9)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'roles'.padStart(6)} scanner edges  reused-IP false edges`);
    for (const r of ev.runs) {
      const x = r.evaluation;
      const what = r.useLabels ? 'labels + names' : r.useNames ? 'names, no labels' : 'structure only';
      out.push(
        `  ${what.padEnd(22)} ${x.applications.ami.toFixed(3).padStart(6)} ${x.applications.ari.toFixed(3).padStart(6)} ${`${x.applications.found}/${x.applications.truth}`.padStart(9)} ${x.edges.precision.toFixed(4).padStart(9)} ${x.edges.recall.toFixed(4).padStart(7)} ${x.roles.accuracy.toFixed(2).padStart(6)} ${String(x.scannerEdges).padStart(13)}  ${String(x.reusedFalseEdges).padStart(21)}`,
      );
    }
    const first = ev.runs[0]!.evaluation;
    out.push(`  dependencies: ${fmt(first.edges.truth)} in the truth, ${fmt(first.edges.found)} found; periodicity right for ${(first.periodicity.accuracy * 100).toFixed(1)}% of ${fmt(first.periodicity.scored)} scored; core services ${first.coreServices.correct}/${first.coreServices.truth}; scanners flagged ${first.scannersFlagged.flagged}/${first.scannersFlagged.truth}`);
  }
  out.push('', 'Next:', '  bulkhead analyze            the dependency graph of the last 30 days (--json for all of it)', '  open the web app (bulkhead serve) and look at the map and the suggested applications');
  if (!ev) out.push('  bulkhead demo --evaluate    measure the analysis against the demo\'s ground truth');
  ctx.io.out(out.join('\n'));
  return 0;
}
