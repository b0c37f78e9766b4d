// Measuring the policy on a generated estate with a held-out final week: propose on the first
// weeks, approve everything as proposed, simulate on the last week, and judge every decided
// conversation against the estate's ground truth (what each (client address, server address,
// protocol, port) really was: an application dependency, a core service, management, outside
// traffic, a scan, or orientation noise). Used by bench/policy.ts and the policy tests.
import type { Estate } from '../demo/estate';
import type { Db } from '../db';
import type { Store } from '../store';
import { blastRadius, type BlastResult } from './blast';
import { loadPolicyView } from './labels';
import type { ProposeOptions } from './propose';
import { policyRules } from './rules';
import { proposeFromDiscovery, type ProposeRun } from './service';
import { simulatePolicy } from './simulate';
import { approveRules, type Who } from './workflow';

const LEGITIMATE = new Set(['app', 'cross-app', 'core', 'management', 'external']);

export interface HoldoutOptions extends ProposeOptions {
  train: { from: Date; to: Date };
  test: { from: Date; to: Date };
}

export interface HoldoutResult {
  train: { from: string; to: string };
  test: { from: string; to: string };
  rules: number;
  proposalKinds: Record<string, number>;
  flows: {
    total: number;
    /** flows of legitimate conversations whose client is not a scanner */
    legitimate: number;
    legitimateAllowed: number;
    /** share of legitimate held-out flows the approved-as-proposed policy allows */
    legitimateAllowedRatio: number;
    /** every flow a scanner sent: its probes and its own lookups (scanners get no rules at all) */
    scanner: number;
    scannerAllowed: number;
    /** of those, the probes (ground truth kind "scan") */
    scannerProbes: number;
    /** and the scanner's own DNS/NTP and the like; counted as legitimate instead, the ratio would be this */
    scannerOwn: number;
    legitimateAllowedRatioCountingScannersOwn: number;
    noise: number;
    noiseAllowed: number;
    /** decided rows the ground truth does not know (must be 0) */
    unknown: number;
  };
  /** legitimate flows blocked, by kind of conversation, with the largest examples */
  blockedLegitimate: { byKind: Record<string, number>; top: Array<{ kind: string; client: string; server: string; protocol: number; port: number; flows: number }> };
  blast: { workloads: number; flatOneHop: number; oneHopMean: number; oneHopReduction: number; multiHopMean: number; multiHopReduction: number };
  timings: { proposeMs: number; approveMs: number; simulateMs: number; blastMs: number };
  propose: Pick<ProposeRun, 'analysis' | 'saved'>;
}

const key = (c: string, s: string, p: number, port: number) => `${c}|${s}|${p}|${p === 1 || p === 58 ? 0 : port}`;

/** What every conversation of the estate is, keyed as simulation detail rows are. */
export function truthIndex(estate: Estate): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of estate.conversations) {
    const ports = c.ports?.length ? c.ports : [c.port];
    for (const p of ports) {
      const k = key(c.clientAddr, c.serverAddr, c.protocol, p);
      const prior = m.get(k);
      // a legitimate conversation wins over a scan of the same port (a scanner's real DNS lookups)
      if (!prior || (LEGITIMATE.has(c.kind) && !LEGITIMATE.has(prior))) m.set(k, c.kind);
    }
  }
  return m;
}

/** The addresses scanners send from: outside scanning addresses and the scanner workloads' addresses. */
export function scannerAddresses(estate: Estate): Set<string> {
  const names = new Set(estate.scanners);
  const out = new Set<string>();
  for (const w of estate.workloads) if (names.has(w.name)) for (const b of w.bindings) out.add(b.ip);
  for (const s of estate.scanners) if (/^[0-9a-f.:]+$/i.test(s) && !estate.workloads.some((w) => w.name === s)) out.add(s);
  return out;
}

export async function evaluateHoldout(rt: { store: Store; db: { prisma: Db } }, estate: Estate, opts: HoldoutOptions, who: Who = { actor: { type: 'system', name: 'holdout evaluation' }, via: 'system' }): Promise<HoldoutResult> {
  const db = rt.db.prisma;
  const t0 = performance.now();
  const run = await proposeFromDiscovery(rt, { ...opts, from: opts.train.from, to: opts.train.to }, who);
  const t1 = performance.now();
  const proposed = await db.rule.findMany({ where: { status: 'proposed' }, select: { id: true } });
  await approveRules(db, proposed.map((r) => r.id), who, { comment: 'approved as proposed (hold-out evaluation)' });
  const t2 = performance.now();
  const rules = await policyRules(db, 'approved', opts.test.to);
  const view = await loadPolicyView(db, { window: opts.test });
  const sim = await simulatePolicy(rt.store, db, rules, view, { from: opts.test.from, to: opts.test.to, detail: true, policyName: 'approved as proposed' });
  const t3 = performance.now();
  const truth = truthIndex(estate);
  const scannerAddrs = scannerAddresses(estate);
  const f = { total: 0, legitimate: 0, legitimateAllowed: 0, legitimateAllowedRatio: 1, scanner: 0, scannerAllowed: 0, scannerProbes: 0, scannerOwn: 0, legitimateAllowedRatioCountingScannersOwn: 1, noise: 0, noiseAllowed: 0, unknown: 0 };
  const byKind: Record<string, number> = {};
  const blocked: HoldoutResult['blockedLegitimate']['top'] = [];
  for (const d of sim.detail ?? []) {
    const kind = truth.get(key(d.client, d.server, d.protocol, d.port));
    f.total += d.flows;
    if (!kind) f.unknown += d.flows;
    else if (kind === 'scan' || scannerAddrs.has(d.client)) {
      f.scanner += d.flows;
      f.scannerAllowed += d.allowedFlows;
      if (kind === 'scan') f.scannerProbes += d.flows;
      else if (kind !== 'noise') f.scannerOwn += d.flows;
    } else if (kind === 'noise') {
      f.noise += d.flows;
      f.noiseAllowed += d.allowedFlows;
    } else {
      f.legitimate += d.flows;
      f.legitimateAllowed += d.allowedFlows;
      const lost = d.flows - d.allowedFlows;
      if (lost > 0) {
        byKind[kind] = (byKind[kind] ?? 0) + lost;
        blocked.push({ kind, client: nameOf(d.clientWorkload) ?? d.client, server: nameOf(d.serverWorkload) ?? d.server, protocol: d.protocol, port: d.port, flows: lost });
      }
    }
  }
  f.legitimateAllowedRatio = f.legitimate ? f.legitimateAllowed / f.legitimate : 1;
  f.legitimateAllowedRatioCountingScannersOwn = f.legitimate + f.scannerOwn ? f.legitimateAllowed / (f.legitimate + f.scannerOwn) : 1;
  const nowView = await loadPolicyView(db, { at: new Date(opts.test.to.getTime() - 1) });
  const blast: BlastResult = blastRadius(rules, nowView, { policy: 'approved' });
  const t4 = performance.now();
  const kinds: Record<string, number> = {};
  for (const r of run.proposals.rules) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  return {
    train: { from: opts.train.from.toISOString(), to: opts.train.to.toISOString() },
    test: { from: opts.test.from.toISOString(), to: opts.test.to.toISOString() },
    rules: rules.length,
    proposalKinds: kinds,
    flows: f,
    blockedLegitimate: { byKind, top: blocked.sort((a, b) => b.flows - a.flows).slice(0, 15) },
    blast: {
      workloads: blast.workloads,
      flatOneHop: blast.flat.oneHop,
      oneHopMean: blast.oneHop.mean,
      oneHopReduction: blast.reduction.oneHop,
      multiHopMean: blast.multiHop.mean,
      multiHopReduction: blast.reduction.multiHop,
    },
    timings: { proposeMs: Math.round(t1 - t0), approveMs: Math.round(t2 - t1), simulateMs: Math.round(t3 - t2), blastMs: Math.round(t4 - t3) },
    propose: { analysis: run.analysis, saved: run.saved },
  };

  function nameOf(id: string | null) {
    return id ? (view.byId.get(id)?.name ?? null) : null;
  }
}
