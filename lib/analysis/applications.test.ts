// Applications from structure, with labels and hostnames weighed against it: a code shared by
// unrelated machines neither joins nor names them, a stray tag does not drag its bearer (or its
// neighbours) away, a stem with a tier word the vocabulary lacks is still the application's name.
import { describe, expect, it } from 'vitest';
import { assignApplications, majorityEnv, type AppNode } from './applications';
import { communities } from './cluster';
import type { EnvValue } from './environments';
import type { AnalysisEdge } from './types';

const NONE: EnvValue = { env: null, source: 'inferred', confidence: 0 };

function edge(from: string, to: string, port: number, activeHours = 300): AnalysisEdge {
  const t = new Date(0);
  return {
    from, to, protocol: 6, port, flows: activeHours, bytes: 1, packets: 1, bytesToServer: 1, bytesToClient: 1, firstSeen: t, lastSeen: t, activeHours, activeDays: 14,
    periodicity: 'continuous', flags: { coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false }, service: null, failedFlows: 0,
    fromScanner: false, fromNetwork: null,
  };
}

/** three tiered applications of four machines; the first calls the second now and then */
function estate(name: (app: number, i: number) => string, labels: (app: number, i: number) => { label?: string; env?: EnvValue } = () => ({})) {
  const nodes: AppNode[] = [];
  const edges: AnalysisEdge[] = [];
  for (let a = 0; a < 3; a++) {
    const ids = [0, 1, 2, 3].map((i) => `a${a}w${i}`);
    ids.forEach((id, i) => {
      const l = labels(a, i);
      nodes.push({ id, name: name(a, i), label: l.label ?? null, labelDecided: false, stem: null, env: l.env ?? NONE });
    });
    edges.push(edge(ids[0]!, ids[1]!, 8080), edge(ids[0]!, ids[2]!, 8080), edge(ids[1]!, ids[3]!, 5432), edge(ids[2]!, ids[3]!, 5432));
  }
  edges.push(edge('a0w1', 'a1w1', 8443, 20));
  return { nodes, edges };
}

function run(nodes: AppNode[], edges: AnalysisEdge[], stem: (name: string) => string | null) {
  const withStems = nodes.map((n) => ({ ...n, stem: stem(n.name) }));
  const g = communities(withStems, edges, 1);
  const r = assignApplications(withStems, g);
  const app = (id: string) => r.byNode.get(id)!.id;
  return { r, app };
}

describe('applications', () => {
  it('does not let a code shared by unrelated machines join or name them', () => {
    const { nodes, edges } = estate((a, i) => `prdlx${a}${i}07`);
    const { app } = run(nodes, edges, () => 'prdlx');
    const found = [0, 1, 2].map((a) => app(`a${a}w0`));
    expect(new Set(found).size).toBe(3);
    for (const a of [0, 1, 2]) for (const i of [1, 2, 3]) expect(app(`a${a}w${i}`)).toBe(app(`a${a}w0`));
    expect(found.some((x) => x.startsWith('prdlx'))).toBe(false);
  });

  it('names an application after the stem its members share, tier words it does not know included', () => {
    const apps = ['orders', 'billing', 'crm'];
    const { nodes, edges } = estate((a, i) => `${apps[a]}-${i === 3 ? 'mc' : 'app'}-0${i}`);
    const { app } = run(nodes, edges, (n) => n.replace(/-(app|mc)?-?\d+$/, '').replace(/-app$/, '') + (n.includes('-mc-') ? '-mc' : ''));
    expect([0, 1, 2, 3].map((i) => app(`a0w${i}`))).toEqual(['orders', 'orders', 'orders', 'orders']);
    expect(app('a1w3')).toBe('billing');
  });

  it('reads a family from stems that glue tier abbreviations it does not know to one word', () => {
    const tiers = ['www', 'app', 'mq', 'my'];
    const apps = ['oms', 'crm', 'pay'];
    const { nodes, edges } = estate((a, i) => `${apps[a]}${tiers[i]}00${i}`);
    const { app } = run(nodes, edges, (n) => n.replace(/\d+$/, ''));
    expect([0, 1, 2, 3].map((i) => app(`a0w${i}`))).toEqual(['oms', 'oms', 'oms', 'oms']);
    expect(app('a2w2')).toBe('pay');
  });

  it('does not read a family from what codes of unrelated machines share', () => {
    // three applications whose machines are named by site, environment and OS: every community
    // holds the family "ldnprd", and structure keeps the communities apart, so it is a code
    const os = ['lnx', 'win', 'aix'];
    const { nodes, edges } = estate((a, i) => `ldnprd${os[(a + i) % 3]}${a}${i}`);
    const { app } = run(nodes, edges, (n) => n.replace(/\d+$/, ''));
    expect(new Set([0, 1, 2].map((a) => app(`a${a}w0`))).size).toBe(3);
    expect([0, 1, 2].map((a) => app(`a${a}w0`)).some((x) => x.startsWith('ldnprd'))).toBe(false);
  });

  it('keeps a workload whose tag contradicts its connections where structure puts it, and says so', () => {
    // the whole of application 1 is tagged crm-1; one machine of application 0 carries that tag too
    const { nodes, edges } = estate(
      (a, i) => `vm-${a}${i}`,
      (a, i) => (a === 1 ? { label: 'crm-1' } : a === 0 && i === 2 ? { label: 'crm-1' } : {}),
    );
    const { r, app } = run(nodes, edges, () => null);
    expect(app('a0w2')).toBe(app('a0w0'));
    expect(app('a1w0')).toBe('crm-1');
    expect(r.byNode.get('a0w2')!.source).toBe('inferred');
    const ev = r.applications.find((x) => x.id === app('a0w0'))!.evidence.join(' ');
    expect(ev).toMatch(/label conflict: vm-02 carries app=crm-1/);
  });

  it('lets a tag a person set decide, whatever structure says', () => {
    const { nodes, edges } = estate(
      (a, i) => `vm-${a}${i}`,
      (a, i) => (a === 1 || (a === 0 && i === 2) ? { label: 'crm-1' } : {}),
    );
    nodes.find((n) => n.id === 'a0w2')!.labelDecided = true;
    const { r, app } = run(nodes, edges, () => null);
    expect(app('a0w2')).toBe('crm-1');
    expect(r.byNode.get('a0w2')!.source).toBe('label');
    expect(app('a0w1')).not.toBe('crm-1');
  });

  it('gives an application one environment, counting synonyms together, and splits off only a member whose own tag names another', () => {
    const env = (e: string, source: EnvValue['source'] = 'label'): EnvValue => ({ env: e, source, confidence: source === 'label' ? 1 : 0.6 });
    expect(majorityEnv([env('prd'), env('prod', 'inferred'), env('production'), env('stg', 'inferred')])).toEqual({ env: 'prd', share: expect.closeTo(2.6 / 3.2, 5) });
    const { nodes, edges } = estate(
      (a, i) => `vm-${a}${i}`,
      (a, i) => ({ env: a === 0 ? (i === 3 ? env('uat') : i === 2 ? env('ppd', 'inferred') : env('prd')) : env('prd', 'inferred') }),
    );
    const { app } = run(nodes, edges, () => null);
    expect(app('a0w0')).toMatch(/@prd$/);
    expect(app('a0w2')).toBe(app('a0w0'));
    expect(app('a0w3')).toMatch(/@uat$/);
  });
});
