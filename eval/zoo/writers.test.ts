// The zoo's writers, judged by Bulkhead itself: a small hand-made estate is written as each
// format a user would import (inventory JSON, AWS flow logs v2 and v5, IPFIX uniflow and biflow
// in a capture), the real `bulkhead` command imports it in this process, and the stores are
// asked what they hold. Each format gets its own SQLite file and ClickHouse database in one home
// (chDB binds one data directory per process).
//
// What is checked is what is true of the estate: one stored record per flow (per direction for
// uniflow IPFIX), client -> server on the server port, the inventory's workloads, labels and
// address history. Where Bulkhead stores something else, the check is marked `it.fails` with
// the reason, so the day it is fixed the mark has to go.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../cli/io';
import { runCli } from '../../cli/main';
import { loadConfig } from '../../lib/config';
import { openRuntime, type Runtime } from '../../lib/runtime';
import { writeAwsFlowLogs } from './aws';
import { countFlows, flowsOf } from './flows';
import { declaredNetworks, networksAddArgs, writeInventory } from './inventory';
import { writeIpfixCapture } from './ipfix';
import type { Endpoint, Schedule, ZooConversation, ZooEstate, ZooFlow, ZooWorkload } from './model';

const H = 3_600_000;
const START = Date.UTC(2026, 5, 15); // a Monday
const END = START + 48 * H;
const HANDOVER = { ip: '10.20.2.50', released: START + 20 * H, taken: START + 26 * H };
const TIME_SERVERS = ['162.159.200.1', '162.159.200.123', '216.239.35.0'];

function workload(name: string, ip: string, labels: Record<string, string> = {}, os: 'linux' | 'windows' = 'linux', from = START, to: number | null = null): ZooWorkload {
  return { name, kind: 'vm', os, bindings: [{ ip, from, to }], labels, truth: { app: labels.app ?? name, env: 'prod', role: labels.role ?? 'app', kind: 'application' } };
}

const shop = (role: string) => ({ app: 'shop', env: 'prd', role });
const WORKLOADS: ZooWorkload[] = [
  workload('ntp01', '10.10.0.10', { app: 'ntp', env: 'prd', role: 'ntp' }),
  workload('dc01', '10.10.0.20', {}, 'windows'),
  workload('mon01', '10.10.0.30'),
  workload('scan01', '10.10.0.50', { app: 'vulnerability-scanner' }),
  workload('web01', '10.20.1.10', shop('web')),
  workload('app01', '10.20.2.10', shop('app')),
  workload('db01', '10.20.3.10', shop('db')),
  workload('crm-app-old', HANDOVER.ip, { app: 'crm', role: 'app' }, 'linux', START, HANDOVER.released),
  workload('hr-app-new', HANDOVER.ip, { app: 'hr', role: 'app' }, 'linux', HANDOVER.taken),
];
const ip = (name: string) => WORKLOADS.find((w) => w.name === name)!.bindings[0]!.ip;

let nextId = 1;
function conversation(kind: ZooConversation['kind'], client: string, server: string, protocol: number, port: number, extra: Partial<ZooConversation> = {}): ZooConversation {
  const endpoint = (x: string): Endpoint => (WORKLOADS.some((w) => w.name === x) ? { type: 'workload', name: x } : { type: 'outside' });
  const addr = (x: string) => (WORKLOADS.some((w) => w.name === x) ? ip(x) : x);
  const always: Schedule = { type: 'continuous', share: 1 };
  return { id: nextId++, kind, client: endpoint(client), server: endpoint(server), clientAddr: addr(client), serverAddr: addr(server), protocol, port, from: START, to: END, schedule: always, perHour: 2, bytes: 3000, ...extra };
}

const scanHour: Schedule = { type: 'once', at: START / H + 3, hours: 1 };
const CONVERSATIONS: ZooConversation[] = [
  // the NTP server synchronises from internet time servers, source and destination port 123
  ...TIME_SERVERS.map((t) => conversation('core', 'ntp01', t, 17, 123, { clientPort: 123, bytes: 76 })),
  conversation('app', 'app01', 'db01', 6, 5432, { perHour: 4, bytes: 6000 }),
  conversation('app', 'web01', 'app01', 6, 8080, { perHour: 6, bytes: 2000, schedule: { type: 'continuous', share: 0.7 } }),
  conversation('core', 'app01', 'dc01', 17, 53, { perHour: 3, bytes: 70 }),
  conversation('core', 'mon01', 'web01', 1, 0, { bytes: 168 }),
  conversation('scan', 'scan01', 'db01', 6, 5432, { perHour: 1, schedule: scanHour, outcome: 'open' }),
  conversation('scan', 'scan01', 'db01', 6, 23, { perHour: 1, schedule: scanHour, outcome: 'reset' }),
  conversation('scan', 'scan01', 'db01', 6, 3389, { perHour: 1, schedule: scanHour, outcome: 'dropped' }),
  { ...conversation('scan', 'scan01', '10.20.3.99', 6, 22, { perHour: 1, schedule: scanHour, outcome: 'dropped' }), server: { type: 'dark' } },
  { ...conversation('sweep', 'mon01', '10.20.3.99', 1, 0, { perHour: 1, schedule: scanHour, outcome: 'dropped' }), server: { type: 'dark' } },
  // the address that changes hands: one application's server before, another's after
  conversation('cross-app', 'app01', 'crm-app-old', 6, 8443, { to: HANDOVER.released }),
  conversation('cross-app', 'app01', 'hr-app-new', 6, 9000, { from: HANDOVER.taken }),
  { ...conversation('people', '10.50.1.23', 'web01', 6, 443, { perHour: 5, schedule: { type: 'daily', hour: 8, hours: 10, weekdays: true } }), client: { type: 'network', network: 'office-1' } },
  { ...conversation('ingress', '198.51.100.7', 'web01', 6, 443, { perHour: 3, schedule: { type: 'continuous', share: 0.5 } }), client: { type: 'internet' } },
];

const ESTATE: ZooEstate = {
  shape: { workloads: WORKLOADS.length, naming: 'conventional', labels: 'partial', source: 'aws', seed: 7, end: END, weeks: 1 },
  start: START,
  end: END,
  workloads: WORKLOADS,
  networks: [
    { name: 'office-1', cidr: '10.50.1.0/24', kind: 'users', declared: true },
    { name: 'admins', cidr: '10.60.0.0/26', kind: 'admin', declared: false },
    { name: 'partner', cidr: '203.0.113.0/24', kind: 'partner', declared: true },
  ],
  conversations: CONVERSATIONS,
  scanners: ['scan01'],
  reused: [{ ip: HANDOVER.ip, before: 'crm-app-old', after: 'hr-app-new', at: HANDOVER.taken }],
};

const FLOWS: ZooFlow[] = [...flowsOf(ESTATE, START, END)];
const byId = new Map(CONVERSATIONS.map((c) => [c.id, c]));
const flowsOfConversation = (c: ZooConversation) => FLOWS.filter((f) => f.conversation === c.id);
const ntp = CONVERSATIONS.filter((c) => c.clientPort === 123);
const ephemeral = CONVERSATIONS.filter((c) => (c.protocol === 6 || c.protocol === 17) && c.clientPort === undefined);
const icmp = CONVERSATIONS.filter((c) => c.protocol === 1);
const probe = (port: number) => CONVERSATIONS.find((c) => c.kind === 'scan' && c.port === port && c.serverAddr === ip('db01'))!;

const home = mkdtempSync(join(tmpdir(), 'bulkhead-zoo-writers-'));
const files = mkdtempSync(join(tmpdir(), 'bulkhead-zoo-files-'));

/** A store of its own in the one home: its SQLite file and ClickHouse database. Retention off: the estate lies in the past. */
const envFor = (name: string) => ({
  BULKHEAD_HOME: home,
  DATABASE_URL: `file:${join(home, `${name}.db`)}`,
  CLICKHOUSE_DATABASE: `zoo_${name}`,
  BULKHEAD_LOG_LEVEL: 'silent',
  BULKHEAD_FLOW_RETENTION_DAYS: '0',
  BULKHEAD_ROLLUP_RETENTION_DAYS: '0',
});

async function bulkhead(env: Record<string, string>, args: string[]) {
  const io = bufferIO();
  const code = await runCli(args, { io, cwd: files, env });
  if (code !== 0) throw new Error(`bulkhead ${args.join(' ')} exited ${code}\n${io.stderr}\n${io.stdout}`);
  return io;
}

/** What the flows table holds, per client, server, server port and protocol, as the rollups see it. */
interface Stored {
  client: string;
  server: string;
  port: number;
  protocol: number;
  records: number;
  c2sPackets: number;
  s2cPackets: number;
  rejected: number;
}

async function storedFlows(rt: Runtime): Promise<Stored[]> {
  const side = (dst: string, src: string) => `if(server_side = 'dst', ${dst}, ${src})`;
  const rows = await rt.store.rows<Record<keyof Stored, string | number>>(
    `SELECT replaceOne(IPv6NumToString(${side('src_addr', 'dst_addr')}), '::ffff:', '') AS client,
            replaceOne(IPv6NumToString(${side('dst_addr', 'src_addr')}), '::ffff:', '') AS server,
            ${side('dst_port', 'src_port')} AS port, protocol, count() AS records,
            sum(${side('packets', 'rev_packets')}) AS c2sPackets, sum(${side('rev_packets', 'packets')}) AS s2cPackets,
            countIf(action = 'reject') AS rejected
     FROM ${rt.store.t('flows')} GROUP BY client, server, port, protocol`,
  );
  return rows.map((r) => ({ client: String(r.client), server: String(r.server), port: Number(r.port), protocol: Number(r.protocol), records: Number(r.records), c2sPackets: Number(r.c2sPackets), s2cPackets: Number(r.s2cPackets), rejected: Number(r.rejected) }));
}

/** The stored records of a conversation in its true orientation (ICMP by addresses only: IPFIX keeps the type in the port). */
const asStored = (s: Stored[], c: ZooConversation) => s.filter((r) => r.client === c.clientAddr && r.server === c.serverAddr && r.protocol === c.protocol && (c.protocol === 1 || r.port === c.port));
const recordsOf = (s: Stored[], c: ZooConversation) => asStored(s, c).reduce((n, r) => n + r.records, 0);

interface FormatCase {
  name: string;
  /** writes the files and imports them with `bulkhead`, checking the command's summary */
  load: (env: Record<string, string>) => Promise<void>;
  /** records a flow becomes: one (AWS after folding, biflow) or one per direction that carried packets (uniflow) */
  records: (f: ZooFlow) => number;
  /** the format says a dropped probe was rejected (AWS's REJECT) */
  rejects: boolean;
  /** checks known to fail with this format, and why */
  wrong: Partial<Record<'ntp' | 'icmp', string>>;
}

function formatSuite(fc: FormatCase) {
  describe(fc.name, () => {
    let rt: Runtime;
    let stored: Stored[];
    const env = envFor(fc.name.replace(/\W+/g, '_'));
    beforeAll(async () => {
      await fc.load(env);
      rt = await openRuntime(loadConfig({ env }));
      stored = await storedFlows(rt);
    }, 180_000);
    afterAll(async () => {
      await rt?.close();
    });

    const expected = (c: ZooConversation) => flowsOfConversation(c).reduce((n, f) => n + fc.records(f), 0);
    const check = (what: 'ntp' | 'icmp', title: string, fn: () => void) => (fc.wrong[what] ? it.fails(`${title} — FAILS: ${fc.wrong[what]}`, fn) : it(title, fn));

    it('stores what the flows make, no more and no less', () => {
      expect(stored.reduce((n, r) => n + r.records, 0)).toBe(FLOWS.reduce((n, f) => n + fc.records(f), 0));
    });

    it('stores TCP and UDP traffic client -> server on the server port', () => {
      for (const c of ephemeral) expect({ conversation: c.id, records: recordsOf(stored, c) }).toEqual({ conversation: c.id, records: expected(c) });
    });

    it('keeps the handover apart: the old holder before, the new one after', async () => {
      const [before, after] = CONVERSATIONS.filter((c) => c.serverAddr === HANDOVER.ip);
      const rows = await rt.store.rows<{ port: number; first: string; last: string }>(
        `SELECT dst_port AS port, toUnixTimestamp64Milli(min(start_time)) AS first, toUnixTimestamp64Milli(max(end_time)) AS last
         FROM ${rt.store.t('flows')} WHERE dst_addr = toIPv6('${HANDOVER.ip}') AND server_side = 'dst' GROUP BY port ORDER BY port`,
      );
      expect(rows.map((r) => Number(r.port))).toEqual([before!.port, after!.port]);
      expect(Number(rows[0]!.last)).toBeLessThan(HANDOVER.released);
      expect(Number(rows[1]!.first)).toBeGreaterThanOrEqual(HANDOVER.taken);
    });

    it('stores the probes as they went: dropped unanswered, reset answered by one packet, open answered', () => {
      const [open, reset, dropped] = [probe(5432), probe(23), probe(3389)].map((c) => asStored(stored, c)[0]);
      expect(dropped).toMatchObject({ records: 1, s2cPackets: 0, rejected: fc.rejects ? 1 : 0 });
      expect(reset).toMatchObject({ records: fc.records(flowsOfConversation(probe(23))[0]!), s2cPackets: 1 });
      expect(open?.s2cPackets).toBe(2);
    });

    check('ntp', 'stores NTP 123 <-> 123 as the NTP server asking the internet time servers', () => {
      for (const c of ntp) expect({ conversation: c.id, records: recordsOf(stored, c) }).toEqual({ conversation: c.id, records: expected(c) });
    });

    check('icmp', 'stores pings as the pinger asking the host', () => {
      for (const c of icmp) expect({ conversation: c.id, records: recordsOf(stored, c) }).toEqual({ conversation: c.id, records: expected(c) });
    });
  });
}

describe('flowsOf', () => {
  it('gives countFlows flows, the same ones every time, inside their hours and on the conversation ports', () => {
    expect(FLOWS).toHaveLength(countFlows(ESTATE, START, END));
    expect([...flowsOf(ESTATE, START, END)]).toEqual(FLOWS);
    for (const f of FLOWS) {
      const c = byId.get(f.conversation)!;
      expect(Math.floor(f.end / H)).toBe(Math.floor(f.start / H));
      expect(f.end).toBeGreaterThanOrEqual(f.start);
      if (c.protocol === 1) expect([f.srcPort, f.dstPort]).toEqual([0, 0]);
      else expect(f.dstPort).toBe(c.port);
      if (c.clientPort !== undefined) expect(f.srcPort).toBe(c.clientPort);
      else if (c.protocol !== 1) expect(f.srcPort >= 32768 && f.srcPort <= 60999).toBe(true);
    }
    // a conversation-hour's flows have distinct client ports, so no two of them share a 5-tuple
    const appHour = flowsOfConversation(CONVERSATIONS.find((c) => c.port === 5432 && c.kind === 'app')!).slice(0, 4);
    expect(new Set(appHour.map((f) => f.srcPort)).size).toBe(4);
  });

  it('answers probes as their targets do', () => {
    const one = (port: number) => flowsOfConversation(probe(port))[0]!;
    expect(one(5432)).toMatchObject({ tcpFlags: 0x13, revTcpFlags: 0x13 });
    expect(one(23)).toMatchObject({ tcpFlags: 0x02, revTcpFlags: 0x14, revPackets: 1 });
    expect(one(3389)).toMatchObject({ tcpFlags: 0x02, revPackets: 0, revBytes: 0 });
    expect(flowsOfConversation(ephemeral[0]!)[0]).toMatchObject({ tcpFlags: 0x1b, revTcpFlags: 0x1b });
  });
});

describe('inventory and declared networks', () => {
  let rt: Runtime;
  const env = envFor('inventory');
  beforeAll(async () => {
    const path = join(files, 'inventory.json');
    expect(writeInventory(ESTATE, path)).toEqual({ workloads: WORKLOADS.length, addresses: WORKLOADS.length });
    await bulkhead(env, ['import', 'inventory', path]);
    for (const args of networksAddArgs(ESTATE)) await bulkhead(env, args);
    rt = await openRuntime(loadConfig({ env }));
  }, 120_000);
  afterAll(async () => {
    await rt?.close();
  });

  it('declares the declared networks only, with the CLI kinds', async () => {
    expect(declaredNetworks(ESTATE)).toEqual([
      { name: 'office-1', kind: 'user', cidrs: ['10.50.1.0/24'] },
      { name: 'partner', kind: 'partner', cidrs: ['203.0.113.0/24'] },
    ]);
    const nets = await rt.db.prisma.namedNetwork.findMany({ orderBy: { name: 'asc' } });
    expect(nets.map((n) => [n.name, n.kind])).toEqual([
      ['office-1', 'user'],
      ['partner', 'partner'],
    ]);
  });

  it('stores every workload with its kind, labels and OS', async () => {
    const ws = await rt.db.prisma.workload.findMany({ include: { labels: true }, orderBy: { name: 'asc' } });
    expect(ws.map((w) => w.name)).toEqual(WORKLOADS.map((w) => w.name).sort());
    for (const w of ws) {
      const zoo = WORKLOADS.find((z) => z.name === w.name)!;
      expect(w.kind).toBe(zoo.kind);
      expect(Object.fromEntries(w.labels.map((l) => [l.key, l.value]))).toEqual(zoo.labels);
      expect(w.attributes).toEqual({ os: zoo.os });
    }
  });

  it('keeps the address history: released by one workload, taken hours later by another', async () => {
    const history = await rt.db.prisma.addressBinding.findMany({ where: { ip: HANDOVER.ip }, include: { workload: true }, orderBy: { validFrom: 'asc' } });
    expect(history.map((b) => [b.workload.name, b.validFrom.getTime(), b.validTo?.getTime() ?? null])).toEqual([
      ['crm-app-old', START, HANDOVER.released],
      ['hr-app-new', HANDOVER.taken, null],
    ]);
    const synced = await rt.store.rows<{ n: number }>(`SELECT count() AS n FROM ${rt.store.t('address_bindings')}`);
    expect(Number(synced[0]!.n)).toBe(WORKLOADS.length);
    const at = (t: number) => bulkhead(env, ['networks', 'lookup', HANDOVER.ip, '--at', new Date(t).toISOString()]);
    expect((await at(START + H)).stdout).toContain('workload crm-app-old');
    expect((await at(HANDOVER.released + H)).stdout).toContain('no workload');
    expect((await at(HANDOVER.taken + H)).stdout).toContain('workload hr-app-new');
  });
});

const uni = (f: ZooFlow) => (f.revPackets > 0 ? 2 : 1);
const once = () => 1;

for (const format of ['v2', 'v5'] as const) {
  formatSuite({
    name: `aws ${format}`,
    records: once,
    rejects: true,
    wrong: {
      icmp: 'AWS logs carry no ICMP type and the two lines of a capture window come in any order; the folder tells the pinger by its fan-out (three ICMP peers or more), and this estate has one pinger and one host',
    },
    load: async (env) => {
      const dir = join(files, `aws-${format}`);
      const w = writeAwsFlowLogs(ESTATE, dir, { format, window: 60 });
      expect(w.flows).toBe(FLOWS.length);
      expect(w.unobserved).toBe(0);
      const io = await bulkhead(env, ['import', 'aws', dir, '--json']);
      const s = JSON.parse(io.stdout) as { lines: number; stored: number; rejected: number; duplicates: number; merged: number };
      // a header line per file; every other line is a record
      expect({ records: s.lines - w.files, rejected: s.rejected, stored: s.stored }).toEqual({ records: w.lines, rejected: 0, stored: w.flows });
      expect(s.duplicates + s.merged + s.stored).toBe(w.lines);
    },
  });
}

for (const biflow of [false, true]) {
  formatSuite({
    name: `ipfix ${biflow ? 'biflow' : 'uniflow'}`,
    records: biflow ? once : uni,
    rejects: false,
    wrong: {},
    load: async (env) => {
      const path = join(files, `ipfix-${biflow ? 'bi' : 'uni'}.pcap`);
      const w = writeIpfixCapture(ESTATE, path, { biflow });
      expect(w.flows).toBe(FLOWS.length);
      const io = await bulkhead(env, ['ingest', 'pcap', path]);
      expect(io.stderr).toContain(`${w.records.toLocaleString('en-US')} flow records stored.`);
      expect(io.stderr).toMatch(/, 0 decode errors\n/);
      expect(io.stderr).not.toMatch(/lost per sequence numbers|had no template/);
      expect(io.stderr).toMatch(/exporter 127\.0\.0\.\d ipfix: .*templates/);
    },
  });
}
