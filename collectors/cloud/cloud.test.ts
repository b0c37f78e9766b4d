// Orientation and de-duplication per format, on our own fixtures (collectors/cloud/fixtures/):
// the same connection logged at both ends in both directions is stored once, client -> server.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../lib/flow/record';
import { AwsParser, parseFormat } from './aws';
import { AzureConnections } from './azure';
import { JsonDocSplitter } from './json-docs';
import { Folder } from './fold';
import { parseFile } from './parse';
import type { CloudKind, Observation, StatusRecord } from './types';

const fixture = (f: string) => join(import.meta.dirname, 'fixtures', f);

async function importAll(kind: CloudKind, files: string[], opts: { fields?: string[] } = {}) {
  const records: FlowRecord[] = [];
  const rejects: Array<{ file: string; line: number; reason: string; where?: string }> = [];
  const status: StatusRecord[] = [];
  const observations: Observation[] = [];
  const folder = new Folder((r) => records.push(r));
  const azure = new AzureConnections();
  let lines = 0;
  for (const f of files) {
    const res = await parseFile(
      kind,
      { path: fixture(f) },
      {
        observation: (o) => {
          observations.push(o);
          folder.add(o);
        },
        status: (s) => status.push(s),
        reject: (line, reason, where) => rejects.push({ file: f, line, reason, where }),
      },
      { azure, fields: opts.fields },
    );
    expect(res.skipped).toBeNull();
    lines += res.lines;
  }
  azure.flush((o) => folder.add(o));
  folder.flush();
  const find = (src: string, dst: string, dstPort: number) => records.find((r) => r.srcAddr === src && r.dstAddr === dst && r.dstPort === dstPort);
  return { records, rejects, status, observations, stats: folder.stats, beginsFolded: azure.beginsFolded, lines, find };
}

describe('AWS VPC flow logs', () => {
  it('folds a connection logged at both ENIs in both directions into one client -> server record', async () => {
    const r = await importAll('aws', ['aws-vpc-two-enis.log']);
    expect(r.lines).toBe(14);
    expect(r.observations).toHaveLength(10);
    expect(r.stats).toMatchObject({ observations: 10, duplicates: 3, merged: 3, emitted: 4 });
    expect(r.records).toHaveLength(4);

    const db = r.find('10.0.1.10', '10.0.2.20', 5432)!;
    expect(db).toMatchObject({
      srcPort: 49152,
      bytes: 1200,
      packets: 10,
      revBytes: 9000,
      revPackets: 8,
      serverSide: 'dst',
      orientation: 'tcp-flags',
      tcpFlags: 19,
      action: 'accept',
      direction: 'unknown',
      srcVm: 'i-0aaaaaaaaaaaaaaaa',
      dstVm: 'i-0bbbbbbbbbbbbbbbb',
      vpcId: 'vpc-0123456789abcdef0',
      exporter: 'aws:111122223333',
      start: Date.UTC(2026, 0, 1, 0, 0, 0),
      end: Date.UTC(2026, 0, 1, 0, 1, 1),
    });
    expect(db.interfaceId).toBe('eni-0aaa000000000000a'); // the first observer

    // ports say nothing (both ephemeral) and the reply came first: SYN / SYN-ACK decide
    const eph = r.find('10.0.1.10', '10.0.2.20', 40001)!;
    expect(eph).toMatchObject({ srcPort: 45000, bytes: 800, revBytes: 700, orientation: 'tcp-flags', direction: 'ingress', dstVm: 'i-0bbbbbbbbbbbbbbbb' });
    expect(r.find('10.0.2.20', '10.0.1.10', 45000)).toBeUndefined();

    // one ENI, the same line delivered twice: counted once
    expect(r.find('10.0.1.10', '52.94.0.10', 443)).toMatchObject({ bytes: 3000, revBytes: 40000, direction: 'egress', orientation: 'tcp-flags' });

    // a refused SYN from the internet: one-way, rejected, unanswered
    expect(r.find('198.51.100.7', '10.0.2.20', 22)).toMatchObject({ action: 'reject', revPackets: 0, tcpFlags: 2 });

    expect(r.status).toEqual([{ status: 'NODATA', interfaceId: 'eni-0bbb000000000000b', start: 1767225660000, end: 1767225720000 }]);
    expect(r.rejects).toEqual([
      { file: 'aws-vpc-two-enis.log', line: 13, reason: 'packets: "x" is not a count', where: undefined },
      { file: 'aws-vpc-two-enis.log', line: 14, reason: '11 fields where the format (header line 1) has 18', where: undefined },
    ]);
  });

  it('folds CloudWatch Logs streams of two ENIs across files (subscription payload and CLI output)', async () => {
    const r = await importAll('aws', ['aws-cloudwatch-eni-a.json', 'aws-cloudwatch-eni-b.json']);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ srcAddr: '10.0.3.30', dstAddr: '10.0.4.40', dstPort: 8080, bytes: 1500, revBytes: 22000, orientation: 'port' });
    expect(r.stats).toMatchObject({ duplicates: 2, merged: 1 });
    expect(r.rejects).toEqual([{ file: 'aws-cloudwatch-eni-a.json', line: 1, reason: 'dstport: "80800" is not a port (0-65535)', where: 'logEvents[2]' }]);
  });

  it('tells the pinger of ICMP without types by its fan-out, whatever line of a capture window came first', () => {
    const records: FlowRecord[] = [];
    const folder = new Folder((r) => records.push(r));
    const line = (src: string, dst: string) => ({ record: { start: 1_700_000_000_000, end: 1_700_000_060_000, srcAddr: src, dstAddr: dst, srcPort: 0, dstPort: 0, protocol: 1, bytes: 84, packets: 1, serverSide: 'dst', orientation: 'guess', sourceKind: 'aws', exporter: 'aws:1/r', direction: 'unknown', action: 'accept' } as FlowRecord, observer: `eni-${src}` });
    for (let i = 1; i <= 6; i++) {
      const host = `10.0.1.${i}`;
      // replies first for half of the hosts
      if (i % 2) folder.add(line(host, '10.0.0.9'));
      folder.add(line('10.0.0.9', host));
      if (!(i % 2)) folder.add(line(host, '10.0.0.9'));
    }
    folder.flush();
    expect(records).toHaveLength(6);
    for (const r of records) expect({ src: r.srcAddr, orientation: r.orientation }).toEqual({ src: '10.0.0.9', orientation: 'peers' });
  });

  it('reads custom formats given with --fields, "${field}" format strings, and CloudWatch export-task lines', () => {
    expect(parseFormat('${version} ${interface-id} ${srcaddr} ${dstaddr}')).toEqual(['version', 'interface-id', 'srcaddr', 'dstaddr']);
    expect(() => parseFormat('version srcadr')).toThrow(/unknown flow-log field "srcadr"/);
    const got: Observation[] = [];
    const rej: string[] = [];
    const out = { observation: (o: Observation) => got.push(o), status: () => {}, reject: (_n: number, reason: string) => rej.push(reason) };
    const p = new AwsParser({ path: 'x' }, out, { fields: parseFormat('version interface-id srcaddr dstaddr') });
    p.line('2 eni-1 10.0.0.1 10.0.0.2', 1, Date.UTC(2026, 0, 1));
    expect(got[0]!.record).toMatchObject({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', protocol: 0, start: Date.UTC(2026, 0, 1) });
    p.line('2 eni-1 10.0.0.1 10.0.0.2', 2);
    expect(rej[0]).toMatch(/no start or end field, and no time is known.*--at/);
    // export task: an ISO timestamp before each default-format record
    const q = new AwsParser({ path: 'y' }, out);
    q.line('2026-01-01T00:00:30.000Z 2 123456789012 eni-9 10.1.1.1 10.1.1.2 1000 53 17 1 60 1767225600 1767225630 ACCEPT OK', 1);
    expect(got[1]!.record).toMatchObject({ srcAddr: '10.1.1.1', dstPort: 53, protocol: 17 });
  });

  it('uses pkt-srcaddr/pkt-dstaddr behind a NAT gateway, so the two ENIs fold', async () => {
    const records: FlowRecord[] = [];
    const folder = new Folder((r) => records.push(r));
    const p = new AwsParser({ path: 'nat', at: Date.UTC(2026, 0, 1) }, { observation: (o) => folder.add(o), status: () => {}, reject: (_n, r) => expect.fail(r) }, { fields: parseFormat('instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr') });
    p.line('- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5', 1);
    p.line('i-01234567890123456 eni-1111aaaa2222bbbb3 10.0.1.5 203.0.113.5 10.0.1.5 203.0.113.5', 2);
    folder.flush();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ srcAddr: '10.0.1.5', dstAddr: '203.0.113.5' });
    expect(records[0]!.extras).toMatchObject({ dstaddr: '10.0.0.220' });
  });
});

describe('AWS through a transit gateway', () => {
  it('folds the instance ENI and the TGW attachment ENIs of one flow (pkt-srcaddr/pkt-dstaddr), oriented by flags', () => {
    const records: FlowRecord[] = [];
    const folder = new Folder((r) => records.push(r));
    const fields = parseFormat('version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status');
    const p = new AwsParser({ path: 'tgw', at: Date.UTC(2026, 0, 2) }, { observation: (o) => folder.add(o), status: () => {}, reject: (_n, r) => expect.fail(r) }, { fields });
    // the server's reply at a TGW ENI of the server's VPC first, then the instance's ENI, then the client's VPC TGW ENI
    p.line('3 eni-0tgw2 111122223333 vpc-0b subnet-0b - 10.60.2.8 10.60.2.40 443 51000 6 19 IPv4 10.60.2.8 10.50.1.7 ACCEPT OK', 1);
    p.line('3 eni-0inst 111122223333 vpc-0a subnet-0a i-0client 10.50.1.7 10.60.2.8 51000 443 6 3 IPv4 10.50.1.7 10.60.2.8 ACCEPT OK', 2);
    p.line('3 eni-0inst 111122223333 vpc-0a subnet-0a i-0client 10.60.2.8 10.50.1.7 443 51000 6 19 IPv4 10.60.2.8 10.50.1.7 ACCEPT OK', 3);
    p.line('3 eni-0tgw1 111122223333 vpc-0a subnet-0a - 10.50.1.60 10.60.2.8 51000 443 6 3 IPv4 10.50.1.7 10.60.2.8 ACCEPT OK', 4);
    folder.flush();
    expect(folder.stats).toMatchObject({ observations: 4, duplicates: 2, merged: 1, emitted: 1 });
    expect(records[0]).toMatchObject({ srcAddr: '10.50.1.7', dstAddr: '10.60.2.8', srcPort: 51000, dstPort: 443, orientation: 'tcp-flags', tcpFlags: 19 });
  });
});

describe('GCP VPC flow logs', () => {
  it('folds SRC and DEST reports of both directions into one record, client -> server', async () => {
    const r = await importAll('gcp', ['gcp-both-reporters.ndjson']);
    expect(r.stats).toMatchObject({ observations: 5, duplicates: 2, merged: 1, emitted: 2 });
    const redis = r.find('10.8.0.5', '10.8.1.9', 6379)!;
    expect(redis).toMatchObject({ srcPort: 41000, bytes: 5000, packets: 40, revBytes: 90000, revPackets: 70, orientation: 'port', srcVm: 'web-1', dstVm: 'cache-1', exporter: 'gcp:shop-prod', vpcId: 'shop' });
    expect(redis.start).toBe(Date.parse('2026-01-01T10:00:00.100Z'));
    expect(redis.end).toBe(Date.parse('2026-01-01T10:00:04.950Z'));
    // a GKE pod is named namespace/pod
    expect(r.find('10.8.2.7', '10.8.0.5', 8443)).toMatchObject({ srcVm: 'shop/checkout-7d4b9c8f5d-x2x9q', dstVm: 'web-1', direction: 'ingress' });
    expect(r.rejects).toEqual([{ file: 'gcp-both-reporters.ndjson', line: 6, reason: 'connection.dest_ip: "not-an-ip" is not an IP address', where: undefined }]);
  });
});

describe('Azure flow logs', () => {
  it('joins connection starts to their reports and folds the NSG of one NIC with the VNet log of the other', async () => {
    const r = await importAll('azure', ['azure-nsg-nic-a.json', 'azure-vnet-nic-b.json']);
    expect(r.beginsFolded).toBe(2);
    expect(r.stats).toMatchObject({ observations: 3, duplicates: 1, emitted: 2 });
    expect(r.find('10.9.0.4', '10.9.1.5', 1433)).toMatchObject({
      srcPort: 50123,
      bytes: 4000,
      packets: 30,
      revBytes: 60000,
      revPackets: 28,
      orientation: 'source',
      action: 'accept',
      start: 1767265200000,
      end: 1767265230500,
      exporter: 'azure:aaaa0000-0000-0000-0000-000000000001',
    });
    expect(r.find('203.0.113.50', '10.9.0.4', 3389)).toMatchObject({ action: 'reject', direction: 'ingress', bytes: 0, orientation: 'source' });
    expect(r.rejects).toEqual([
      { file: 'azure-nsg-nic-a.json', line: 1, reason: 'source port: "x" is not a port', where: 'records[0].properties.flows[1].flows[0].flowTuples[1]' },
    ]);
  });
});

describe('JSON value boundaries', () => {
  it('splits pretty, concatenated and line-separated JSON and reports junk by line', () => {
    const docs: Array<[string, number]> = [];
    const junk: Array<[string, number, boolean]> = [];
    const s = new JsonDocSplitter(
      (d) => docs.push([d.text, d.line]),
      (t, n, truncated) => junk.push([t, n, truncated]),
    );
    s.push('{"a":"}{"}{"b":\n[1,');
    s.push('2]}\nnot json\n  {"c": "x\\"y"}\n{"d":');
    s.end();
    expect(docs).toEqual([
      ['{"a":"}{"}', 1],
      ['{"b":\n[1,2]}', 1],
      ['{"c": "x\\"y"}', 4],
    ]);
    expect(junk).toEqual([
      ['not json', 3, false],
      ['{"d":', 5, true],
    ]);
  });

  it('keeps every value after one that was cut short, in a string or between values', () => {
    const docs: Array<[string, number]> = [];
    const junk: Array<[string, number, boolean]> = [];
    const s = new JsonDocSplitter(
      (d) => docs.push([d.text, d.line]),
      (t, n, truncated) => junk.push([t, n, truncated]),
    );
    s.push('{"a": 1}\n{"b": "cut in the mid\n{"c": 3}\n{"d": {"e": \n{"f": 6}\n');
    s.push('[\n{"g": 7},\n{"h": 8}\n]\n');
    s.end();
    expect(docs.map((d) => d[0])).toEqual(['{"a": 1}', '{"c": 3}', '{"f": 6}', '[\n{"g": 7},\n{"h": 8}\n]']);
    expect(junk).toEqual([
      ['{"b": "cut in the mid', 2, true],
      ['{"d": {"e":', 4, true],
    ]);
  });
});
