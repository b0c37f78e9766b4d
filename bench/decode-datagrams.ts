// Export datagrams for the decode and collect benchmarks: router-like NetFlow v9 and IPFIX
// templates (the fields a Cisco or Juniper flow record carries), NetFlow v5, and sFlow with
// 128-byte sampled headers, each datagram about 1,400 bytes. Flows are 5,000 clients talking to
// 500 servers on service ports, from a seeded generator. `stamp` writes a datagram's sequence
// number and export time in place, so a sender can replay a pool with consistent headers.
import { ByteWriter, ipfixMessage, ipfixTemplateRecord, netflow5Packet, netflow9Packet, netflow9TemplateRecord, sflowDatagram, type FieldDef } from '../collectors/testing/exports';
import { ethernetFrame, ipv4Packet, TCP_ACK, TCP_PSH } from '../collectors/testing/traffic';

export type BenchProtocol = 'netflow5' | 'netflow9' | 'ipfix' | 'sflow5';

export interface BenchDatagrams {
  protocol: BenchProtocol;
  /** send first (and now and then again, as exporters do) */
  templates: Uint8Array[];
  datagrams: Uint8Array[];
  recordsPerDatagram: number;
  /** what the protocol's sequence number counts: datagrams (v9, sFlow) or records (v5 flows, IPFIX data records) */
  sequenceUnit: 'datagrams' | 'records';
  /** write a sequence number and the export time into a datagram (data or template), in place */
  stamp(d: Uint8Array, sequence: number, nowMs: number): void;
}

const V9_FIELDS: FieldDef[] = [[8, 4], [12, 4], [15, 4], [10, 2], [14, 2], [2, 4], [1, 4], [22, 4], [21, 4], [7, 2], [11, 2], [6, 1], [4, 1], [5, 1], [16, 2], [17, 2], [9, 1], [13, 1]];
const IPFIX_FIELDS: FieldDef[] = [[8, 4], [12, 4], [7, 2], [11, 2], [4, 1], [6, 1], [1, 8], [2, 8], [152, 8], [153, 8], [10, 4], [14, 4], [61, 1], [5, 1]];
const SERVICE_PORTS = [443, 80, 5432, 3306, 6379, 8080, 9092, 53, 22, 389, 636, 2049];

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

interface Flow {
  client: string;
  server: string;
  cport: number;
  sport: number;
  proto: number;
  packets: number;
  bytes: number;
}

function flows(n: number, seed = 1): Flow[] {
  const rand = rng(seed);
  const out: Flow[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * 5000);
    const s = Math.floor(rand() * 500);
    const sport = SERVICE_PORTS[s % SERVICE_PORTS.length]!;
    const packets = 1 + Math.floor(rand() * 40);
    out.push({ client: `10.${1 + (c >> 8)}.${c & 255}.${1 + (c % 250)}`, server: `10.200.${s >> 8}.${1 + (s & 255)}`, cport: 32768 + Math.floor(rand() * 28000), sport, proto: sport === 53 ? 17 : 6, packets, bytes: packets * (60 + Math.floor(rand() * 1400)) });
  }
  return out;
}

export function flowDatagrams(protocol: BenchProtocol, opts: { datagrams: number; flows: number; seed?: number }): BenchDatagrams {
  const fs = flows(opts.flows, opts.seed);
  let f = 0;
  const next = () => fs[f++ % fs.length]!;
  const now = Math.floor(Date.now() / 1000);
  const datagrams: Uint8Array[] = [];
  if (protocol === 'netflow9') {
    const per = 30;
    const t = new ByteWriter();
    netflow9TemplateRecord(t, 260, V9_FIELDS);
    for (let d = 0; d < opts.datagrams; d++) {
      const w = new ByteWriter();
      for (let i = 0; i < per; i++) {
        const x = next();
        w.ip4(x.client).ip4(x.server).ip4('10.255.0.1').u16(3).u16(4).u32(x.packets).u32(x.bytes).u32(3_590_000).u32(3_599_000).u16(x.cport).u16(x.sport).u8(0x1b).u8(x.proto).u8(0).u16(64512).u16(64513).u8(16).u8(24);
      }
      datagrams.push(netflow9Packet({ sysUptime: 3_600_000, unixSecs: now, sequence: d, sourceId: 1, count: per, sets: [{ id: 260, body: w.done() }] }));
    }
    const templates = [netflow9Packet({ sysUptime: 3_600_000, unixSecs: now, sequence: 0, sourceId: 1, sets: [{ id: 0, body: t.done() }] })];
    return {
      protocol, templates, datagrams, recordsPerDatagram: per, sequenceUnit: 'datagrams',
      stamp(b, seq, ms) {
        setU32(b, 8, Math.floor(ms / 1000));
        setU32(b, 12, seq >>> 0);
      },
    };
  }
  if (protocol === 'ipfix') {
    const per = 24;
    const t = new ByteWriter();
    ipfixTemplateRecord(t, 300, IPFIX_FIELDS);
    const nowMs = now * 1000;
    for (let d = 0; d < opts.datagrams; d++) {
      const w = new ByteWriter();
      for (let i = 0; i < per; i++) {
        const x = next();
        w.ip4(x.client).ip4(x.server).u16(x.cport).u16(x.sport).u8(x.proto).u8(0x1b).u64(x.bytes).u64(x.packets).u64(nowMs - 10_000).u64(nowMs - 1_000).u32(3).u32(4).u8(0).u8(0);
      }
      datagrams.push(ipfixMessage({ exportTime: now, sequence: d * per, domain: 1, sets: [{ id: 300, body: w.done() }] }));
    }
    return {
      protocol, templates: [ipfixMessage({ exportTime: now, sequence: 0, domain: 1, sets: [{ id: 2, body: t.done() }] })], datagrams, recordsPerDatagram: per, sequenceUnit: 'records',
      stamp(b, seq, ms) {
        setU32(b, 4, Math.floor(ms / 1000));
        setU32(b, 8, seq >>> 0);
      },
    };
  }
  if (protocol === 'netflow5') {
    const per = 30;
    for (let d = 0; d < opts.datagrams; d++) {
      const records = Array.from({ length: per }, () => {
        const x = next();
        return { src: x.client, dst: x.server, packets: x.packets, bytes: x.bytes, first: 3_590_000, last: 3_599_000, srcPort: x.cport, dstPort: x.sport, protocol: x.proto, tcpFlags: 0x1b };
      });
      datagrams.push(netflow5Packet({ sysUptime: 3_600_000, unixSecs: now, sequence: d * per, records }));
    }
    return {
      protocol, templates: [], datagrams, recordsPerDatagram: per, sequenceUnit: 'records',
      stamp(b, seq, ms) {
        setU32(b, 8, Math.floor(ms / 1000));
        setU32(b, 16, seq >>> 0);
      },
    };
  }
  const per = 7;
  for (let d = 0; d < opts.datagrams; d++) {
    const samples = Array.from({ length: per }, (_, i) => {
      const x = next();
      const frame = ethernetFrame(ipv4Packet(x.client, x.server, { protocol: 6, srcPort: x.cport, dstPort: x.sport, tcpFlags: TCP_PSH | TCP_ACK, payload: 74 }), { vlan: 100 });
      return { sequence: d * per + i, samplingRate: 1024, input: 3, output: 4, header: { protocol: 1, frameLength: 1500, bytes: frame.subarray(0, 128) } };
    });
    datagrams.push(sflowDatagram({ agent: '192.0.2.1', sequence: d, samples }));
  }
  return {
    protocol, templates: [], datagrams, recordsPerDatagram: per, sequenceUnit: 'datagrams',
    stamp(b, seq) {
      setU32(b, 16, seq >>> 0);
    },
  };
}

function setU32(b: Uint8Array, o: number, v: number) {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.error('decode-datagrams builds the datagrams of the decode and collect benchmarks: run `npm run bench -- decode` or `npm run bench -- collect`.');
  process.exit(2);
}
