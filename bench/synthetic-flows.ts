// Deterministic synthetic flow records for benchmarks: clients talking to servers on a handful
// of service ports, in time order over a window (a day by default). Not an estate (see the demo generator for that);
// just realistic columns and cardinalities for measuring the write path.
import type { FlowRecord } from '../lib/flow/record';

/** Small, fast, seedable PRNG (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PORTS = [443, 80, 5432, 3306, 6379, 9092, 53, 123, 22, 8080, 8443, 389];

export function syntheticFlows(n: number, opts: { seed?: number; start?: number; spanMs?: number; clients?: number; servers?: number } = {}): FlowRecord[] {
  const rand = rng(opts.seed ?? 1);
  const start = opts.start ?? Date.UTC(2026, 0, 1);
  const span = opts.spanMs ?? 24 * 3600 * 1000;
  const clients = opts.clients ?? 5000;
  const servers = opts.servers ?? 500;
  const out: FlowRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    // Each client talks to a fixed handful of servers, as workloads do: conversations repeat.
    const c = Math.floor(rand() * clients);
    const s = (c * 7 + Math.floor(rand() * 8) * 131) % servers;
    const port = PORTS[s % PORTS.length]!;
    // In time order, as a collector or a log file delivers them.
    const t = start + Math.floor((i / n) * span + rand() * 1000);
    const udp = port === 53 || port === 123;
    out[i] = {
      start: t,
      end: t + Math.floor(rand() * 30_000),
      srcAddr: `10.${16 + (c >> 16)}.${(c >> 8) & 255}.${c & 255}`,
      dstAddr: `10.200.${(s >> 8) & 255}.${s & 255}`,
      srcPort: 32768 + Math.floor(rand() * 28000),
      dstPort: port,
      protocol: udp ? 17 : 6,
      bytes: 64 + Math.floor(rand() * 100_000),
      packets: 1 + Math.floor(rand() * 100),
      tcpFlags: udp ? 0 : 0x1b,
      serverSide: 'dst',
      orientation: 'port',
      sourceKind: 'ipfix',
      exporter: `192.0.2.${1 + (c % 4)}`,
      observationDomain: 0,
      samplingRate: 1,
    };
  }
  return out;
}
