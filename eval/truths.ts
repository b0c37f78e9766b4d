// The ground truth of an estate in the form the scorer reads (eval/score/score.ts), from either
// generator: the zoo (eval/zoo, written from docs/estate-zoo.md) or the demo (lib/demo, which
// `bulkhead demo` loads). The demo is kept in the measurement so that a change that helps the
// zoo and hurts the estate the product was first built on shows up.
import type { ConversationSpec, Estate } from '../lib/demo/estate';
import { activeAt } from '../lib/demo/schedule';
import { truthOf } from '../lib/demo/truth';
import type { ConversationKind, Group, TruthFlowCount, TruthRule, ZooEstate } from './zoo/model';
import { dependencies, flowCounts, groupOf, minimalPolicy } from './zoo/truth';
import { scannerAddresses as demoScannerAddresses } from '../lib/policy/holdout';
import type { ScoringTruth } from './score/score';

export interface Windows {
  train: { from: number; to: number };
  test: { from: number; to: number };
}

const HOUR = 3_600_000;

/** Workloads holding an address at some time in [from, to). */
const heldDuring = (workloads: ReadonlyArray<{ name: string; bindings: ReadonlyArray<{ from: number; to: number | null }> }>, from: number, to: number) =>
  new Set(workloads.filter((w) => w.bindings.some((b) => b.from < to && (b.to === null || b.to > from))).map((w) => w.name));

/** Workloads holding an address at time t. */
const presentAt = (workloads: ReadonlyArray<{ name: string; bindings: ReadonlyArray<{ from: number; to: number | null }> }>, t: number) =>
  new Set(workloads.filter((w) => w.bindings.some((b) => b.from <= t && (b.to === null || b.to > t))).map((w) => w.name));

export function zooTruth(estate: ZooEstate, w: Windows): ScoringTruth {
  const deps = dependencies(estate, w.train.from, w.train.to);
  const talking = new Set(deps.filter((d) => d.kind === 'app' || d.kind === 'cross-app').flatMap((d) => [d.client, d.server]));
  return {
    workloads: estate.workloads.map((x) => ({
      name: x.name,
      application: `${x.truth.app}@${x.truth.env}`,
      group: groupOf(estate, { type: 'workload', name: x.name }, x.bindings[0]?.ip ?? ''),
    })),
    dependencies: deps,
    policy: minimalPolicy(estate, w.train.from, w.train.to),
    train: flowCounts(estate, w.train.from, w.train.to),
    test: flowCounts(estate, w.test.from, w.test.to),
    reusedWorkloads: new Set(estate.reused.flatMap((r) => [r.before, r.after])),
    present: presentAt(estate.workloads, w.test.from),
    trained: heldDuring(estate.workloads, w.train.from, w.train.to),
    scannerSources: new Set([
      ...estate.workloads.filter((x) => x.truth.kind === 'scanner').flatMap((x) => x.bindings.map((b) => b.ip)),
      ...estate.scanners.filter((s) => !estate.workloads.some((x) => x.name === s)),
    ]),
    silent: new Set(estate.workloads.filter((x) => x.truth.kind === 'application' && !talking.has(x.name)).map((x) => x.name)),
  };
}

// --- the demo ---------------------------------------------------------------------------------

const DEMO_KIND: Record<ConversationSpec['kind'], ConversationKind | null> = {
  app: 'app',
  'cross-app': 'cross-app',
  core: 'core',
  management: 'management',
  external: 'ingress',
  scan: 'scan',
  // mis-oriented records are not conversations anyone has; they are neither allowed nor judged
  noise: null,
};

export function demoTruth(estate: Estate, w: Windows): ScoringTruth {
  const byName = new Map(estate.workloads.map((x) => [x.name, x]));
  const networks = new Set(estate.networks.flatMap((n) => n.cidrs));
  const groupOfKey = (key: string, addr: string, side: 'client' | 'server'): Group => {
    const wl = byName.get(key);
    if (wl) return `${wl.app}|${wl.role}|${wl.env}`;
    if (networks.has(key)) return `net:${key}`;
    if (key === '0.0.0.0/0' || key === '::/0') return 'internet';
    return side === 'client' ? `outside-client:${addr}` : `outside:${addr}`;
  };
  const gaps = new Map(estate.exporters.map((e) => [e.name, e.gaps]));
  const counts = (from: number, to: number): TruthFlowCount[] => {
    const out = new Map<string, TruthFlowCount>();
    for (const c of estate.conversations) {
      const kind = DEMO_KIND[c.kind];
      if (!kind) continue;
      const g = gaps.get(c.exporter) ?? [];
      let hours = 0;
      for (let h = Math.floor(Math.max(from, c.from) / HOUR); h < Math.ceil(Math.min(to, c.to) / HOUR); h++) {
        if (g.some((x) => h * HOUR >= x.from && h * HOUR < x.to)) continue;
        if (activeAt(c.id, c.schedule, h)) hours++;
      }
      if (!hours) continue;
      const ports = c.kind === 'scan' && c.ports?.length ? c.ports : [c.port];
      for (const p of ports) {
        const port = c.protocol === 1 || c.protocol === 58 ? 0 : p;
        const k = `${c.clientAddr}|${c.serverAddr}|${c.protocol}|${port}`;
        const prior = out.get(k);
        const flows = hours * c.fph;
        if (prior) {
          prior.flows += flows;
          continue;
        }
        out.set(k, {
          clientAddr: c.clientAddr,
          serverAddr: c.serverAddr,
          protocol: c.protocol,
          port,
          flows,
          kind,
          clientGroup: groupOfKey(c.client, c.clientAddr, 'client'),
          serverGroup: groupOfKey(c.server, c.serverAddr, 'server'),
          clientWorkload: byName.has(c.client) ? c.client : null,
          serverWorkload: byName.has(c.server) ? c.server : null,
        });
      }
    }
    return [...out.values()];
  };
  const train = counts(w.train.from, w.train.to);
  const policy = new Map<string, TruthRule>();
  for (const f of train) {
    if (f.kind === 'scan' || f.kind === 'sweep') continue;
    const k = `${f.clientGroup}|${f.serverGroup}`;
    let r = policy.get(k);
    if (!r) policy.set(k, (r = { from: f.clientGroup, to: f.serverGroup, ports: [] }));
    const p = f.protocol === 1 || f.protocol === 58 ? 'icmp' : `${f.protocol === 6 ? 'tcp' : 'udp'}/${f.port}`;
    if (!r.ports.includes(p)) r.ports.push(p);
  }
  const t = truthOf(estate, { from: new Date(w.train.from), to: new Date(w.train.to) });
  return {
    workloads: estate.workloads.map((x) => ({ name: x.name, application: `${x.app}@${x.env}`, group: `${x.app}|${x.role}|${x.env}` })),
    dependencies: t.edges.map((e) => ({ client: e.from, server: e.to, protocol: e.protocol, port: e.port, kind: DEMO_KIND[e.kind] ?? 'app', clientGroup: '', serverGroup: '' })),
    policy: [...policy.values()],
    train,
    test: counts(w.test.from, w.test.to),
    reusedWorkloads: new Set(t.reusedWorkloads),
    present: presentAt(estate.workloads, w.test.from),
    trained: heldDuring(estate.workloads.map((x) => ({ name: x.name, bindings: x.bindings })), w.train.from, w.train.to),
    scannerSources: demoScannerAddresses(estate),
  };
}
