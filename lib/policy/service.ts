// The policy operations the CLI and the JSON API share: propose from discovery, resolve a policy
// (approved, proposed, a stored baseline, a file) for simulation and export, blast radius under
// flat / proposed / approved. Thin shells call these; nothing here knows HTTP or terminals.
import { analyze } from '../analysis/analyze';
import { saveSuggestions } from '../analysis/suggestions';
import type { AnalysisResult, AnalysisStep, AnalysisWindow } from '../analysis/types';
import { DISCOVERY_DAYS, resolveWindow } from '../analysis/window';
import { analysisFor } from '../read/analysis';
import type { Runtime } from '../runtime';
import { scannerTraffic, type ScannerTraffic } from './scanner-traffic';
import type { Db } from '../db';
import { activeBaselineRules, baselineView, buildBaseline, overlayView, parseBaseline, type BaselineDoc } from '../export/baseline';
import type { Store } from '../store';
import { getBaseline } from './baselines';
import { enforcementStates } from './enforcement';
import { blastRadius, type BlastResult } from './blast';
import { loadPolicyView, type PolicyView, type ViewOptions } from './labels';
import { PolicyError, type Rule } from './model';
import { buildProposals, type ProposeOptions, type ProposalSet } from './propose';
import { policyRules, type PolicySource } from './rules';
import { simulatePolicy, type SimRule, type SimulateOptions, type SimulationResult } from './simulate';
import { expireRules, saveProposals, type SaveSummary, type Who } from './workflow';

export interface PolicyStores {
  store: Store;
  db: { prisma: Db };
}

export interface ProposeRun {
  window: { from: string; to: string };
  analysis: { workloads: number; applications: number; edges: number; scanners: string[]; notes: string[]; converged: boolean; ms: number };
  labels: { written: number; removed: number };
  proposals: ProposalSet;
  saved: SaveSummary | null;
}

export interface ProposeRunOptions extends ProposeOptions {
  from?: Date | string;
  to?: Date | string;
  days?: number;
  /** compute and return the proposals without saving them (nor the inferred labels) */
  dryRun?: boolean;
  onStep?: (step: AnalysisStep | 'labels' | 'proposals' | 'save', done: number, total: number) => void;
}

/** Discovery over the window, inferred labels saved as suggestions, proposals built and saved. */
export async function proposeFromDiscovery(rt: PolicyStores, opts: ProposeRunOptions, who: Who): Promise<ProposeRun> {
  const db = rt.db.prisma;
  const t0 = performance.now();
  const result: AnalysisResult = await analyze(rt, { from: opts.from, to: opts.to, days: opts.days, onStep: (s, d, t) => opts.onStep?.(s, d, t + 3) });
  const ms = Math.round(performance.now() - t0);
  let labels = { written: 0, removed: 0 };
  if (!opts.dryRun) {
    // discovery's suggestions (unconfirmed labels) are what the rules' label selectors select
    const saved = await saveSuggestions(db, result);
    labels = { written: saved.labelsWritten, removed: saved.labelsRemoved };
  }
  opts.onStep?.('labels', 8, 10);
  // The label view as the database holds it now: rules select exactly what simulation, blast
  // radius and exports will resolve their labels to.
  const view = opts.dryRun ? (await import('./labels')).policyViewFromAnalysis(result) : await loadPolicyView(db, { window: result.window });
  const proposals = buildProposals(result, view, opts);
  opts.onStep?.('proposals', 9, 10);
  const saved = opts.dryRun ? null : await saveProposals(db, proposals, who);
  opts.onStep?.('save', 10, 10);
  return {
    window: { from: result.window.from.toISOString(), to: result.window.to.toISOString() },
    analysis: {
      workloads: result.workloads.length,
      applications: result.applications.length,
      edges: result.edges.length,
      scanners: result.coverage.excluded.scanners.map((s) => s.name),
      notes: result.coverage.notes,
      converged: result.coverage.converged,
      ms,
    },
    labels,
    proposals,
    saved,
  };
}

/** A policy to evaluate: its rules and the label view they resolve against. */
export interface ResolvedPolicy {
  name: string;
  rules: Array<SimRule & { intent: string; owner: string | null; expires: Date | null; status: string }>;
  view: PolicyView;
  /** set when the policy comes from a document (file or stored baseline) */
  doc?: BaselineDoc;
}

export type PolicyRef = { kind: 'rules'; which: PolicySource } | { kind: 'baseline'; ref: string } | { kind: 'file'; text: string; name: string };

export async function resolvePolicy(rt: PolicyStores, ref: PolicyRef, opts: { now?: Date; includeProposed?: boolean; view?: ViewOptions } = {}): Promise<ResolvedPolicy> {
  const db = rt.db.prisma;
  const now = opts.now ?? new Date();
  const dbView = await loadPolicyView(db, opts.view ?? { at: now });
  if (ref.kind === 'rules') {
    await expireRules(db, now);
    const rules = await policyRules(db, ref.which, now);
    return { name: ref.which, rules, view: dbView };
  }
  const doc = ref.kind === 'file' ? parseBaseline(ref.text, ref.name) : (await getBaseline(db, ref.ref)).doc;
  const rules = activeBaselineRules(doc, { includeProposed: opts.includeProposed ?? true, now });
  return { name: ref.kind === 'file' ? ref.name : `${doc.metadata.name} v${doc.metadata.version ?? '?'}`, rules, view: overlayView(doc, dbView), doc };
}

/**
 * A policy against the observed traffic of a window, as the page, the API and `bulkhead simulate`
 * show it: as exported (enforcement states), scanners' probes set apart by discovery's verdict over
 * the same window (the analysis the map shows, shared; computed when it is not there yet).
 */
export async function simulate(rt: Runtime, ref: PolicyRef, opts: SimulateOptions = {}): Promise<SimulationResult> {
  // every workload: traffic of the window is resolved to whoever held the address then, including
  // workloads gone since (labels decide, addresses do not)
  const p = await resolvePolicy(rt, ref, { view: { all: true } });
  // as exported by default: a simulation that blocks what the export would leave open answers
  // another question than "what breaks if I load this" (docs/policy.md, "Simulation and enforcement").
  // A document brings its own states, as its export would use them; the rules, today's.
  const enforcement = opts.enforcement ?? 'as-set';
  const states = enforcement === 'all' ? undefined : (opts.states ?? (p.doc ? (p.doc.enforcement ?? []) : await enforcementStates(rt.db.prisma)));
  const scanners = opts.scanners ?? (await scannersOver(rt, resolveWindow({ from: opts.from, to: opts.to, days: opts.days ?? DISCOVERY_DAYS })));
  return simulatePolicy(rt.store, rt.db.prisma, p.rules, p.view, { ...opts, enforcement, states, scanners, policyName: opts.policyName ?? p.name });
}

/** What discovery set apart as scanning over a window (the shared analysis of the pages). */
export async function scannersOver(rt: Runtime, window: AnalysisWindow): Promise<ScannerTraffic> {
  const a = await analysisFor(rt, window, { waitMs: 30 * 60_000 });
  if (!a.ready) throw new Error('the discovery analysis did not finish');
  return scannerTraffic(a.result);
}

export interface BlastReport {
  workloads: number;
  flat: { oneHop: number; multiHop: number };
  proposed: BlastResult;
  approved: BlastResult;
  /** the approved policy as the exports apply it today: only enforced applications drop (docs/policy.md) */
  enforced: BlastResult & { applicationsEnforced: number };
}

/**
 * Blast radius under the flat network, the proposed policy (approved + open proposals), the
 * approved policy as if every application enforced it, and as the enforcement states apply it.
 */
export async function blastReport(rt: PolicyStores, opts: { workload?: string; now?: Date } = {}): Promise<BlastReport> {
  const db = rt.db.prisma;
  const now = opts.now ?? new Date();
  await expireRules(db, now);
  const view = await loadPolicyView(db, { at: now });
  if (opts.workload && !view.byId.has(opts.workload) && !view.byName.has(opts.workload)) {
    throw new PolicyError(`no workload ${opts.workload} with an address now (names as \`bulkhead analyze\` lists them)`);
  }
  const proposed = blastRadius(await policyRules(db, 'proposed', now), view, { policy: 'proposed', workload: opts.workload });
  const approvedRules = await policyRules(db, 'approved', now);
  const approved = blastRadius(approvedRules, view, { policy: 'approved', workload: opts.workload });
  const states = await enforcementStates(db);
  const enforced = blastRadius(approvedRules, view, { policy: 'approved, as enforced', workload: opts.workload, states });
  return { workloads: view.workloads.length, flat: proposed.flat, proposed, approved, enforced: { ...enforced, applicationsEnforced: states.filter((x) => x.state === 'enforced').length } };
}

/** The baseline document to export: current rules (approved, proposed, or both) or a stored baseline. */
/**
 * The document every export format is made from: the rules in force now, and the workloads their
 * labels resolve to with the addresses held at `at` (default now; an earlier time exports the
 * policy as it would have applied then, for a replay or a hold-out measurement).
 */
export async function exportDocument(rt: PolicyStores, opts: { status?: 'approved' | 'proposed' | 'all'; baseline?: string; name?: string; now?: Date; at?: Date }): Promise<BaselineDoc> {
  const db = rt.db.prisma;
  if (opts.baseline) return (await getBaseline(db, opts.baseline)).doc;
  const now = opts.now ?? new Date();
  await expireRules(db, now);
  const status = opts.status ?? 'approved';
  let rules: Rule[] = await policyRules(db, status === 'approved' ? 'approved' : 'proposed', now);
  if (status === 'proposed') rules = rules.filter((r) => r.status === 'proposed');
  const view = await loadPolicyView(db, { at: opts.at ?? now });
  let from = Number.POSITIVE_INFINITY;
  let to = 0;
  for (const r of rules) {
    const w = r.evidence?.window;
    if (!w) continue;
    from = Math.min(from, Date.parse(w.from));
    to = Math.max(to, Date.parse(w.to));
  }
  const window = Number.isFinite(from) && to ? { from: new Date(from), to: new Date(to) } : null;
  return buildBaseline({ name: opts.name ?? `bulkhead-${status}`, rules, view, window, policy: status, enforcement: await enforcementStates(db) });
}

export { baselineView };
