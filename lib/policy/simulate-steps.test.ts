// The in-memory steps of simulation (simulate.test.ts runs the whole of it in ClickHouse).
import { describe, expect, it } from 'vitest';
import { makeView } from './labels';
import type { PolicyWorkload } from './selectors';
import { simEndpoint, simulationResult } from './simulate-result';
import { KIND, portColumns, ruleRows, sideColumns } from './simulate-rules';
import { probeRows, type Aggregates } from './simulate-sql';
import { isProbe, scannerTraffic } from './scanner-traffic';
import type { AnalysisResult } from '../analysis/types';

const w = (id: string, labels: Record<string, string>): PolicyWorkload => ({ id, name: `${id}-host`, labels, suggested: [], addresses: [] });
const view = makeView([w('a', { app: 'shop', env: 'prod', role: 'web' }), w('b', { app: 'shop', env: 'prod', role: 'api' }), w('c', {})]);

describe('simulation rows', () => {
  it('columns of a side and of a port', () => {
    expect(sideColumns({ labels: { app: 'x' } })).toMatchObject({ kind: KIND.labels });
    expect(sideColumns({ any: true }).kind).toBe(KIND.any);
    const cidr = sideColumns({ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] });
    expect(cidr.kind).toBe(KIND.cidr);
    expect(cidr.except).toHaveLength(1);
    expect(portColumns({ protocol: 'tcp', port: 80, endPort: 90 })).toEqual({ proto: 6, lo: 80, hi: 90 });
    expect(portColumns({ protocol: 'udp' })).toEqual({ proto: 17, lo: 0, hi: 65535 });
    expect(portColumns({ protocol: 'icmp' })).toEqual({ proto: 1, lo: 0, hi: 65535 });
  });

  it('one row per rule and port (1-based), and the rule rows whose labels pick each workload', () => {
    const { rows, members } = ruleRows(
      [
        { id: 'r0', from: { labels: { role: 'web' } }, to: { labels: { role: 'api' } }, ports: [{ protocol: 'tcp', port: 80 }, { protocol: 'tcp', port: 443 }] },
        { id: 'r1', from: { cidr: '10.0.0.0/8' }, to: { labels: {} }, ports: [{ protocol: 'udp', port: 53 }] },
      ],
      view,
    );
    expect(rows.map((r) => [r[0], r[1], r[10], r[11]])).toEqual([[1, 0, 6, 80], [2, 0, 6, 443], [3, 1, 17, 53]]);
    // without states every workload enforces (level 2)
    expect(members).toEqual([
      ['a', [1, 2], [3], 'shop@prod', 2],
      ['b', [], [1, 2, 3], 'shop@prod', 2],
      ['c', [], [3], '', 2],
    ]);
  });

  it('gives each workload the level of its application and environment, visibility when unlisted', () => {
    const v = makeView([...view.workloads, w('d', { app: 'shop', role: 'web' }), w('e', { app: 'shop', env: 'test' })]);
    const { members } = ruleRows([], v, [
      { application: 'shop', environment: 'prod', state: 'enforced' },
      { application: 'shop', environment: '', state: 'test' },
    ]);
    expect(members.map((m) => [m[0], m[4]])).toEqual([['a', 2], ['b', 2], ['c', 0], ['d', 1], ['e', 0]]);
  });
});

describe('simulation result', () => {
  it('names endpoints', () => {
    expect(simEndpoint(view, 'w:a')).toEqual({ key: 'a', name: 'a-host', kind: 'workload' });
    expect(simEndpoint(view, 'net:corp')).toEqual({ key: 'corp', name: 'corp', kind: 'network' });
    expect(simEndpoint(view, 'internet').kind).toBe('internet');
    expect(simEndpoint(view, '192.0.2.1').kind).toBe('address');
  });

  it('totals, coverage (nothing observed is fully covered) and rule hits in rule order', () => {
    const agg: Aggregates = {
      tot: { totalFlows: 10, totalBytes: 1000, allowedFlows: 7, allowedBytes: 600, blockedAnsweredFlows: 2 },
      cov: { connections: 4, covered: 3, answeredConnections: 0, answeredCovered: 0 },
      apps: [],
      blockedRows: [{ ck: 'w:a', sk: '192.0.2.1', protocol: 6, port: 22, depFlows: 3, depBytes: 400, depFailed: 5, fs: '2026-01-01 00:00:00.000', ls: '2026-01-02 00:00:00.000', cn: 1, sn: 1, ex: [['10.0.0.1', '192.0.2.1', 3]], total: 1 }],
      blockedTotal: 1,
      hits: [{ rid: 1, hitFlows: 7, hitBytes: 600, last: '2026-01-02 00:00:00.000' }],
      detail: undefined,
    };
    const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-08T00:00:00Z') };
    const rules = [{ id: 'x', from: { labels: {} }, to: { labels: {} }, ports: [] }, { id: 'y', from: { labels: {} }, to: { labels: {} }, ports: [] }];
    const r = simulationResult(rules, view, window, {}, agg, { prepareMs: 1, evaluateMs: 2, aggregateMs: 3, totalMs: 6 });
    expect(r.totals).toMatchObject({ blockedFlows: 3, blockedBytes: 400 });
    expect(r.coverage).toEqual({ connections: 4, covered: 3, ratio: 0.75, answered: { connections: 0, covered: 0, ratio: 1 } });
    expect(r.blocked[0]).toMatchObject({ from: { key: 'a' }, to: { kind: 'address' }, failedFlows: 3, firstSeen: '2026-01-01T00:00:00.000Z' });
    expect(r.ruleHits).toEqual([{ id: 'x', flows: 0, bytes: 0, lastHit: null }, { id: 'y', flows: 7, bytes: 600, lastHit: '2026-01-02T00:00:00.000Z' }]);
    expect(r.policy).toEqual({ name: 'policy', rules: 2 });
  });
});

describe('scanner traffic', () => {
  // discovery's verdict: a whole source, a service that also sweeps (with what it keeps), an outside address
  const analysis = {
    workloads: [{ id: 'nessus', scanner: true }, { id: 'zabbix', scanner: false }, { id: 'db', scanner: false }],
    coverage: {
      excluded: {
        scanners: [
          { id: 'nessus', workloadId: 'nessus', scope: 'source' },
          { id: 'zabbix', workloadId: 'zabbix', scope: 'probes' },
          { id: '203.0.113.9', workloadId: null, scope: 'source' },
        ],
      },
    },
    edges: [
      { from: 'zabbix', to: 'db', protocol: 6, port: 10050, fromScanner: false },
      { from: 'zabbix', to: 'internet', protocol: 6, port: 443, fromScanner: false },
      { from: 'nessus', to: 'db', protocol: 17, port: 53, fromScanner: true },
    ],
  } as unknown as AnalysisResult;
  const t = scannerTraffic(analysis);
  const probe = (clientWorkload: string | null, clientAddress: string, serverWorkload: string | null, protocol: number, port: number) => isProbe(t, { clientWorkload, clientAddress, serverWorkload, protocol, port });

  it('reads sources, probing services with what they keep, and outside addresses', () => {
    expect(t).toEqual({ sources: ['nessus'], probing: ['zabbix'], kept: [['zabbix', 'db', 6, 10050]], addresses: ['203.0.113.9'] });
    expect(probe('nessus', '', 'db', 6, 22)).toBe(true);
    expect(probe('zabbix', '', 'db', 6, 10050)).toBe(false);
    expect(probe('zabbix', '', 'db', 6, 22)).toBe(true);
    // a probing service's outside peers are its own dependencies
    expect(probe('zabbix', '', null, 6, 443)).toBe(false);
    expect(probe(null, '203.0.113.9', 'db', 6, 22)).toBe(true);
    expect(probe(null, '203.0.113.10', 'db', 6, 22)).toBe(false);
    expect(probe('db', '', 'nessus', 6, 22)).toBe(false);
  });

  it('goes to the engine as rows, addresses as the rule rows write them', () => {
    expect(probeRows(t)).toEqual([
      [1, 'nessus', '::', '', 0, 0],
      [2, 'zabbix', '::', '', 0, 0],
      [3, 'zabbix', '::', 'db', 6, 10050],
      [4, '', '203.0.113.9', '', 0, 0],
    ]);
  });
});
