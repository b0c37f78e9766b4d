// Robustness: truncated, oversized, random and mutated datagrams of all four protocols, at least
// 100,000 per run (bounded in time), must never throw out of the decoder or stall it, must be
// reported as errors, and must leave the decoder's state within its limits. Then the same
// abuse through a live UDP listener, which must keep decoding good datagrams and count the bad
// ones against their exporter.
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config';
import { FlowSink } from '../lib/store/sink';
import { startCollectors } from '.';
import { decode, DecoderState } from './flowdecode';
import { FlowNormalizer } from './normalize';
import { readCapture } from './pcap';
import { ByteWriter, ipfixMessage, ipfixTemplateRecord, netflow5Packet, netflow9Packet, netflow9TemplateRecord, sflowDatagram } from './testing/exports';
import { ethernetFrame, ipv4Packet, ipv6Packet } from './testing/traffic';

/** mulberry32: a small seeded generator, so a failing run can be repeated from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0 = Date.UTC(2026, 0, 1);

function seeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  out.push(netflow5Packet({ sysUptime: 5000, unixSecs: T0 / 1000, sequence: 1, records: Array.from({ length: 5 }, (_, i) => ({ src: `10.0.0.${i}`, dst: '10.0.1.1', packets: i + 1, bytes: 100 * i, first: 1000, last: 4000, srcPort: 1000 + i, dstPort: 80, protocol: 6 })) }));
  const t9 = new ByteWriter();
  netflow9TemplateRecord(t9, 256, [[8, 4], [12, 4], [7, 2], [11, 2], [4, 1], [1, 4], [2, 4], [22, 4], [21, 4], [48, 1]]);
  const d9 = new ByteWriter();
  for (let i = 0; i < 4; i++) d9.ip4(`10.0.0.${i}`).ip4('10.0.2.2').u16(5000).u16(53).u8(17).u32(100).u32(1).u32(1000).u32(2000).u8(1);
  const o9 = new ByteWriter().u16(300).u16(4).u16(8).u16(1).u16(4).u16(48).u16(1).u16(34).u16(4);
  const od9 = new ByteWriter().u32(0).u8(1).u32(100);
  out.push(netflow9Packet({ sysUptime: 9000, unixSecs: T0 / 1000, sequence: 1, sourceId: 7, sets: [{ id: 0, body: t9.done() }, { id: 1, body: o9.done() }, { id: 300, body: od9.done() }, { id: 256, body: d9.done() }] }));
  const tf = new ByteWriter();
  ipfixTemplateRecord(tf, 400, [[8, 4], [12, 4], [7, 2], [11, 2], [4, 1], [1, 8], [2, 8], [152, 8], [153, 8], [898, 65535, 6876], [1, 4, 29305], [82, 65535], [315, 65535]]);
  const ot = new ByteWriter();
  ipfixTemplateRecord(ot, 401, [[143, 4], [160, 8], [305, 4], [306, 4]], 1);
  const frame = ethernetFrame(ipv4Packet('192.0.2.1', '192.0.2.2', { protocol: 6, srcPort: 1, dstPort: 2, tcpFlags: 2, payload: 10 }), { vlan: 5 });
  const df = new ByteWriter();
  for (let i = 0; i < 3; i++) df.ip4('10.0.0.1').ip4('10.0.0.2').u16(1).u16(2).u8(6).u64(1000).u64(10).u64(T0).u64(T0 + 5).varlen(new TextEncoder().encode('obs')).u32(5).varlen(new TextEncoder().encode('eth0')).varlen(frame);
  out.push(ipfixMessage({ exportTime: T0 / 1000, sequence: 1, domain: 3, sets: [{ id: 2, body: tf.done() }, { id: 3, body: ot.done() }, { id: 401, body: new ByteWriter().u32(1).u64(T0).u32(1).u32(0).done() }, { id: 400, body: df.done() }] }));
  const v6 = ethernetFrame(ipv6Packet('2001:db8::1', '2001:db8::2', { protocol: 17, srcPort: 1, dstPort: 2, payload: 8 }));
  out.push(sflowDatagram({ agent: '192.0.2.9', sequence: 1, samples: [{ sequence: 1, samplingRate: 100, header: { protocol: 1, frameLength: 80, bytes: frame } }, { sequence: 2, samplingRate: 100, expanded: true, header: { protocol: 1, frameLength: 90, bytes: v6 }, switchVlan: { src: 3, dst: 4 } }, { counters: true, sequence: 1 }] }));
  return out;
}

async function interopSeeds(): Promise<Uint8Array[]> {
  const dir = resolve(import.meta.dirname, '../../shared/testdata/interop');
  if (!existsSync(dir)) return [];
  const out: Uint8Array[] = [];
  const { readdirSync } = await import('node:fs');
  for (const sub of ['netflow', 'sflow']) {
    for (const f of readdirSync(`${dir}/${sub}`).filter((x) => x.endsWith('.pcap'))) {
      for await (const d of readCapture(`${dir}/${sub}/${f}`)) out.push(Uint8Array.from(d.payload));
    }
  }
  return out;
}

function mutate(seed: Uint8Array, rand: () => number): Uint8Array {
  const pick = Math.floor(rand() * 8);
  const b = Uint8Array.from(seed);
  switch (pick) {
    case 0: // truncated
      return b.subarray(0, Math.floor(rand() * b.length));
    case 1: // bit flips
      for (let i = 0, n = 1 + Math.floor(rand() * 8); i < n; i++) b[Math.floor(rand() * b.length)]! ^= 1 << Math.floor(rand() * 8);
      return b;
    case 2: {
      // a 16- or 32-bit field (lengths, counts, ids) set to an extreme
      const o = Math.floor(rand() * Math.max(1, b.length - 4));
      const v = [0, 0xff, 0x7f, 0x80, 1][Math.floor(rand() * 5)]!;
      for (let i = 0; i < (rand() < 0.5 ? 2 : 4); i++) b[o + i] = v;
      return b;
    }
    case 3: {
      // oversized: garbage appended up to a full UDP datagram
      const extra = new Uint8Array(Math.floor(rand() * (65507 - b.length)));
      for (let i = 0; i < extra.length; i += 97) extra[i] = Math.floor(rand() * 256);
      const out = new Uint8Array(b.length + extra.length);
      out.set(b);
      out.set(extra, b.length);
      return out;
    }
    case 4: {
      // random bytes behind a valid version header
      const out = new Uint8Array(4 + Math.floor(rand() * 1500));
      for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
      out.set(b.subarray(0, 4));
      return out;
    }
    case 5: {
      // a region repeated (templates and sets duplicated, lengths off)
      const from = Math.floor(rand() * b.length);
      const len = Math.floor(rand() * (b.length - from));
      const out = new Uint8Array(b.length + len);
      out.set(b.subarray(0, from + len));
      out.set(b.subarray(from), from + len);
      return out;
    }
    case 6: {
      // pure noise
      const out = new Uint8Array(Math.floor(rand() * 2000));
      for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
      return out;
    }
    default: // as is (keeps templates flowing so data sets get decoded too)
      return b;
  }
}

describe('fuzzing the decoders', () => {
  it('100,000+ mutated datagrams: nothing thrown, errors reported, no stalls, state within its limits', async () => {
    const base = [...seeds(), ...(await interopSeeds())];
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const rand = rng(seed);
    const state = new DecoderState({ maxSessions: 50, maxTemplatesPerDomain: 64, pendingMaxBytes: 64 * 1024 });
    const normalizer = new FlowNormalizer();
    const target = 100_000;
    const deadline = Date.now() + 60_000;
    let n = 0;
    let withErrors = 0;
    let records = 0;
    let slowest = 0;
    const internal: string[] = [];
    while (n < target && Date.now() < deadline) {
      const d = mutate(base[Math.floor(rand() * base.length)]!, rand);
      // A few exporters, several ports: sessions churn and stay bounded.
      const src = { address: `192.0.2.${n % 7}`, port: 40000 + (n % 13), receivedAt: T0 + n };
      const t0 = performance.now();
      const r = decode(d, src, state);
      const dt = performance.now() - t0;
      if (dt > slowest) slowest = dt;
      for (const e of r.errors) {
        expect(typeof e.message === 'string' && e.message.length > 0).toBe(true);
        if (e.code === 'internal' && internal.length < 5) internal.push(`seed ${seed} datagram ${n}: ${e.message}`);
      }
      if (r.errors.length) withErrors++;
      for (const f of r.records) {
        const rec = normalizer.toRecord(f);
        if (!Number.isFinite(rec.start) || !Number.isFinite(rec.bytes) || typeof rec.srcAddr !== 'string') throw new Error(`seed ${seed} datagram ${n}: odd record ${JSON.stringify(f)}`);
        records++;
      }
      n++;
      if (n % 10_000 === 0) state.expire(T0 + n);
    }
    expect(n, `only ${n} datagrams within the time bound`).toBeGreaterThanOrEqual(target);
    expect(internal, `decoder bugs (seed ${seed})`).toEqual([]);
    expect(withErrors).toBeGreaterThan(n / 4);
    expect(records).toBeGreaterThan(1000);
    expect(slowest, 'slowest datagram, ms').toBeLessThan(250);
    expect(state.sessions.size).toBeLessThanOrEqual(50);
    for (const s of state.sessions.values()) {
      for (const dom of s.domains.values()) {
        expect(dom.templates.size).toBeLessThanOrEqual(64);
        expect(dom.pendingBytes).toBeLessThanOrEqual(64 * 1024);
      }
    }
  }, 90_000);
});

describe('a live listener under abuse', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of closers) await c();
  });

  it('keeps decoding good datagrams between thousands of bad ones and counts the bad ones for their exporter', async () => {
    const config = loadConfig({ env: { BULKHEAD_LOG_LEVEL: 'silent' }, overrides: { collect: { listen: '127.0.0.1', netflowPort: 2055, ipfixPort: 0, sflowPort: 0 } } });
    const written: number[] = [];
    const sink = new FlowSink({ insertFlows: async (r) => void written.push(r.length) }, { maxDelayMs: 50 });
    const { createLogger } = await import('../lib/log');
    const collectors = await startCollectors(config, sink, createLogger('silent'), { ephemeralPorts: true });
    closers.push(() => collectors.close());
    const port = collectors.listeners[0]!.port;
    const client = createSocket('udp4');
    closers.push(() => new Promise((r) => client.close(() => r())));
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    const send = (b: Uint8Array) => new Promise<void>((resolve, reject) => client.send(b, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    const rand = rng(7);
    const base = seeds();
    const good = base[0]!; // NetFlow v5, five records
    let sentGood = 0;
    for (let i = 0; i < 5000; i++) {
      const bad = mutate(base[i % base.length]!, rand);
      await send(bad.length ? bad : new Uint8Array([0]));
      if (i % 500 === 0) {
        await send(good);
        sentGood++;
      }
      if (i % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    await send(good);
    sentGood++;
    const t0 = Date.now();
    const exporter = () => collectors.exporters().filter((e) => e.exporter === '127.0.0.1');
    const arrived = () => exporter().reduce((a, e) => a + e.datagrams, 0) + (collectors.status().listeners[0]!.kernelDrops ?? 0);
    while (Date.now() - t0 < 10_000 && arrived() < 5000 + sentGood) await new Promise((r) => setTimeout(r, 50));
    await sink.flush();
    const stats = exporter();
    const datagrams = stats.reduce((a, e) => a + e.datagrams, 0);
    // Loopback under this load can drop in the kernel; everything that arrived was handled.
    const kernelDrops = collectors.status().listeners[0]!.kernelDrops ?? 0;
    expect(datagrams + kernelDrops).toBeGreaterThanOrEqual(5000 + sentGood);
    expect(stats.reduce((a, e) => a + e.decodeErrors, 0)).toBeGreaterThan(1000);
    expect(stats.find((e) => e.version === 'netflow5')!.records).toBeGreaterThanOrEqual(5 * sentGood - 5 * kernelDrops);
    expect(written.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const e of stats) if (e.decodeErrors) expect(e.lastError).toBeTruthy();
  }, 60_000);
});
