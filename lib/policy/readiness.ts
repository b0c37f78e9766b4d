// The readiness gate: before an application is enforced in an environment, what its approved
// rules would block in the traffic observed over the discovery window, in both directions (what
// reaches it, what it reaches, its own egress included, and between its own workloads), each
// dependency with an explicit decision: allow (a rule is proposed for it, the manual rule path of
// ./workflow.ts) or accept-block (stored: it may be dropped). Enforcing is refused while a
// dependency is undecided (./enforcement.ts setEnforcement), unless forced, which is audited.
//
// Scanner traffic is left out: discovery (lib/analysis) sets sweeping sources apart, and a scan
// the policy blocks is the policy working, not a dependency anyone must decide on. A shared
// service that also sweeps (scope "probes") keeps the dependencies discovery kept as edges.
// Dependencies none of whose attempts was ever answered are left out too (counted): they do not
// work today, so enforcing breaks nothing of them.
import { createHash } from 'node:crypto';
import { DISCOVERY_DAYS } from '../analysis/window';
import { audit } from '../audit';
import { activeBaselineRules, overlayView, type BaselineDoc } from '../export/baseline';
import type { Runtime } from '../runtime';
import { invalid, notFound } from '../errors';
import { portLabel } from '../flow/ports';
import { count, endpointText } from '../words';
import { resolveEnvironment, setEnforcement, type EnforcementChange, type EnforcementGate } from './enforcement';
import { isEnforcementState, DEFAULT_ENFORCEMENT, type EnforcementState } from './enforcement-states';
import { WORKLOAD_KEY, type PortSpec, type Selector } from './model';
import { loadPolicyView, type PolicyView } from './labels';
import { resolvePolicy, scannersOver } from './service';
import { isProbe, type ScannerTraffic } from './scanner-traffic';
import { simulatePolicy, type BlockedDependency, type SimEndpoint, type SimRule } from './simulate';
import { createRules, type Who } from './workflow';

export const READINESS_DECISIONS = ['allow', 'accept-block'] as const;
export type ReadinessDecision = (typeof READINESS_DECISIONS)[number];

/** inbound: it reaches the application; outbound: the application reaches it; within: between its own workloads */
export type ReadinessDirection = 'inbound' | 'outbound' | 'within';

export interface ReadinessDependency {
  /** stable id of (client, server, protocol, port): what a decision names */
  id: string;
  direction: ReadinessDirection;
  from: SimEndpoint;
  to: SimEndpoint;
  protocol: number;
  port: number;
  /** "tcp/5432" */
  service: string;
  flows: number;
  bytes: number;
  /** refused or unanswered anyway */
  failedFlows: number;
  firstSeen: string;
  lastSeen: string;
  examples: BlockedDependency['examples'];
  decision: { decision: ReadinessDecision; comment: string | null; ruleId: string | null; by: string; at: string } | null;
}

export interface Readiness {
  application: string;
  applicationId: string;
  environment: string;
  state: EnforcementState;
  window: { from: string; to: string };
  /** approved rules the check evaluated */
  rules: number;
  dependencies: ReadinessDependency[];
  undecided: number;
  /** every would-block dependency has a decision */
  ready: boolean;
  /** would-block dependencies of this application left out because a scanner sent them */
  scanners: { dependencies: number; flows: number };
  /** and those left out because no attempt was ever answered (refused or unanswered: nothing works that blocking would break) */
  unanswered: { dependencies: number; flows: number };
}

export interface ReadinessWindow {
  from?: Date | string;
  to?: Date | string;
  days?: number;
}

const pairName = (app: string, env: string) => `${app}${env ? `@${env}` : ''}`;
const dependencyId = (b: Pick<BlockedDependency, 'from' | 'to' | 'protocol' | 'port'>) =>
  createHash('sha256').update(`${b.from.kind}:${b.from.key}\n${b.to.kind}:${b.to.key}\n${b.protocol}\n${b.port}`).digest('hex').slice(0, 10);
export const describeDependency = (d: Pick<ReadinessDependency, 'from' | 'to' | 'service'>) => `${endpointText(d.from)} -> ${endpointText(d.to)} ${d.service}`;

/**
 * Which blocked dependencies a scanner workload sent, by discovery's verdict over the same window
 * (./scanner-traffic.ts), and the outside addresses discovery calls scanners (their probes are
 * counted per address below).
 */
function scannersOf(t: ScannerTraffic): { test: (b: BlockedDependency) => boolean; addrs: Set<string> } {
  const test = (b: BlockedDependency) =>
    b.from.kind === 'workload' && isProbe(t, { clientWorkload: b.from.key, clientAddress: '', serverWorkload: b.to.kind === 'workload' ? b.to.key : null, protocol: b.protocol, port: b.port });
  return { test, addrs: new Set(t.addresses) };
}

/**
 * What `rules` would block over the window (default the discovery window, DISCOVERY_DAYS up to
 * now) of the traffic one of whose ends `touches` picks, scanners left out.
 */
async function wouldBlock(rt: Runtime, rules: readonly SimRule[], view: PolicyView, window: ReadinessWindow, touches: (e: SimEndpoint) => boolean) {
  const sim = await simulatePolicy(rt.store, rt.db.prisma, rules, view, {
    from: window.from,
    to: window.to,
    days: window.days ?? DISCOVERY_DAYS,
    // every would-block dependency, not the largest few: an undecided one must not hide below a cut
    top: 1_000_000,
    // per address: an outside scanner's probes are folded into "internet" or a named network there
    detail: true,
  });
  const touching = sim.blocked.filter((b) => touches(b.from) || touches(b.to));
  const found = touching.length ? scannersOf(await scannersOver(rt, { from: new Date(sim.window.from), to: new Date(sim.window.to) })) : null;
  // blocked flows outside scanners sent to each (server workload, protocol, port), in all and per address
  const probes = new Map<string, number>();
  for (const d of sim.detail ?? []) {
    if (!found?.addrs.has(d.client) || d.clientWorkload || !d.serverWorkload || d.flows <= d.allowedFlows) continue;
    for (const k of [`${d.serverWorkload}\n${d.protocol}\n${d.port}`, `${d.client}\n${d.serverWorkload}\n${d.protocol}\n${d.port}`]) probes.set(k, (probes.get(k) ?? 0) + d.flows - d.allowedFlows);
  }
  const scanners = { dependencies: 0, flows: 0 };
  const unanswered = { dependencies: 0, flows: 0 };
  const blocked: BlockedDependency[] = [];
  for (const b0 of touching) {
    let b = b0;
    if (b.from.kind !== 'workload' && b.to.kind === 'workload') {
      // an address stands for itself; the internet or a network for every scanner address in it
      // that reached this server (more than one outside endpoint to the same port: rare, and then
      // the probes are taken from each, which errs toward leaving a dependency out)
      const k = `${b.to.key}\n${b.protocol}\n${b.port}`;
      const probed = Math.min(b.flows, (b.from.kind === 'address' ? probes.get(`${b.from.key}\n${k}`) : probes.get(k)) ?? 0);
      if (probed) {
        scanners.flows += probed;
        // the rest is what others sent; probes are mostly unanswered, so the failures go with them
        b = { ...b, flows: b.flows - probed, failedFlows: Math.max(0, b.failedFlows - probed) };
      }
      if (!b.flows) {
        scanners.dependencies++;
        continue;
      }
    }
    // a dependency none of whose attempts was answered does not work today (a port nobody
    // listens on, a scan from an address too small to be called a scanner): dropping it breaks nothing
    const left = found?.test(b) ? scanners : b.failedFlows >= b.flows ? unanswered : null;
    if (!left) blocked.push(b);
    else {
      left.dependencies++;
      left.flows += b.flows;
    }
  }
  return { window: sim.window, blocked, scanners, unanswered };
}

/**
 * What the approved rules would block of the traffic of `application` in `environment` over the
 * window (default the discovery window, DISCOVERY_DAYS up to now), scanners left out, each
 * dependency with its decision if one was taken.
 */
export async function enforcementReadiness(rt: Runtime, input: { application: string; environment?: string | null }, window: ReadinessWindow = {}): Promise<Readiness> {
  const db = rt.db.prisma;
  const { app, environment } = await resolveEnvironment(db, input.application, input.environment);
  // every workload: traffic of the window belongs to whoever held the address then
  const policy = await resolvePolicy(rt, { kind: 'rules', which: 'approved' }, { view: { all: true } });
  const mine = (e: SimEndpoint) => {
    if (e.kind !== 'workload') return false;
    const labels = policy.view.byId.get(e.key)?.labels;
    return labels?.app === app.name && (labels.env ?? '') === environment;
  };
  const found = await wouldBlock(rt, policy.rules, policy.view, window, mine);
  const [stored, decisions] = await Promise.all([
    db.enforcement.findUnique({ where: { applicationId_environment: { applicationId: app.id, environment } } }),
    db.enforcementDecision.findMany({ where: { applicationId: app.id, environment } }),
  ]);
  const decided = new Map(decisions.map((d) => [d.dependency, d]));
  const dependencies: ReadinessDependency[] = found.blocked.map((b) => {
    const id = dependencyId(b);
    const d = decided.get(id);
    return {
      id,
      direction: mine(b.from) && mine(b.to) ? 'within' : mine(b.to) ? 'inbound' : 'outbound',
      from: b.from,
      to: b.to,
      protocol: b.protocol,
      port: b.port,
      service: portLabel(b.protocol, b.port),
      flows: b.flows,
      bytes: b.bytes,
      failedFlows: b.failedFlows,
      firstSeen: b.firstSeen,
      lastSeen: b.lastSeen,
      examples: b.examples,
      decision: d ? { decision: d.decision as ReadinessDecision, comment: d.comment, ruleId: d.ruleId, by: d.decidedByName, at: d.decidedAt.toISOString() } : null,
    };
  });
  const undecided = dependencies.filter((d) => !d.decision).length;
  return {
    application: app.name,
    applicationId: app.id,
    environment,
    state: stored && isEnforcementState(stored.state) ? stored.state : DEFAULT_ENFORCEMENT,
    window: found.window,
    rules: policy.rules.length,
    dependencies,
    undecided,
    ready: undecided === 0,
    scanners: found.scanners,
    unanswered: found.unanswered,
  };
}

export interface ExportBlockWarning {
  /** observed flows of enforced applications the exported rules would drop (scanners, never-answered attempts and accepted blocks left out) */
  flows: number;
  dependencies: number;
  /** the largest three */
  top: Array<{ application: string; direction: ReadinessDirection; description: string; flows: number }>;
  /** one line for people */
  message: string;
}

/**
 * What an export would drop of the observed traffic of its enforced applications: the document's
 * rules simulated over the discovery window, the dependencies touching a workload of an enforced
 * (application, environment) kept, scanners and dependencies decided accept-block left out.
 * Null when nothing is enforced or nothing such would be dropped. Exports call it to warn; the
 * readiness gate is where the decisions are taken.
 */
export async function exportBlockWarning(rt: Runtime, doc: BaselineDoc, window: ReadinessWindow = {}): Promise<ExportBlockWarning | null> {
  const enforced = new Set((doc.enforcement ?? []).filter((e) => e.state === 'enforced').map((e) => `${e.application}\n${e.environment}`));
  if (!enforced.size) return null;
  const db = rt.db.prisma;
  const view = overlayView(doc, await loadPolicyView(db, { all: true }));
  const rules = activeBaselineRules(doc, { includeProposed: true });
  const pairOf = (e: SimEndpoint) => {
    if (e.kind !== 'workload') return null;
    const l = view.byId.get(e.key)?.labels;
    const key = l?.app ? `${l.app}\n${l.env ?? ''}` : null;
    return key && enforced.has(key) ? key : null;
  };
  const found = await wouldBlock(rt, rules, view, window, (e) => pairOf(e) !== null);
  const accepted = new Set((await db.enforcementDecision.findMany({ where: { decision: 'accept-block' }, include: { application: { select: { name: true } } } })).map((d) => `${d.application.name}\n${d.environment}\n${d.dependency}`));
  // left out only when every enforced application it touches accepted the block
  const kept = found.blocked.flatMap((b) => {
    const open = [...new Set([pairOf(b.to), pairOf(b.from)].filter((p): p is string => p !== null))].filter((at) => !accepted.has(`${at}\n${dependencyId(b)}`));
    if (!open.length) return [];
    const at = open[0]!;
    const [application, environment] = at.split('\n') as [string, string];
    const direction: ReadinessDirection = pairOf(b.from) === at && pairOf(b.to) === at ? 'within' : pairOf(b.to) === at ? 'inbound' : 'outbound';
    return [{ b, application: pairName(application, environment), direction }];
  });
  if (!kept.length) return null;
  const flows = kept.reduce((t, k) => t + k.b.flows, 0);
  const top = kept.slice(0, 3).map(({ b, application, direction }) => ({ application, direction, description: describeDependency({ from: b.from, to: b.to, service: portLabel(b.protocol, b.port) }), flows: b.flows }));
  return {
    flows,
    dependencies: kept.length,
    top,
    message:
      `the exported rules would drop ${count(flows, 'observed flow')} of enforced applications (${count(kept.length, 'dependency', 'dependencies')} over ${found.window.from.slice(0, 10)} .. ${found.window.to.slice(0, 10)}, scanners, never-answered attempts and accepted blocks left out), largest: ` +
      `${top.map((t) => `${t.description} (${t.application} ${t.direction}, ${count(t.flows, 'flow')})`).join('; ')}. ` +
      'Review them: bulkhead enforce APP --env ENV --readiness',
  };
}

/** The command that decides a dependency, for messages that send people to it. */
export const decideCommand = (app: string, env: string, id = 'ID') => `bulkhead enforce ${app}${env ? ` --env ${env}` : ''} --decide ${id} --allow|--accept-block [--comment TEXT]`;

/** The gate setEnforcement asks before enforcing: the undecided dependencies in one message. */
export function readinessGate(rt: Runtime, window: ReadinessWindow = {}): EnforcementGate {
  return async (app, environment) => {
    const r = await enforcementReadiness(rt, { application: app.id, environment }, window);
    if (r.ready) return null;
    const open = r.dependencies.filter((d) => !d.decision);
    const shown = open.slice(0, 10).map((d) => `  ${d.id}  ${d.direction.padEnd(8)} ${describeDependency(d)}  ${count(d.flows, 'flow')}, last ${d.lastSeen.slice(0, 16)}`);
    const more = open.length > shown.length ? [`  ... and ${open.length - shown.length} more (bulkhead enforce ${app.name}${environment ? ` --env ${environment}` : ''} --readiness)`] : [];
    return {
      undecided: open.length,
      message: [
        `${pairName(app.name, environment)} is not ready to be enforced: the approved rules would block ${count(open.length, 'observed dependency', 'observed dependencies')} nobody has decided on:`,
        ...shown,
        ...more,
        `Decide each: ${decideCommand(app.name, environment)} (allow proposes a rule; accept-block lets it be dropped), or enforce anyway with --force (audited).`,
      ].join('\n'),
    };
  };
}

/** setEnforcement with the readiness gate over the flow store. */
export function enforce(rt: Runtime, input: { application: string; environment?: string | null; state: string }, who: Who, opts: { force?: boolean; window?: ReadinessWindow } = {}): Promise<EnforcementChange> {
  return setEnforcement(rt.db.prisma, input, who, { gate: readinessGate(rt, opts.window), force: opts.force });
}

/** A rule's selector for one end of a dependency: the workload by name, a network by its CIDRs, an address alone. */
async function selectorsOf(rt: Runtime, e: SimEndpoint): Promise<Selector[]> {
  if (e.kind === 'workload') return [{ labels: { [WORKLOAD_KEY]: e.name } }];
  if (e.kind === 'address') return [{ cidr: `${e.key}/${e.key.includes(':') ? 128 : 32}` }];
  if (e.kind === 'internet') return [{ cidr: '0.0.0.0/0' }];
  const net = await rt.db.prisma.namedNetwork.findUnique({ where: { name: e.key } });
  if (!net) throw notFound(`no named network ${e.key} any more: add the rule by hand (bulkhead rules add)`);
  return net.cidrs.split(/\s+/).filter(Boolean).map((cidr) => ({ cidr }));
}

function portsOf(protocol: number, port: number): PortSpec[] {
  if (protocol === 6) return [{ protocol: 'tcp', port }];
  if (protocol === 17) return [{ protocol: 'udp', port }];
  if (protocol === 1 || protocol === 58) return [{ protocol: 'icmp' }];
  throw invalid(`protocol ${protocol}: rules name tcp, udp or icmp; add a rule by hand (bulkhead rules add --ports any) if it must be allowed`);
}

export interface DecisionResult {
  application: string;
  environment: string;
  decision: ReadinessDecision;
  /** the dependencies decided, each with its decision */
  dependencies: ReadinessDependency[];
  /** the rules proposed for an allow (or those that already meant the same) */
  rules: Array<{ id: string; status: string }>;
  ready: boolean;
  undecided: number;
}

/**
 * Decide would-block dependencies of the readiness check (each an id, or a unique start of one)
 * the same way. allow proposes a manual rule for exactly that dependency (it must be approved
 * like any other before exports let it through); accept-block records that it may be dropped. A
 * later decision replaces an earlier one. Each is audited (policy.readiness).
 */
export async function decideDependency(
  rt: Runtime,
  input: { application: string; environment?: string | null; dependency: string | readonly string[]; decision: string; comment?: string | null },
  who: Who,
  window: ReadinessWindow = {},
): Promise<DecisionResult> {
  if (!(READINESS_DECISIONS as readonly string[]).includes(input.decision)) throw invalid(`decision "${input.decision}": one of ${READINESS_DECISIONS.join(', ')}`);
  const decision = input.decision as ReadinessDecision;
  const keys = [...new Set((typeof input.dependency === 'string' ? [input.dependency] : input.dependency).map((k) => k.trim().toLowerCase()).filter(Boolean))];
  if (!keys.length) throw invalid('name the dependency to decide (its ID in the readiness list)');
  const r = await enforcementReadiness(rt, input, window);
  const cmd = `bulkhead enforce ${r.application}${r.environment ? ` --env ${r.environment}` : ''} --readiness`;
  const deps = keys.map((key) => {
    const matches = r.dependencies.filter((d) => d.id.startsWith(key));
    if (!matches.length) throw notFound(`no would-block dependency ${key} of ${pairName(r.application, r.environment)} (see ${cmd})`);
    if (matches.length > 1) throw invalid(`${key} names ${matches.length} dependencies of ${pairName(r.application, r.environment)}; give more of the ID`);
    return matches[0]!;
  });
  const comment = input.comment?.trim() || null;
  const by = { decidedById: 'userId' in who.actor ? (who.actor.userId ?? null) : (who.actor.id ?? null), decidedByName: who.actor.name };
  const allRules: DecisionResult['rules'] = [];
  const decided: ReadinessDependency[] = [];
  for (const dep of deps) {
    const desc = describeDependency(dep);
    let rules: DecisionResult['rules'] = [];
    if (decision === 'allow') {
      const [froms, tos] = await Promise.all([selectorsOf(rt, dep.from), selectorsOf(rt, dep.to)]);
      const ports = portsOf(dep.protocol, dep.port);
      const intent = `Keep ${desc} working when ${pairName(r.application, r.environment)} is enforced (readiness decision: ${count(dep.flows, 'flow')} observed, last ${dep.lastSeen.slice(0, 10)})${comment ? `: ${comment}` : ''}`;
      const drafts = froms.flatMap((from) => tos.map((to) => ({ from, to, ports, intent, owner: r.application, application: r.applicationId })));
      const made = await createRules(rt.db.prisma, drafts, who, { origin: 'manual', comment: comment ?? `readiness of ${pairName(r.application, r.environment)}` });
      rules = [...made.created, ...made.existing].map((x) => ({ id: x.id, status: x.status }));
      allRules.push(...rules);
    }
    const ruleId = rules[0]?.id ?? null;
    const at = new Date();
    await rt.db.prisma.$transaction(async (tx) => {
      const where = { applicationId_environment_dependency: { applicationId: r.applicationId, environment: r.environment, dependency: dep.id } };
      const before = await tx.enforcementDecision.findUnique({ where });
      const data = { decision, description: desc, ruleId, comment, ...by, decidedAt: at };
      await tx.enforcementDecision.upsert({ where, create: { applicationId: r.applicationId, environment: r.environment, dependency: dep.id, ...data }, update: data });
      await audit(tx, {
        actor: who.actor,
        via: who.via,
        ip: who.ip ?? null,
        userAgent: who.userAgent ?? null,
        action: 'policy.readiness',
        target: { type: 'application', id: r.applicationId },
        summary: `${pairName(r.application, r.environment)}: ${decision} ${dep.direction} ${desc} (${count(dep.flows, 'flow')})${comment ? `: ${comment}` : ''}`,
        before: before ? { dependency: dep.id, decision: before.decision, comment: before.comment } : null,
        after: { application: r.application, environment: r.environment, dependency: dep.id, direction: dep.direction, description: desc, flows: dep.flows, decision, comment, rules: rules.map((x) => x.id) },
      });
    });
    decided.push({ ...dep, decision: { decision, comment, ruleId, by: who.actor.name, at: at.toISOString() } });
  }
  const undecided = r.undecided - deps.filter((d) => !d.decision).length;
  return { application: r.application, environment: r.environment, decision, dependencies: decided, rules: allRules, ready: undecided === 0, undecided };
}
