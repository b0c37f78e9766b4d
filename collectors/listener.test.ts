// The UDP listeners end to end: real exporters on loopback, decoded, oriented and stored in
// embedded ClickHouse, with per-exporter statistics, the allow-list, template buffering over the
// wire and a shutdown that stores what is buffered.
import { createSocket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/log';
import { Store } from '../lib/store';
import { FlowSink } from '../lib/store/sink';
import { testConfig } from '../test/support';
import { kernelSocketCounters, startCollectors, statusLine, type Collectors } from '.';
import { ByteWriter, ipfixMessage, ipfixTemplateRecord, netflow5Packet } from './testing/exports';
import { have, softflowd, tempDir } from './testing/exporters';
import { standardTraffic } from './testing/traffic';

const log = createLogger('silent');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function setup(collect: Partial<ReturnType<typeof testConfig>['collect']> = {}) {
  const config = testConfig();
  config.collect = { ...config.collect, listen: '127.0.0.1', netflowPort: 2055, ipfixPort: 4739, sflowPort: 6343, ...collect };
  const store = await Store.open(config);
  const sink = new FlowSink(store, { maxDelayMs: 100 });
  const collectors = await startCollectors(config, sink, log, { ephemeralPorts: true });
  cleanups.push(async () => {
    await collectors.close();
    await sink.close();
    await store.close();
  });
  const port = (kind: string) => collectors.listeners.find((l) => l.kind === kind)!.port;
  return { config, store, sink, collectors, port };
}

async function sendAll(port: number, datagrams: Uint8Array[], gapMs = 0) {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  for (const d of datagrams) {
    await new Promise<void>((resolve, reject) => s.send(d, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  await new Promise<void>((r) => s.close(() => r()));
}

async function until(cond: () => boolean, ms = 5000) {
  const t0 = Date.now();
  while (!cond() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 25));
}

describe.runIf(have('softflowd'))('UDP listeners into ClickHouse', () => {
  it('stores softflowd NetFlow v9 and IPFIX exports with client/server orientation, and rolls them up on the server port', async () => {
    const { store, sink, collectors, port } = await setup();
    const dir = tempDir('listener');
    const traffic = standardTraffic(Date.now() - 60_000);
    traffic.write(`${dir}/t.pcap`);
    await softflowd(`${dir}/t.pcap`, port('netflow'), 9);
    await softflowd(`${dir}/t.pcap`, port('ipfix'), 10);
    await until(() => collectors.exporters().reduce((a, e) => a + e.records, 0) >= 2 * traffic.flows.size);
    await sink.flush();

    const rows = await store.rows<{ kind: string; n: number }>(`SELECT source_kind AS kind, count() AS n FROM ${store.t('flows')} GROUP BY kind ORDER BY kind`);
    expect(rows).toEqual([
      { kind: 'ipfix', n: traffic.flows.size },
      { kind: 'netflow9', n: traffic.flows.size },
    ]);
    // Both directions of the HTTPS connection: the server is 10.1.2.20:443 either way.
    const https = await store.rows<{ src: string; server_side: string; orientation: string; bytes: number; exporter: string }>(
      `SELECT IPv6NumToString(src_addr) AS src, server_side, orientation, bytes, exporter FROM ${store.t('flows')} WHERE source_kind = 'ipfix' AND (src_port = 443 OR dst_port = 443) ORDER BY src`,
    );
    expect(https).toEqual([
      { src: '::ffff:10.1.1.10', server_side: 'dst', orientation: 'port', bytes: 640, exporter: '127.0.0.1' },
      { src: '::ffff:10.1.2.20', server_side: 'src', orientation: 'port', bytes: 2600, exporter: '127.0.0.1' },
    ]);
    // The scan probe (SYN, no answer) is oriented by its flags and counted as unanswered.
    const conv = await store.rows<{ client: string; server: string; port: number; flows: number; c2s: number; s2c: number; unanswered: number }>(
      `SELECT IPv6NumToString(client_addr) AS client, IPv6NumToString(server_addr) AS server, server_port AS port, sum(flows) AS flows,
              sum(bytes_c2s) AS c2s, sum(bytes_s2c) AS s2c, sum(unanswered_flows) AS unanswered
         FROM ${store.t('conversations_hourly')} WHERE server_port IN (443, 23) GROUP BY client, server, port ORDER BY port`,
    );
    expect(conv).toEqual([
      { client: '::ffff:10.1.1.66', server: '::ffff:10.1.2.20', port: 23, flows: 2, c2s: 80, s2c: 0, unanswered: 2 },
      { client: '::ffff:10.1.1.10', server: '::ffff:10.1.2.20', port: 443, flows: 4, c2s: 1280, s2c: 5200, unanswered: 0 },
    ]);

    const stats = collectors.exporters();
    expect(stats.map((e) => [e.exporter, e.version, e.records, e.decodeErrors, e.droppedRecords])).toEqual([
      ['127.0.0.1', 'ipfix', traffic.flows.size, 0, 0],
      ['127.0.0.1', 'netflow9', traffic.flows.size, 0, 0],
    ]);
    expect(stats.every((e) => e.templates > 0 && e.activeTemplates > 0 && e.datagrams > 0)).toBe(true);
    const status = collectors.status();
    expect(status.listeners.map((l) => l.kind)).toEqual(['netflow', 'ipfix', 'sflow']);
    // Linux shows each socket's drops in /proc/net/udp.
    for (const l of status.listeners) expect(l.kernelDrops).toBe(0);
    expect(statusLine(status, null, 0)).toMatch(
      new RegExp(`^flows 0/s \\| exporters 1 \\| datagrams \\d+ \\| records ${2 * traffic.flows.size} \\| decode errors 0 \\| no template 0 \\| exporter-reported loss 0 \\| dropped by us 0 \\| quarantined \\(time\\) 0 \\| kernel drops 0$`),
    );
  });
});

describe('UDP listeners', () => {
  it('refuses exporters outside the allow-list and counts them', async () => {
    const { collectors, port } = await setup({ allow: ['10.0.0.0/8'] });
    await sendAll(port('ipfix'), [ipfixMessage({ exportTime: 1, sequence: 0, domain: 0, sets: [] })]);
    await until(() => Object.keys(collectors.refused()).length > 0);
    expect(collectors.refused()).toEqual({ '127.0.0.1': 1 });
    expect(collectors.exporters()).toEqual([]);
  });

  it('holds data sent before its template, and counts what never got one when it shuts down', async () => {
    const { store, sink, collectors, port } = await setup();
    const now = Math.floor(Date.now() / 1000);
    const data = new ByteWriter().ip4('10.5.0.1').ip4('10.5.0.2').u16(50000).u16(443).u8(6).u32(1200).u32(3).done();
    const tpl = new ByteWriter();
    ipfixTemplateRecord(tpl, 300, [[8, 4], [12, 4], [7, 2], [11, 2], [4, 1], [1, 4], [2, 4]]);
    await sendAll(port('ipfix'), [
      ipfixMessage({ exportTime: now, sequence: 0, domain: 5, sets: [{ id: 300, body: data }] }),
      ipfixMessage({ exportTime: now, sequence: 1, domain: 5, sets: [{ id: 2, body: tpl.done() }] }),
      // template 301 never comes
      ipfixMessage({ exportTime: now, sequence: 1, domain: 5, sets: [{ id: 301, body: data }] }),
    ], 50);
    await until(() => collectors.exporters()[0]?.records === 1);
    expect(collectors.exporters()[0]).toMatchObject({ version: 'ipfix', records: 1, waitingForTemplate: 1, noTemplateDrops: 0 });
    await collectors.close();
    await sink.flush();
    expect(collectors.exporters()[0]).toMatchObject({ noTemplateDrops: 1 });
    const [row] = await store.rows<{ n: number; bytes: number }>(`SELECT count() AS n, sum(bytes) AS bytes FROM ${store.t('flows')}`);
    expect(row).toEqual({ n: 1, bytes: 1200 });
  });

  it('drops and counts per exporter when the store falls behind, and stores the rest', async () => {
    const config = testConfig();
    config.collect = { ...config.collect, listen: '127.0.0.1', netflowPort: 2055, ipfixPort: 0, sflowPort: 0 };
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stored: number[] = [];
    const sink = new FlowSink({ insertFlows: async (r) => void (await gate, stored.push(r.length)) }, { maxBatch: 5, maxDelayMs: 10, dropAbove: 10 });
    const collectors = await startCollectors(config, sink, log, { ephemeralPorts: true });
    const now = Math.floor(Date.now() / 1000);
    const records = Array.from({ length: 5 }, (_, i) => ({ src: `10.6.0.${i}`, dst: '10.6.1.1', packets: 1, bytes: 60, first: 0, last: 0, srcPort: 40000 + i, dstPort: 80, protocol: 6 }));
    await sendAll(collectors.listeners[0]!.port, [0, 5, 10, 15, 20].map((seq) => netflow5Packet({ sysUptime: 1000, unixSecs: now, sequence: seq, records })), 20);
    await until(() => (collectors.exporters()[0]?.datagrams ?? 0) === 5);
    expect(collectors.exporters()[0]).toMatchObject({ records: 25, droppedRecords: 15 });
    expect(sink.stats()).toMatchObject({ dropped: 15 });
    release();
    await collectors.close();
    await sink.close();
    expect(stored.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('reads kernel counters of its own sockets', async () => {
    const { collectors } = await setup();
    const c: Collectors = collectors;
    const k = kernelSocketCounters(c.listeners[0]!.port);
    expect(k).toEqual({ drops: 0, rxQueue: 0 });
    expect(kernelSocketCounters(1)).toBeNull();
  });
});
