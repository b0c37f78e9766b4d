// The public sample files in ../shared/testdata/cloud (third-party; read in place, never copied):
// every file imports with the expected record count, and every rejected line or skipped file is
// one this table explains. Also: the AWS records agree with Elastic's pipeline output (the
// *-expected.json oracles beside them), and every format of Beats' aws-vpc-flow-logs.yml reads.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { testConfig } from '../../test/support';
import { openRuntime, type Runtime } from '../../lib/runtime';
import type { FlowRecord } from '../../lib/flow/record';
import { AwsParser, parseFormat } from './aws';
import { CloudImporter, type CloudImportOptions, type CloudImportSummary } from './importer';
import type { CloudKind } from './types';

const ROOT = join(import.meta.dirname, '../../../shared/testdata/cloud');
const present = existsSync(ROOT);

interface Expect {
  /** records stored after folding */
  stored: number;
  /** flow records read before folding (default: stored) */
  read?: number;
  status?: { NODATA?: number; SKIPDATA?: number };
  /** rejected lines: line number and why (a pattern), each explained */
  rejects?: Array<[number, RegExp]>;
  /** the file is not a flow log of this kind: why */
  skipped?: RegExp;
  opts?: Partial<CloudImportOptions>;
}

const MIXED = /different address families/;
const ORACLE = /not a CloudWatch Logs payload or export \(its keys: expected\)/;
const AT = new Date('2026-01-01T00:00:00Z');

// Why each reject is right: see the comments; the files' quirks are in SOURCES.md there.
const EXPECTED: Record<CloudKind, Record<string, Expect>> = {
  aws: {
    'accept-reject-traffic.log': { stored: 3, read: 4 }, // the ICMP ping and its (rejected) reply are one conversation
    'bad.log': { stored: 0, skipped: /not an AWS flow log: its only line is neither a header nor a record/ }, // "Phony unsupported log format."
    'custom-nat-gateway.log': { stored: 0, rejects: [[2, /no start or end field/], [3, /no start or end field/]] }, // the format has no times: needs --at
    'custom-nat-gateway.log --at': { stored: 1, read: 2, opts: { at: AT } }, // NAT ENI and instance ENI saw the same packets (pkt-dstaddr)
    'custom-transit-gateway.log': { stored: 0, skipped: /17 fields and no header line/ }, // a custom 17-field format without header: needs --fields
    'custom-transit-gateway.log --fields --at': {
      stored: 1,
      opts: { at: AT, fields: parseFormat('version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status') },
    },
    'ipv6.log': { stored: 1 },
    'no-data-skip-data.log': { stored: 0, status: { NODATA: 1, SKIPDATA: 1 } },
    'tcp-flag-sequence-skip-data.log': { stored: 0, status: { NODATA: 1, SKIPDATA: 1 } },
    'tcp-flag-sequence.log': { stored: 1 },
    'test-ecs-samples.log': { stored: 8, rejects: [[1, MIXED], [10, MIXED]] }, // synthetic: IPv4 source, IPv6 destination
    'test-ecs-samples.log-expected.json': { stored: 0, skipped: ORACLE }, // Elastic's pipeline output, not a flow log
    'test-extra-samples.log': { stored: 4, read: 5, status: { NODATA: 1, SKIPDATA: 1 } },
    'test-extra-samples.log-expected.json': { stored: 0, skipped: ORACLE },
    'test-tcp-flag-sequence.log': { stored: 1, status: { NODATA: 1, SKIPDATA: 1 } },
    'test-tcp-flag-sequence.log-expected.json': { stored: 0, skipped: ORACLE },
    'test-tgw-samples.log': { stored: 8, rejects: [[1, MIXED], [10, MIXED]] },
    'test-tgw-samples.log-expected.json': { stored: 0, skipped: ORACLE },
    'test-v5-all-fields.log': { stored: 0, rejects: [[1, /start 1975-03-14T03:34:26.000Z is 47 years before end/]] }, // a 9-digit start, a typo upstream
    'test-v5-all-fields.log-expected.json': { stored: 0, skipped: ORACLE },
    'test-v8-samples.log': { stored: 0, rejects: [[1, MIXED]] },
    'test-v8-samples.log-expected.json': { stored: 0, skipped: ORACLE },
    'test-with-message-field.log': { stored: 0, status: { NODATA: 1 } },
    'test-with-message-field.log-expected.json': { stored: 0, skipped: ORACLE },
    'valid_tgw_flow_cw.json': { stored: 0, rejects: [[1, /27 fields and no header line/]] }, // CloudWatch carries no header: needs --fields
    'valid_tgw_flow_cw.json --fields': {
      stored: 1,
      opts: {
        fields: parseFormat(
          'version account-id tgw-id tgw-attachment-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type tcp-flags flow-direction region',
        ),
      },
    },
    'valid_tgw_flow_log.log': { stored: 1 },
    'valid_vpc_flow_cw.json': { stored: 2 },
    'valid_vpc_flow_cw_custom.json': { stored: 0, rejects: [[1, /4 fields and no header line/], [1, /4 fields and no header line/]] },
    'valid_vpc_flow_cw_custom.json --fields': { stored: 2, opts: { fields: parseFormat('version interface-id srcaddr dstaddr') } }, // times from the CloudWatch events
    'valid_vpc_flow_log.log': { stored: 0, status: { NODATA: 1 } },
    'valid_vpc_flow_log_ecs.log': { stored: 1 },
    'valid_vpc_flow_log_multi.log': { stored: 2 },
    'vpc_flow_log_too_few_fields.log': { stored: 0, rejects: [[2, /^13 fields where the format \(header line 1\) has 14$/]] },
    'vpc_flow_log_too_many_fields.log': { stored: 0, rejects: [[2, /^15 fields where the format \(header line 1\) has 14$/]] },
  },
  gcp: {
    'vpc-flow-log-0-bytes-sent.json': { stored: 1 },
    'vpc-flow-log-19kb-sent.json': { stored: 1 },
    'vpc-flow-log-from-computeengine-2.json': { stored: 1 },
    'vpc-flow-log-from-computeengine-3.json': { stored: 1 },
    'vpc-flow-log-from-computeengine.json': { stored: 1 },
    'vpc-flow-log-google-service.ndjson': { stored: 2 },
    'vpc-flow-log-managed-instance.ndjson': { stored: 2 },
    'vpc-flow-log-synthetic.json': { stored: 1 },
    'vpc-flow-log-w-dest-vpc.json': { stored: 1 },
    'vpc-flow-log-w-internet-routing-details.json': { stored: 1 },
  },
  azure: {
    'azure_network_watcher_nsg-testdata.log': { stored: 11 }, // 11 tuples, no B with a later report of the same connection
    'azure_network_watcher_vnet-testdata.log': { stored: 14, read: 19 }, // 5 connection starts (B) joined to their end (E)
    'test-nsg.log': { stored: 1 },
    'test-nsg.log-expected.json': { stored: 0, skipped: /neither an NSG flow log record .* \(its keys: expected\)/ },
    'test-vnet.log': { stored: 2 },
    'test-vnet.log-expected.json': { stored: 0, skipped: /neither an NSG flow log record .* \(its keys: expected\)/ },
  },
};

describe.skipIf(!present)(`cloud flow-log samples in ${ROOT} (skipped when the shared test data is not on this machine)`, () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await openRuntime(testConfig());
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('the table covers every flow-log file there', () => {
    for (const kind of ['aws', 'gcp', 'azure'] as const) {
      const files = readdirSync(join(ROOT, kind)).filter((f) => !f.endsWith('.yml'));
      const covered = new Set(Object.keys(EXPECTED[kind]).map((k) => k.split(' ')[0]));
      expect(files.filter((f) => !covered.has(f))).toEqual([]);
    }
  });

  for (const kind of ['aws', 'gcp', 'azure'] as const) {
    for (const [key, exp] of Object.entries(EXPECTED[kind])) {
      it(`${kind}/${key}`, async () => {
        const file = join(ROOT, kind, key.split(' ')[0]!);
        const importer = new CloudImporter(rt.db.prisma, rt.store, { kind, force: true, ...exp.opts });
        await importer.importPaths([file], '/');
        const s = await importer.finish();
        if (exp.skipped) {
          expect(s.files.skipped).toHaveLength(1);
          expect(s.files.skipped[0]!.reason).toMatch(exp.skipped);
          expect(s.stored).toBe(0);
          return;
        }
        expect(s.files.skipped).toEqual([]);
        expect(s.stored).toBe(exp.stored);
        expect(s.flowRecords).toBe(exp.read ?? exp.stored);
        expect(s.status).toEqual({ NODATA: exp.status?.NODATA ?? 0, SKIPDATA: exp.status?.SKIPDATA ?? 0 });
        expect(s.storeRejected).toBe(0);
        const rejects = exp.rejects ?? [];
        expect(s.rejects.map((r) => r.line)).toEqual(rejects.map(([line]) => line));
        s.rejects.forEach((r, i) => expect(r.reason).toMatch(rejects[i]![1]));
      });
    }
  }

  it('imports each directory in one go: duplicates across files fold, re-importing stores nothing', async () => {
    const before = (await rt.store.rows<{ n: number }>(`SELECT count() AS n FROM ${rt.store.t('flows')}`))[0]!.n;
    const totals = { read: 0, rejected: 0, skipped: 0 };
    for (const kind of ['aws', 'gcp', 'azure'] as const) {
      for (const [key, e] of Object.entries(EXPECTED[kind])) {
        if (key.includes(' ')) continue; // the variants with options
        totals.read += e.read ?? e.stored;
        totals.rejected += e.rejects?.length ?? 0;
        totals.skipped += e.skipped ? 1 : 0;
      }
    }
    const summaries: CloudImportSummary[] = [];
    for (const kind of ['aws', 'gcp', 'azure'] as const) {
      // --force: the per-file cases above already imported these files
      const imp = new CloudImporter(rt.db.prisma, rt.store, { kind, force: true });
      await imp.importPaths([join(ROOT, kind)], '/');
      summaries.push(await imp.finish());
    }
    const sum = (f: (s: CloudImportSummary) => number) => summaries.reduce((a, s) => a + f(s), 0);
    expect(sum((s) => s.flowRecords)).toBe(totals.read);
    expect(sum((s) => s.rejected)).toBe(totals.rejected);
    expect(sum((s) => s.files.skipped.length)).toBe(totals.skipped);
    expect(summaries[0]!.files.ignored).toEqual({ '.yml': 1 }); // Beats' test table, read by the test below
    // the AWS samples repeat the AWS documentation's records in several files: folded, not stored twice
    expect(summaries[0]!.duplicates).toBeGreaterThan(0);
    const stored = sum((s) => s.stored);
    const after = (await rt.store.rows<{ n: number }>(`SELECT count() AS n FROM ${rt.store.t('flows')}`))[0]!.n;
    expect(after - before).toBe(stored);

    // again, without --force: every file was imported before, nothing is read or stored
    const again = new CloudImporter(rt.db.prisma, rt.store, { kind: 'aws' });
    await again.importPaths([join(ROOT, 'aws')], '/');
    const s2 = await again.finish();
    expect(s2.stored).toBe(0);
    expect(s2.files.imported).toBe(0);
    expect(s2.files.alreadyImported.length).toBeGreaterThan(20);
  });
});

interface Oracle {
  event: { original: string; start?: string; end?: string; action?: string };
  source?: { address?: string; port?: number; packets?: number; bytes?: number };
  destination?: { address?: string; port?: number };
  network?: { iana_number?: string; packets?: number; bytes?: number };
  aws?: { vpcflow?: { action?: string } };
}

describe.skipIf(!present)('AWS records agree with Elastic\'s pipeline output (the -expected.json oracles)', () => {
  const files = present ? readdirSync(join(ROOT, 'aws')).filter((f) => f.endsWith('.log') && existsSync(join(ROOT, 'aws', `${f}-expected.json`))) : [];
  it.each(files)('%s', (f) => {
    const oracle = (JSON.parse(readFileSync(join(ROOT, 'aws', `${f}-expected.json`), 'utf8')) as { expected: Oracle[] }).expected;
    const ours = new Map<string, FlowRecord>();
    const rejected = new Set<string>();
    let current = '';
    const p = new AwsParser({ path: f }, { observation: (o) => ours.set(current, o.record), status: () => {}, reject: () => rejected.add(current) });
    readFileSync(join(ROOT, 'aws', f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        current = line.startsWith('{') ? (JSON.parse(line) as { message: string }).message : line;
        if (current.startsWith('{')) p.json(JSON.parse(line), i + 1);
        else p.line(current, i + 1);
      });
    let compared = 0;
    let explained = 0;
    for (const e of oracle) {
      const r = ours.get(e.event.original);
      if (!r) {
        // Elastic keeps records we refuse (mixed families, impossible times; see the table above)
        // and status records without addresses, which are not flows
        expect(rejected.has(e.event.original) || !e.source?.address).toBe(true);
        explained++;
        continue;
      }
      compared++;
      expect(r.srcAddr).toBe(e.source!.address);
      expect(r.dstAddr).toBe(e.destination!.address);
      expect(r.srcPort).toBe(e.source!.port ?? 0);
      expect(r.dstPort).toBe(e.destination!.port ?? 0);
      expect(String(r.protocol)).toBe(e.network!.iana_number);
      expect(r.packets).toBe(e.source!.packets ?? e.network!.packets ?? 0);
      expect(r.bytes).toBe(e.source!.bytes ?? e.network!.bytes ?? 0);
      if (e.event.start) expect(new Date(r.start).toISOString()).toBe(e.event.start);
      if (e.event.end) expect(new Date(r.end).toISOString()).toBe(e.event.end);
      const action = e.aws?.vpcflow?.action;
      expect(r.action).toBe(action === 'ACCEPT' ? 'accept' : action === 'REJECT' ? 'reject' : 'unknown');
    }
    expect(compared + explained).toBe(oracle.length);
    expect(compared).toBe(ours.size);
  });
});

describe.skipIf(!present)("every format of Beats' aws-vpc-flow-logs.yml reads with --fields", () => {
  it('reads all samples', () => {
    const doc = parseYaml(readFileSync(join(ROOT, 'aws/aws-vpc-flow-logs.yml'), 'utf8'), { merge: true }) as Record<string, { format: string; samples: string[] }>;
    let records = 0;
    let status = 0;
    const rejects: string[] = [];
    for (const [name, group] of Object.entries(doc)) {
      const p = new AwsParser(
        { path: name, at: AT.getTime() },
        { observation: () => records++, status: () => status++, reject: (n, reason) => rejects.push(`${name}[${n}]: ${reason}`) },
        { fields: parseFormat(group.format) },
      );
      group.samples.forEach((s, i) => p.line(s, i + 1));
    }
    expect(rejects).toEqual([]);
    // 30 samples in 8 formats; the ecs / ecs_and_original variants repeat the v5, v6 and v7 ones
    expect(records + status).toBe(30 + 2 * 3);
    expect(status).toBe(2);
  });
});
