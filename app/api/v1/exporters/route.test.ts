// GET /api/v1/exporters: the live counters of the collectors running in this process, and what
// each source stored over the last hours, as a viewer with an API token sees them.
import { createSocket } from 'node:dgram';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectors, type Collectors } from '../../../../collectors';
import { netflow5Packet } from '../../../../collectors/testing/exports';
import { createApiToken } from '../../../../lib/auth/tokens';
import { createUser } from '../../../../lib/auth/users';
import { openRuntime, shareRuntime, type Runtime } from '../../../../lib/runtime';
import { testConfig } from '../../../../test/support';
import { GET } from './route';

let rt: Runtime;
let collectors: Collectors;
let token: string;

const get = async (query = '') => {
  const req = new NextRequest(new URL(`/api/v1/exporters${query}`, 'http://127.0.0.1:3000'), { headers: { authorization: `Bearer ${token}`, 'x-bulkhead-peer': '127.0.0.1' } });
  const res = await GET(req, { params: Promise.resolve({}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  const config = testConfig();
  config.collect = { ...config.collect, listen: '127.0.0.1', netflowPort: 2055, ipfixPort: 0, sflowPort: 0 };
  rt = await openRuntime(config);
  shareRuntime(rt);
  const u = await createUser(rt.db.prisma, { email: 'viewer@exporters.test', role: 'viewer' });
  ({ token } = await createApiToken(rt.db.prisma, { userId: u.id, name: 'exporters test', role: 'viewer', maxRole: 'admin' }));
});

afterAll(async () => {
  await collectors?.close();
  await rt.close();
});

describe('GET /api/v1/exporters', () => {
  it('says the collectors do not run in this process when they do not', async () => {
    const { status, body } = await get();
    expect(status).toBe(200);
    expect(body).toMatchObject({ collecting: false, exporters: [], listeners: [] });
    expect(body.hint).toMatch(/bulkhead serve/);
  });

  it('lists live exporter counters and the flows each source stored', async () => {
    collectors = await startCollectors(rt.config, rt.sink, rt.log, { ephemeralPorts: true, history: rt.store, historyMs: 100 });
    rt.collectors = collectors;
    const now = Math.floor(Date.now() / 1000);
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const dg = netflow5Packet({ sysUptime: 60_000, unixSecs: now, sequence: 0, records: [{ src: '10.9.0.1', dst: '10.9.0.2', packets: 4, bytes: 400, first: 50_000, last: 59_000, srcPort: 40000, dstPort: 443, protocol: 6 }] });
    await new Promise<void>((r, j) => s.send(dg, collectors.listeners[0]!.port, '127.0.0.1', (e) => (e ? j(e) : r())));
    await new Promise<void>((r, j) => s.send(new Uint8Array([1, 2, 3]), collectors.listeners[0]!.port, '127.0.0.1', (e) => (e ? j(e) : r())));
    s.close();
    const t0 = Date.now();
    while (collectors.exporters().length < 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 25));
    await rt.sink.flush();
    // the statistics history is written every 100 ms here (a minute by default)
    const rows = async () => (await rt.store.rows<{ n: number }>(`SELECT count() AS n FROM ${rt.store.t('exporter_stats')}`))[0]!.n;
    while ((await rows()) < 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));

    const { status, body } = await get('?hours=2');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      collecting: true,
      hint: null,
      listeners: [{ kind: 'netflow', address: '127.0.0.1', port: collectors.listeners[0]!.port, kernelDrops: 0 }],
      exporters: [
        { exporter: '127.0.0.1', version: 'netflow5', datagrams: 1, records: 1, decodeErrors: 0 },
        { exporter: '127.0.0.1', version: 'unknown', datagrams: 1, records: 0, decodeErrors: 1 },
      ],
      stored: { hours: 2, sources: [{ exporter: '127.0.0.1', sourceKind: 'netflow5', flows: 1, bytes: 400 }] },
      history: { hours: 2, bucketSeconds: 120 },
    });
    const series = (body.history as { series: Array<{ exporter: string; version: string; points: Array<{ records: number; datagrams: number; decodeErrors: number; collectors: number }> }> }).series;
    expect(series.map((s) => [s.exporter, s.version, s.points.reduce((a, p) => a + p.records, 0), s.points.reduce((a, p) => a + p.decodeErrors, 0)])).toEqual([
      ['127.0.0.1', 'netflow5', 1, 0],
      ['127.0.0.1', 'unknown', 0, 1],
    ]);
    expect(series[0]!.points[0]!.collectors).toBe(1);
    const unknown = (body.exporters as Array<{ version: string; lastError: string }>).find((e) => e.version === 'unknown')!;
    expect(unknown.lastError).toContain('not NetFlow v5/v9, IPFIX or sFlow v5');
  });

  it('refuses a bad query with a message naming the parameter', async () => {
    const { status, body } = await get('?hours=0');
    expect(status).toBe(400);
    expect(body.error).toMatch(/hours/);
  });
});
