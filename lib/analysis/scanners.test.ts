// Sweeps told apart from fan-out by behaviour, on real stores: a vulnerability scanner whose
// probes mostly answer, a ping sweep over used and dark addresses, and the legitimate fan-out that
// must stay dependencies (monitoring all day, backups every night, automation over SSH every
// night, everyone using DNS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import type { FlowRecord } from '../flow/record';
import { applyInventory } from '../inventory/apply';
import { openRuntime, type Runtime } from '../runtime';
import { analyze } from './analyze';
import type { AnalysisResult } from './types';

const H = 3_600_000;
const T0 = Date.UTC(2026, 4, 4); // a Monday; window of two weeks
const DAYS = 14;
const HOSTS = 24;
const host = (i: number) => `10.7.0.${i + 1}`;
const SCAN_PORTS = [21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 443, 445, 1433, 3306, 3389, 5432, 5900, 8080, 8443, 9200];

function flow(src: string, dst: string, dport: number, at: number, o: Partial<FlowRecord> = {}): FlowRecord {
  return {
    start: at, end: at + 1_000, srcAddr: src, dstAddr: dst, srcPort: 40_000 + (at % 20_000), dstPort: dport, protocol: 6,
    bytes: 800, packets: 6, revBytes: 3_000, revPackets: 5, tcpFlags: 0x1b, serverSide: 'dst', orientation: 'tcp-flags',
    sourceKind: 'ipfix', exporter: '192.0.2.7', samplingRate: 1, ...o,
  };
}

describe('scanners by behaviour', () => {
  let rt: Runtime;
  let r: AnalysisResult;
  const id = (name: string) => r.workloads.find((w) => w.name === name)!.id;
  const edgesFrom = (name: string) => r.edges.filter((e) => e.from === id(name));

  beforeAll(async () => {
    rt = await openRuntime(testConfig());
    const w = (name: string, ip: string) => ({ name, labels: {}, addresses: [{ ip, from: new Date(T0 - 30 * 24 * H), to: null }] });
    await applyInventory(
      rt.db.prisma,
      rt.store,
      [
        ...Array.from({ length: HOSTS }, (_, i) => w(`srv-${i}`, host(i))),
        w('scan-01', '10.7.9.1'),
        w('mon-01', '10.7.9.2'),
        w('backup-01', '10.7.9.3'),
        w('ansible-01', '10.7.9.4'),
        w('dns-01', '10.7.9.5'),
        w('ipam-01', '10.7.9.6'),
      ],
      { source: 'test', at: new Date(T0 + DAYS * 24 * H) },
    );
    const flows: FlowRecord[] = [];
    for (let d = 0; d < DAYS; d++) {
      const day = T0 + d * 24 * H;
      for (let i = 0; i < HOSTS; i++) {
        // every host asks DNS every hour; the monitoring server scrapes and pings every host every hour
        for (let h = 0; h < 24; h++) {
          flows.push(flow(host(i), '10.7.9.5', 53, day + h * H + i * 1_000, { protocol: 17, tcpFlags: 0, orientation: 'port' }));
          flows.push(flow('10.7.9.2', host(i), 9100, day + h * H + i * 1_000));
          flows.push(flow('10.7.9.2', host(i), 2048, day + h * H + i * 1_000 + 500, { protocol: 1, tcpFlags: 0, orientation: 'port' }));
        }
        // backups every night, automation over SSH every night
        flows.push(flow('10.7.9.3', host(i), 10_000, day + 1 * H + i * 1_000), flow('10.7.9.3', host(i), 10_000, day + 2 * H + i * 1_000));
        flows.push(flow('10.7.9.4', host(i), 22, day + 3 * H + i * 1_000));
      }
      // the scanner's own lookups, all day
      for (let h = 0; h < 24; h++) flows.push(flow('10.7.9.1', '10.7.9.5', 53, day + h * H, { protocol: 17, tcpFlags: 0, orientation: 'port' }));
      // Wednesday night: the scanner sweeps 20 ports of every host; most answer (open or reset)
      if (d % 7 === 2) {
        for (let i = 0; i < HOSTS; i++) {
          for (const [k, p] of SCAN_PORTS.entries()) {
            const reset = k % 5 !== 0;
            flows.push(flow('10.7.9.1', host(i), p, day + 22 * H + i * 10_000 + k, reset ? { tcpFlags: 0x02, revPackets: 1, revBytes: 40, packets: 1, bytes: 60 } : {}));
          }
        }
      }
      // Thursday: the IPAM pings every address of the /24 for a few minutes, most of them dark
      if (d % 7 === 3) {
        for (let a = 1; a < 120; a++) {
          const used = a <= HOSTS;
          flows.push(flow('10.7.9.6', `10.7.0.${a}`, 2048, day + 10 * H + a * 1_000, { protocol: 1, tcpFlags: 0, orientation: 'port', revPackets: used ? 1 : 0, revBytes: used ? 84 : 0 }));
        }
      }
    }
    for (let i = 0; i < flows.length; i += 5_000) if (!rt.sink.write(flows.slice(i, i + 5_000))) await rt.sink.drain();
    await rt.sink.flush();
    r = await analyze(rt, { from: new Date(T0), to: new Date(T0 + DAYS * 24 * H) });
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('finds a port sweep whose probes mostly answer, and keeps its own DNS as an edge marked fromScanner', () => {
    const s = r.coverage.excluded.scanners.find((x) => x.name === 'scan-01')!;
    expect(s).toMatchObject({ reason: 'port-sweep', scope: 'source', hosts: HOSTS, ports: SCAN_PORTS.length, targets: HOSTS * SCAN_PORTS.length });
    expect(s.failedRatio).toBeLessThan(0.5);
    expect(edgesFrom('scan-01').map((e) => `${e.to === id('dns-01') ? 'dns-01' : e.to} ${e.port} ${e.fromScanner}`)).toEqual(['dns-01 53 true']);
    expect(r.workloads.find((w) => w.name === 'scan-01')).toMatchObject({ scanner: true, role: 'scanner' });
  });

  it('finds a ping sweep over used and dark addresses', () => {
    const s = r.coverage.excluded.scanners.find((x) => x.name === 'ipam-01')!;
    expect(s).toMatchObject({ reason: 'ping-sweep', hosts: 119 });
    expect(edgesFrom('ipam-01')).toEqual([]);
  });

  it('keeps monitoring, backups, automation and DNS as dependencies', () => {
    expect(r.coverage.excluded.scanners.map((x) => x.name).sort()).toEqual(['ipam-01', 'scan-01']);
    expect(edgesFrom('mon-01')).toHaveLength(HOSTS * 2);
    expect(edgesFrom('backup-01')).toHaveLength(HOSTS);
    expect(edgesFrom('ansible-01')).toHaveLength(HOSTS);
    expect(r.edges.filter((e) => e.to === id('dns-01') && !e.fromScanner)).toHaveLength(HOSTS);
    for (const n of ['mon-01', 'backup-01', 'ansible-01']) expect(edgesFrom(n).every((e) => !e.fromScanner), n).toBe(true);
  });
});
