// `bulkhead decode` and `bulkhead ingest pcap` on captures written by the test: templates in one
// file and data in the next, classic pcap and pcapng, into a fresh embedded store.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ByteWriter, ipfixMessage, ipfixTemplateRecord, netflow5Packet } from '../../collectors/testing/exports';
import { have, run } from '../../collectors/testing/exporters';
import { datagramFrame, writePcap } from '../../collectors/testing/traffic';
import { loadConfig } from '../../lib/config';
import { Store } from '../../lib/store';
import { bufferIO } from '../io';
import { runCli } from '../main';

const T = Date.UTC(2026, 2, 1, 8, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-decode-'));

function captures() {
  const tpl = new ByteWriter();
  ipfixTemplateRecord(tpl, 256, [[8, 4], [12, 4], [7, 2], [11, 2], [4, 1], [6, 1], [2, 8], [1, 8], [152, 8], [153, 8], [951, 65535, 6876], [954, 1, 6876]]);
  const data = new ByteWriter();
  data.ip4('10.7.0.1').ip4('10.7.0.2').u16(51515).u16(5432).u8(6).u8(0x1b).u64(12).u64(3400).u64(T + 10).u64(T + 2010).varlen(new TextEncoder().encode('vm-42')).u8(1);
  data.ip4('10.7.0.2').ip4('10.7.0.1').u16(5432).u16(51515).u8(6).u8(0x1b).u64(10).u64(9000).u64(T + 20).u64(T + 2000).varlen(new TextEncoder().encode('vm-42')).u8(0);
  const templates = join(dir, 'templates.pcap');
  const records = join(dir, 'data.pcap');
  writePcap(templates, [{ time: T + 5000, frame: datagramFrame('192.0.2.77', 51000, '192.0.2.1', 4739, ipfixMessage({ exportTime: (T + 5000) / 1000, sequence: 0, domain: 17, sets: [{ id: 2, body: tpl.done() }] })) }]);
  writePcap(records, [
    { time: T + 6000, frame: datagramFrame('192.0.2.77', 51000, '192.0.2.1', 4739, ipfixMessage({ exportTime: (T + 6000) / 1000, sequence: 0, domain: 17, sets: [{ id: 256, body: data.done() }] })) },
    // a DNS datagram in the same capture is skipped, not an error
    { time: T + 6500, frame: datagramFrame('192.0.2.5', 5353, '192.0.2.1', 53, new Uint8Array([0x12, 0x34, 1, 0, 0, 1, 0, 0])) },
    { time: T + 7000, frame: datagramFrame('192.0.2.78', 40000, '192.0.2.1', 2055, netflow5Packet({ sysUptime: 10_000, unixSecs: (T + 7000) / 1000, sequence: 9, records: [{ src: '10.8.0.1', dst: '10.8.0.2', packets: 2, bytes: 120, first: 8000, last: 9000, srcPort: 33000, dstPort: 53, protocol: 17 }] })) },
  ]);
  return { templates, records };
}

describe('bulkhead decode', () => {
  const { templates, records } = captures();

  it('prints one normalized JSON record per line, with templates from the earlier file, and a summary on stderr', async () => {
    const io = bufferIO();
    expect(await runCli(['decode', templates, records], { io, cwd: dir, env: {} })).toBe(0);
    const lines = io.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        exporter: '192.0.2.77', observationDomain: 17, version: 'ipfix', start: '2026-03-01T08:00:00.010Z', end: '2026-03-01T08:00:02.010Z',
        srcAddr: '10.7.0.1', dstAddr: '10.7.0.2', srcPort: 51515, dstPort: 5432, protocol: 6, packets: 12, bytes: 3400, tcpFlags: 0x1b, samplingRate: 1,
        serverSide: 'dst', orientation: 'port', srcVm: 'vm-42', extras: { 'vmware.vmUuid': 'vm-42', 'vmware.flowDirection': '1' },
      },
      {
        exporter: '192.0.2.77', observationDomain: 17, version: 'ipfix', start: '2026-03-01T08:00:00.020Z', end: '2026-03-01T08:00:02.000Z',
        srcAddr: '10.7.0.2', dstAddr: '10.7.0.1', srcPort: 5432, dstPort: 51515, protocol: 6, packets: 10, bytes: 9000, tcpFlags: 0x1b, samplingRate: 1,
        serverSide: 'src', orientation: 'port', dstVm: 'vm-42', extras: { 'vmware.vmUuid': 'vm-42', 'vmware.flowDirection': '0' },
      },
      {
        exporter: '192.0.2.78', observationDomain: 0, version: 'netflow5', start: '2026-03-01T08:00:05.000Z', end: '2026-03-01T08:00:06.000Z',
        srcAddr: '10.8.0.1', dstAddr: '10.8.0.2', srcPort: 33000, dstPort: 53, protocol: 17, packets: 2, bytes: 120, tcpFlags: 0, samplingRate: 1,
        serverSide: 'dst', orientation: 'port',
      },
    ]);
    expect(io.stderr).toContain(`${records}: 3 packets, 2 flow datagrams, 3 records, 1 other UDP datagrams skipped`);
    expect(io.stderr).toContain('exporter 192.0.2.77 ipfix: 2 datagrams, 2 records, 1 templates');
    expect(io.stderr).toContain('3 records from 2 file(s), 0 decode errors');
  });

  it('says where the templates are missing when the data comes alone', async () => {
    const io = bufferIO();
    expect(await runCli(['decode', records], { io, cwd: dir, env: {} })).toBe(0);
    expect(io.stdout.trim().split('\n')).toHaveLength(1); // only the NetFlow v5 record
    expect(io.stderr).toContain('1 data sets had no template in these files: give the file with the templates first (bulkhead decode TEMPLATES.pcap DATA.pcap)');
  });

  it.runIf(have('editcap'))('reads pcapng as well', async () => {
    const ng = join(dir, 'data.pcapng');
    await run('editcap', ['-F', 'pcapng', records, ng]);
    const io = bufferIO();
    expect(await runCli(['decode', '--no-summary', templates, ng], { io, cwd: dir, env: {} })).toBe(0);
    expect(io.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('names a file that is missing or not a capture', async () => {
    const io = bufferIO();
    expect(await runCli(['decode', 'nope.pcap'], { io, cwd: dir, env: {} })).toBe(1);
    expect(io.stderr).toContain(`${join(dir, 'nope.pcap')}: no such file`);
    const io2 = bufferIO();
    expect(await runCli(['decode', join(import.meta.dirname, 'decode.ts')], { io: io2, cwd: dir, env: {} })).toBe(1);
    expect(io2.stderr).toMatch(/decode\.ts: not a pcap or pcapng capture \(magic [0-9a-f]{8}\)/);
  });
});

describe('bulkhead ingest pcap', () => {
  it('stores the records once; a second ingest reads the captures for templates only', async () => {
    const { templates, records } = captures();
    const home = mkdtempSync(join(tmpdir(), 'bulkhead-ingest-'));
    // Retention off: the captures are from March, and a TTL would delete them on merge.
    const env = { BULKHEAD_HOME: home, BULKHEAD_LOG_LEVEL: 'silent', BULKHEAD_FLOW_RETENTION_DAYS: '0' };
    const io = bufferIO();
    expect(await runCli(['ingest', 'pcap', templates, records], { io, cwd: dir, env })).toBe(0);
    expect(io.stderr).toContain('3 flow records stored.');
    const again = bufferIO();
    expect(await runCli(['ingest', 'pcap', templates, records], { io: again, cwd: dir, env })).toBe(0);
    expect(again.stderr).toContain('0 flow records stored.');
    expect(again.stderr).toContain(`already ingested: ${records}`);
    const wrong = bufferIO();
    expect(await runCli(['ingest', 'csv', records], { io: wrong, cwd: dir, env })).toBe(1);
    expect(wrong.stderr).toContain('use `bulkhead ingest pcap FILE...`');

    const store = await Store.open(loadConfig({ env }));
    try {
      const rows = await store.rows<{ kind: string; exporter: string; src: string; vm: string; side: string }>(
        `SELECT source_kind AS kind, exporter, IPv6NumToString(src_addr) AS src, src_vm AS vm, server_side AS side FROM ${store.t('flows')} ORDER BY src`,
      );
      expect(rows).toEqual([
        { kind: 'ipfix', exporter: '192.0.2.77', src: '::ffff:10.7.0.1', vm: 'vm-42', side: 'dst' },
        { kind: 'ipfix', exporter: '192.0.2.77', src: '::ffff:10.7.0.2', vm: '', side: 'src' },
        { kind: 'netflow5', exporter: '192.0.2.78', src: '::ffff:10.8.0.1', vm: '', side: 'dst' },
      ]);
    } finally {
      await store.close();
    }
    expect(existsSync(join(home, 'bulkhead.db'))).toBe(true);
  });
});
