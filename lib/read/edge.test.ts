// The traffic behind a line of the map must be the traffic discovery counted: on a generated
// estate, the flows the edge-details query (./edge.ts) finds for each dependency equal the analysis's count,
// and the sample holds only flows between the dependency's endpoints on its port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import type { AnalysisResult } from '../analysis/types';
import { loadDemo } from '../demo/load';
import { openRuntime, type Runtime } from '../runtime';
import { testConfig } from '../../test/support';
import { edgeDetails } from './edge';
import { queryFlows, resolveSpec } from './flows';
import { mapIndexOf, sideOf } from './sides';

let rt: Runtime;
let result: AnalysisResult;

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  await loadDemo({ db: rt.db.prisma, store: rt.store }, { workloads: 60, days: 4, seed: 7 });
  result = await analyze(rt, { days: 4 });
}, 240_000);

afterAll(async () => {
  await rt?.close();
});

describe('edge details', () => {
  it('finds exactly the flows discovery counted, for workload and network endpoints alike', async () => {
    const ix = mapIndexOf(result);
    // the largest dependencies of each kind: between workloads, from a network or the internet, to a shared service
    const picks = [
      result.edges.filter((e) => !e.flags.external && !e.flags.coreService).sort((a, b) => b.flows - a.flows)[0],
      result.edges.filter((e) => e.flags.external && ix.endpoints.has(e.from)).sort((a, b) => b.flows - a.flows)[0],
      result.edges.filter((e) => e.flags.coreService).sort((a, b) => b.flows - a.flows)[0],
    ].filter((e): e is NonNullable<typeof e> => !!e);
    expect(picks.length).toBeGreaterThanOrEqual(2);
    for (const e of picks) {
      const leaf = (id: string) => (ix.workloads.has(id) ? `w:${id}` : `ep:${id}`);
      const client = sideOf(ix, leaf(e.from))!;
      const server = sideOf(ix, leaf(e.to))!;
      const port = e.protocol === 1 || e.protocol === 58 ? 'icmp' : `${e.protocol === 6 ? 'tcp' : 'udp'}/${e.port}`;
      const d = await edgeDetails(rt, result, client, server, { ports: [port] });
      expect(d.dependencies, `${e.from} -> ${e.to} ${port}`).toBe(1);
      expect(d.totalFlows, `${e.from} -> ${e.to} ${port}`).toBe(e.flows);
      expect(d.samples.length).toBeGreaterThan(0);
      for (const f of d.samples) expect(f.serverPort).toBe(e.port);
      const serverAddrs = ix.workloads.get(e.to)?.addresses;
      if (serverAddrs) for (const f of d.samples) expect(serverAddrs).toContain(f.server);
    }
  });

  it('adds up the dependencies folded into a line between two applications', async () => {
    const ix = mapIndexOf(result);
    const cross = result.edges.find((e) => e.flags.crossApplication && !e.flags.coreService && !e.flags.management && !e.flags.external)!;
    expect(cross).toBeDefined();
    const fromApp = ix.workloads.get(cross.from)!.app!;
    const toApp = ix.workloads.get(cross.to)!.app!;
    const client = sideOf(ix, `app:${fromApp}`)!;
    const server = sideOf(ix, `app:${toApp}`)!;
    const members = result.edges.filter((e) => client.workloads.has(e.from) && server.workloads.has(e.to) && !e.flags.coreService && !e.flags.management);
    const d = await edgeDetails(rt, result, client, server, { excludeCore: true, excludeManagement: true });
    expect(d.dependencies).toBe(members.length);
    expect(d.totalFlows).toBe(members.reduce((s, e) => s + e.flows, 0));
    expect(d.series.length).toBeGreaterThan(0);
  });

  it('resolves the names the flows explorer accepts', () => {
    const ix = mapIndexOf(result);
    const w = result.workloads.find((x) => x.application)!;
    expect(sideOf(ix, w.name)?.workloads.has(w.id)).toBe(true);
    expect(sideOf(ix, w.id)?.workloads.has(w.id)).toBe(true);
    expect(sideOf(ix, w.application!)?.workloads.has(w.id)).toBe(true);
    expect(sideOf(ix, 'no-such-thing')).toBeNull();
  });

  it('the flows explorer finds the same records for a dependency, by workload, application or map endpoint', async () => {
    const ix = mapIndexOf(result);
    const win = { from: result.window.from, to: result.window.to };
    const analysis = async () => result;
    const db = rt.db.prisma;
    const inner = result.edges.filter((e) => !e.flags.external && !e.flags.coreService).sort((a, b) => b.flows - a.flows)[0]!;
    const port = `${inner.protocol === 6 ? 'tcp' : 'udp'}/${inner.port}`;
    const byName = await queryFlows(rt.store, {
      ...win,
      client: await resolveSpec(db, ix.workloads.get(inner.from)!.name, analysis, win),
      server: await resolveSpec(db, `w:${inner.to}`, analysis, win),
      endpoint: null,
      ports: [port],
      protocol: null,
      limit: 5,
      before: null,
    });
    expect(byName.total).toBe(inner.flows);
    expect(byName.rows).toHaveLength(5);
    for (const r of byName.rows) expect(r.serverWorkload).toBe(ix.workloads.get(inner.to)!.name);

    const ext = result.edges.filter((e) => e.flags.external && ix.endpoints.has(e.from)).sort((a, b) => b.flows - a.flows)[0]!;
    const fromOutside = await queryFlows(rt.store, {
      ...win,
      client: await resolveSpec(db, `ep:${ext.from}`, analysis, win),
      server: await resolveSpec(db, `w:${ext.to}`, analysis, win),
      endpoint: null,
      ports: [`${ext.protocol === 6 ? 'tcp' : 'udp'}/${ext.port}`],
      protocol: null,
      limit: 1,
      before: null,
    });
    expect(fromOutside.total).toBe(ext.flows);
    await expect(resolveSpec(db, 'no-such-workload', analysis, win)).rejects.toThrow(/not a workload name/);
  });
});
