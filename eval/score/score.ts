// Scoring one estate: what `bulkhead analyze --json` found and what the approved proposals
// (exported as a baseline) allow, against the estate's ground truth. The metrics and targets are
// the ones docs/discovery.md lists under "Measured on estates it was not written for":
//
//   applications   adjusted mutual information (and ARI) of the found applications against the
//                  true app@env, over every workload the analysis lists
//   dependencies   precision and recall on (client, server, protocol, port); false edges that
//                  touch a workload on either side of an address handover
//   scanners       held-out scan and sweep flows the policy allows, beyond those the minimal
//                  policy allows too (a new internet address on a public 443 is a client on the
//                  wire); what scanning machines send besides probes is reported apart: allowing
//                  a scanner is a person's decision
//   legitimate     held-out legitimate flows allowed, of those whose (client group, server
//                  group, port) appeared in training between workloads that existed then (what
//                  training could teach)
//   blast radius   one-hop reach (workloads) cut against a flat network, for the policy and for
//                  the minimal label policy built from the truth
//   rules          the policy's rule count against the minimal policy's
import { adjustedMutualInfo, adjustedRandIndex } from '../../lib/analysis/metrics';
import type { Group, TruthDependency, TruthFlowCount, TruthRule } from '../zoo/model';
import { BaselinePolicy, Bits, type BaselineDocument } from './baseline';

/** What a scorer needs to know about an estate, whichever generator made it. */
export interface ScoringTruth {
  /** every workload of the estate with its true application (app@env) and policy group */
  workloads: Array<{ name: string; application: string; group: Group }>;
  /** legitimate dependencies of the training window, keyed as the analysis keys endpoints */
  dependencies: TruthDependency[];
  /** the minimal label policy of the training window */
  policy: TruthRule[];
  /** per address pair: flows of the training and of the held-out window */
  train: TruthFlowCount[];
  test: TruthFlowCount[];
  /** workloads on either side of an address handover */
  reusedWorkloads: ReadonlySet<string>;
  /** workloads holding an address when the held-out window starts (when the policy is exported): the blast radius population */
  present: ReadonlySet<string>;
  /** workloads that held an address during training: only they can have been taught */
  trained: ReadonlySet<string>;
  /**
   * addresses of the scanning machines (scanner workloads, outside scanners): what they send
   * besides probes (their own DNS, logging) is counted apart, neither scanner probes nor
   * legitimate traffic, because allowing a scanner is a person's decision
   */
  scannerSources: ReadonlySet<string>;
  /**
   * application workloads the training window shows talking to no application (a batch worker
   * whose only job falls outside it): nothing in the flows can place them, so the AMI without
   * them is reported beside the AMI (a diagnostic; the target is on the AMI over everything)
   */
  silent?: ReadonlySet<string>;
}

/** The parts of `bulkhead analyze --json` the scorer reads. */
export interface AnalysisJsonView {
  workloads: Array<{ id: string; name: string; application: string | null }>;
  edges: Array<{ from: string; to: string; protocol: number | string; port: number }>;
  coverage: { excluded: { scanners: Array<{ id: string; name: string }> } };
}

export const TARGETS = {
  ami: 0.95,
  precision: 0.98,
  recall: 0.995,
  reusedFalseEdges: 0,
  scannerFlowsAllowed: 0,
  legitimateAllowed: 0.999,
  /** the blast-radius cut may trail the minimal policy's by at most this much */
  blastGap: 0.02,
  /** and must reach this wherever the minimal policy does */
  blastFloor: 0.9,
  ruleRatio: 1.2,
  /** rules naming an application no workload of the baseline carries: names that drifted between analyses */
  rulesNamingNoApplication: 0,
} as const;

export interface Score {
  applications: { ami: number; ari: number; found: number; truth: number; workloads: number; silent: number; amiHeard: number };
  dependencies: { precision: number; recall: number; found: number; truth: number; reusedFalseEdges: number; falsePositives: string[]; falseNegatives: string[] };
  /**
   * allowed: probes the policy lets through that the minimal policy would block too. A probe the
   * minimal policy allows (a new internet address on a public web tier's 443) is no different
   * from a legitimate client on the wire; those are counted in `indistinguishable`
   */
  scanners: { flows: number; allowed: number; indistinguishable: number; found: string[]; ownFlows: number; ownAllowed: number };
  legitimate: { teachable: number; teachableAllowed: number; ratio: number; all: number; allAllowed: number; blocked: Array<{ kind: string; client: string; server: string; port: string; flows: number }> };
  blast: { workloads: number; policyCut: number; truthCut: number; gap: number };
  /** namingNoApplication: rules a side of which names an application (app label) no workload of the baseline carries */
  rules: { policy: number; truth: number; ratio: number; namingNoApplication: number };
  /** which targets were missed, in words; empty when all are met */
  misses: string[];
}

const PROTOCOLS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };
const protoNumber = (p: number | string) => (typeof p === 'number' ? p : (PROTOCOLS[p] ?? Number(p)));
const depKey = (from: string, to: string, protocol: number, port: number) => `${from}|${to}|${protocol}|${protocol === 1 || protocol === 58 ? 0 : port}`;
const portText = (protocol: number, port: number) => (protocol === 1 || protocol === 58 ? 'icmp' : `${protocol === 6 ? 'tcp' : protocol === 17 ? 'udp' : protocol}/${port}`);

/**
 * Applications the analysis named whose members are all absent from the baseline (no address at
 * its time): rules over them are stale, not drifted names.
 */
function retiredApplications(analysis: AnalysisJsonView, baseline: BaselineDocument): (app: string) => boolean {
  const present = new Set(baseline.workloads.map((w) => w.name));
  const members = new Map<string, string[]>();
  for (const w of analysis.workloads) {
    if (!w.application) continue;
    const name = w.application.split('@')[0]!;
    members.set(name, [...(members.get(name) ?? []), w.name]);
  }
  return (app) => {
    const m = members.get(app);
    return m !== undefined && m.every((n) => !present.has(n));
  };
}

export function score(truth: ScoringTruth, analysis: AnalysisJsonView, baseline: BaselineDocument): Score {
  const applications = scoreApplications(truth, analysis);
  const dependencies = scoreDependencies(truth, analysis);
  const policy = new BaselinePolicy(baseline);
  const { scanners, legitimate } = scoreFlows(truth, policy, analysis);
  const blast = scoreBlast(truth, policy, baseline);
  const rules = { policy: policy.rules.length, truth: truth.policy.length, ratio: truth.policy.length ? policy.rules.length / truth.policy.length : 0, namingNoApplication: policy.namingNoApplication(retiredApplications(analysis, baseline)) };
  const misses: string[] = [];
  const miss = (ok: boolean, text: string) => ok || misses.push(text);
  miss(applications.ami >= TARGETS.ami, `AMI ${applications.ami.toFixed(4)} < ${TARGETS.ami}`);
  miss(dependencies.precision >= TARGETS.precision, `precision ${dependencies.precision.toFixed(4)} < ${TARGETS.precision}`);
  miss(dependencies.recall >= TARGETS.recall, `recall ${dependencies.recall.toFixed(4)} < ${TARGETS.recall}`);
  miss(dependencies.reusedFalseEdges <= TARGETS.reusedFalseEdges, `${dependencies.reusedFalseEdges} false edges from reused addresses`);
  miss(scanners.allowed <= TARGETS.scannerFlowsAllowed, `${scanners.allowed} scanner flows allowed`);
  miss(legitimate.ratio >= TARGETS.legitimateAllowed, `legitimate allowed ${(legitimate.ratio * 100).toFixed(3)}% < ${TARGETS.legitimateAllowed * 100}%`);
  miss(blast.gap <= TARGETS.blastGap, `blast-radius cut ${(blast.policyCut * 100).toFixed(1)}% trails the minimal policy's ${(blast.truthCut * 100).toFixed(1)}% by more than ${TARGETS.blastGap * 100} points`);
  miss(blast.truthCut < TARGETS.blastFloor || blast.policyCut >= TARGETS.blastFloor, `blast-radius cut ${(blast.policyCut * 100).toFixed(1)}% < ${TARGETS.blastFloor * 100}% where the minimal policy reaches ${(blast.truthCut * 100).toFixed(1)}%`);
  miss(rules.ratio <= TARGETS.ruleRatio, `${rules.policy} rules, ${rules.ratio.toFixed(2)}x the minimal policy's ${rules.truth}`);
  miss(rules.namingNoApplication <= TARGETS.rulesNamingNoApplication, `${rules.namingNoApplication} rules name an application no workload carries`);
  return { applications, dependencies, scanners, legitimate, blast, rules, misses };
}

function scoreApplications(truth: ScoringTruth, analysis: AnalysisJsonView): Score['applications'] {
  const trueApp = new Map(truth.workloads.map((w) => [w.name, w.application]));
  const a: string[] = [];
  const b: string[] = [];
  const heard: boolean[] = [];
  for (const w of analysis.workloads) {
    const t = trueApp.get(w.name);
    if (!t) continue;
    a.push(t);
    // a workload the analysis left without an application is an application of its own
    b.push(w.application ?? `none:${w.name}`);
    heard.push(!truth.silent?.has(w.name));
  }
  const ami = (x: string[], y: string[]) => (x.length ? adjustedMutualInfo(x, y) : 0);
  return {
    ami: ami(a, b),
    ari: a.length ? adjustedRandIndex(a, b) : 0,
    found: new Set(b).size,
    truth: new Set(a).size,
    workloads: a.length,
    silent: heard.filter((h) => !h).length,
    amiHeard: ami(a.filter((_, i) => heard[i]), b.filter((_, i) => heard[i])),
  };
}

function scoreDependencies(truth: ScoringTruth, analysis: AnalysisJsonView): Score['dependencies'] {
  const nameOf = new Map(analysis.workloads.map((w) => [w.id, w.name]));
  const name = (id: string) => nameOf.get(id) ?? id;
  const found = new Map<string, { from: string; to: string }>();
  for (const e of analysis.edges) {
    const from = name(e.from);
    const to = name(e.to);
    found.set(depKey(from, to, protoNumber(e.protocol), e.port), { from, to });
  }
  const want = new Set(truth.dependencies.map((d) => depKey(d.client, d.server, d.protocol, d.port)));
  let hit = 0;
  let reused = 0;
  const falsePositives: string[] = [];
  for (const [k, e] of found) {
    if (want.has(k)) hit++;
    else {
      falsePositives.push(k);
      if (truth.reusedWorkloads.has(e.from) || truth.reusedWorkloads.has(e.to)) reused++;
    }
  }
  const falseNegatives = [...want].filter((k) => !found.has(k));
  return {
    precision: found.size ? hit / found.size : 1,
    recall: want.size ? hit / want.size : 1,
    found: found.size,
    truth: want.size,
    reusedFalseEdges: reused,
    falsePositives: falsePositives.sort().slice(0, 25),
    falseNegatives: falseNegatives.sort().slice(0, 25),
  };
}

function scoreFlows(truth: ScoringTruth, policy: BaselinePolicy, analysis: AnalysisJsonView) {
  const taught = new Set<string>();
  for (const f of truth.train) if (f.kind !== 'scan' && f.kind !== 'sweep') taught.add(`${f.clientGroup}|${f.serverGroup}|${portText(f.protocol, f.port)}`);
  const scanners = { flows: 0, allowed: 0, indistinguishable: 0, found: analysis.coverage.excluded.scanners.map((s) => s.name).sort(), ownFlows: 0, ownAllowed: 0 };
  const minimal = new Set(truth.policy.flatMap((r) => r.ports.map((p) => `${r.from}|${r.to}|${p}`)));
  const legitimate = { teachable: 0, teachableAllowed: 0, ratio: 1, all: 0, allAllowed: 0, blocked: [] as Score['legitimate']['blocked'] };
  for (const f of truth.test) {
    const allowed = policy.allows(f);
    if (f.kind === 'scan' || f.kind === 'sweep') {
      scanners.flows += f.flows;
      if (minimal.has(`${f.clientGroup}|${f.serverGroup}|${portText(f.protocol, f.port)}`)) scanners.indistinguishable += f.flows;
      else if (allowed) scanners.allowed += f.flows;
      continue;
    }
    if (truth.scannerSources.has(f.clientAddr)) {
      scanners.ownFlows += f.flows;
      if (allowed) scanners.ownAllowed += f.flows;
      continue;
    }
    legitimate.all += f.flows;
    if (allowed) legitimate.allAllowed += f.flows;
    // training could teach a conversation of groups it saw, between workloads it saw: a machine
    // built after training has no behaviour, no labels and no name anything could learn from
    const seen = (w: string | null) => w === null || truth.trained.has(w);
    if (!taught.has(`${f.clientGroup}|${f.serverGroup}|${portText(f.protocol, f.port)}`) || !seen(f.clientWorkload) || !seen(f.serverWorkload)) continue;
    legitimate.teachable += f.flows;
    if (allowed) legitimate.teachableAllowed += f.flows;
    else legitimate.blocked.push({ kind: f.kind, client: f.clientWorkload ?? f.clientAddr, server: f.serverWorkload ?? f.serverAddr, port: portText(f.protocol, f.port), flows: f.flows });
  }
  legitimate.ratio = legitimate.teachable ? legitimate.teachableAllowed / legitimate.teachable : 1;
  legitimate.blocked = legitimate.blocked.sort((a, b) => b.flows - a.flows).slice(0, 20);
  return { scanners, legitimate };
}

/**
 * One-hop reach: the workloads (other than itself) a workload may open a connection to on some
 * port. Counted over the workloads present at the end of the held-out window that the baseline
 * lists, for the policy and for the minimal label policy alike; the flat network reaches all.
 */
function scoreBlast(truth: ScoringTruth, policy: BaselinePolicy, baseline: BaselineDocument): Score['blast'] {
  const listed = new Map(baseline.workloads.map((w) => [w.name, w]));
  const population = truth.workloads.filter((w) => truth.present.has(w.name) && listed.has(w.name));
  const n = population.length;
  if (n < 2) return { workloads: n, policyCut: 0, truthCut: 0, gap: 0 };
  const flat = n - 1;

  // the policy: rules as (from set, to set) over the population
  const sides = policy.rules.map(() => ({ from: new Bits(n), to: new Bits(n) }));
  population.forEach((w, i) => {
    for (const addr of listed.get(w.name)!.addresses.length ? listed.get(w.name)!.addresses : ['0.0.0.0']) {
      for (const r of policy.rulesFor(0, w.name, addr).each()) sides[r]!.from.set(i);
      for (const r of policy.rulesFor(1, w.name, addr).each()) sides[r]!.to.set(i);
    }
  });
  const policyReach = meanReach(n, sides);

  // the minimal policy: group to group
  const members = new Map<Group, Bits>();
  population.forEach((w, i) => {
    let b = members.get(w.group);
    if (!b) members.set(w.group, (b = new Bits(n)));
    b.set(i);
  });
  const empty = new Bits(n);
  const truthSides = truth.policy.map((r) => ({ from: members.get(r.from) ?? empty, to: members.get(r.to) ?? empty }));
  const truthReach = meanReach(n, truthSides);
  const policyCut = 1 - policyReach / flat;
  const truthCut = 1 - truthReach / flat;
  return { workloads: n, policyCut, truthCut, gap: truthCut - policyCut };
}

function meanReach(n: number, rules: ReadonlyArray<{ from: Bits; to: Bits }>): number {
  const reach = Array.from({ length: n }, () => new Bits(n));
  for (const r of rules) for (const i of r.from.each()) reach[i]!.or(r.to);
  let total = 0;
  reach.forEach((b, i) => (total += b.count() - (b.has(i) ? 1 : 0)));
  return total / n;
}
