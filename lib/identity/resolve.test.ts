// Unknown addresses: named networks (most specific wins, a person's network over a built-in
// class), the same answer in TypeScript and in ClickHouse SQL, and reverse DNS names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { openRuntime, type Runtime } from '../runtime';
import { canonicalAddress, isHostLocal } from './address';
import { dnsCandidates, loadNames, reverseResolve, storeAnswers } from './dns';
import { namedNetworkSql, NetworkTable, syncNamedNetworks } from './networks';
import { IdentityResolver, resolveAddress } from './resolve';

describe('addresses and named networks (no store)', () => {
  it('canonicalizes addresses', () => {
    expect(canonicalAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(canonicalAddress('10.1.2.3/24')).toBe('10.1.2.3');
    expect(canonicalAddress('10.1.2.300')).toBeNull();
    expect(isHostLocal('fe80::1')).toBe(true);
    expect(isHostLocal('169.254.169.254')).toBe(true);
    expect(isHostLocal('10.0.0.1')).toBe(false);
  });

  it('picks the most specific network, people before built-in classes', () => {
    const t = new NetworkTable([
      { name: 'office', kind: 'user', cidrs: ['10.20.0.0/16'] },
      { name: 'office vpn', kind: 'user', cidrs: ['10.20.8.0/22'] },
      { name: 'partner', kind: 'partner', cidrs: ['198.51.100.0/24', '2001:db8:77::/48'] },
      { name: 'my private', kind: 'datacenter', cidrs: ['172.16.0.0/12'] },
    ]);
    expect(t.lookup('10.20.9.1')!.name).toBe('office vpn');
    expect(t.lookup('10.20.1.1')!.name).toBe('office');
    expect(t.lookup('10.99.0.1')!.name).toBe('private (unnamed)');
    expect(t.lookup('172.20.0.1')!.name).toBe('my private'); // same range as a built-in class: the person's wins
    expect(t.lookup('198.51.100.20')).toMatchObject({ name: 'partner', kind: 'partner', cidr: '198.51.100.0/24' });
    expect(t.lookup('2001:db8:77::5')).toMatchObject({ name: 'partner', cidr: '2001:db8:77::/48' });
    expect(t.lookup('8.8.8.8')).toMatchObject({ name: 'internet', builtin: true });
    expect(t.lookup('2606:4700::1111')).toMatchObject({ name: 'internet' });
    expect(t.lookup('fd00::1')!.name).toBe('private (unnamed)');
    expect(t.lookup('224.0.0.251')!.name).toBe('multicast');
    expect(t.lookup('nonsense')).toBeNull();
  });

  it('resolves by time: [validFrom, validTo)', () => {
    const at = (iso: string) => new Date(iso);
    const r = IdentityResolver.of(
      [
        { ip: '10.0.0.7', validFrom: at('2026-03-01T00:00:00Z'), validTo: at('2026-03-10T00:00:00Z'), workloadId: 'a', workloadName: 'old' },
        { ip: '10.0.0.7', validFrom: at('2026-03-10T00:00:00Z'), validTo: null, workloadId: 'b', workloadName: 'new' },
      ],
      [],
      new Map([['10.0.0.8', 'printer.example.net']]),
    );
    expect(r.resolve('10.0.0.7', at('2026-02-28T23:59:59Z'))).toMatchObject({ type: 'network', network: 'private (unnamed)' });
    expect(r.resolve('10.0.0.7', at('2026-03-09T23:59:59Z'))).toMatchObject({ type: 'workload', workloadName: 'old' });
    expect(r.resolve('10.0.0.7', at('2026-03-10T00:00:00Z'))).toMatchObject({ type: 'workload', workloadName: 'new' });
    expect(r.resolve('10.0.0.8', Date.now())).toMatchObject({ type: 'network', dnsName: 'printer.example.net' });
    expect(r.history('10.0.0.7').map((h) => h.workloadName)).toEqual(['old', 'new']);
  });

  it('reverse-resolves in bounded parallel, with timeouts, never failing the batch', async () => {
    let inFlight = 0;
    let peak = 0;
    const lookup = async (addr: string) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        await new Promise((r) => setTimeout(r, addr === '10.0.0.3' ? 500 : 5));
        if (addr === '10.0.0.2') throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
        return addr === '10.0.0.4' ? [] : [`host-${addr.split('.')[3]}.example.`];
      } finally {
        inFlight--;
      }
    };
    const answers = await reverseResolve(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'], lookup, { concurrency: 2, timeoutMs: 100 });
    const by = Object.fromEntries(answers.map((a) => [a.addr, `${a.status}:${a.name}`]));
    expect(by).toEqual({
      '10.0.0.1': 'ok:host-1.example',
      '10.0.0.2': 'nxdomain:',
      '10.0.0.3': 'timeout:',
      '10.0.0.4': 'nxdomain:',
      '10.0.0.5': 'ok:host-5.example',
      '10.0.0.6': 'ok:host-6.example',
    });
    expect(peak).toBe(2);
  });
});

describe('named networks and DNS names in ClickHouse', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await openRuntime(testConfig());
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('classifies addresses in SQL as the TypeScript table does', async () => {
    const p = rt.db.prisma;
    await p.namedNetwork.create({ data: { name: 'office', kind: 'user', cidrs: '10.20.0.0/16 2001:db8:20::/48' } });
    await p.namedNetwork.create({ data: { name: 'office vpn', kind: 'user', cidrs: '10.20.8.0/22' } });
    await p.namedNetwork.create({ data: { name: 'everything v4', kind: 'other', cidrs: '0.0.0.0/0' } });
    expect(await syncNamedNetworks(p, rt.store)).toBe(4 + 15); // CIDRs of the three networks and of the built-in classes
    const addrs = ['10.20.9.1', '10.20.1.1', '10.30.0.1', '8.8.8.8', '2001:db8:20::9', '2606:4700::1111', '127.0.0.1', 'fe80::1'];
    const net = namedNetworkSql(rt.store);
    const rows = await rt.store.rows<{ a: string; n: string }>(
      `WITH ${net.with} SELECT a, ${net.of('toIPv6(a)')} AS n FROM (SELECT arrayJoin({addrs:Array(String)}) AS a)`,
      { addrs },
    );
    const table = new NetworkTable([
      { name: 'office', kind: 'user', cidrs: ['10.20.0.0/16', '2001:db8:20::/48'] },
      { name: 'office vpn', kind: 'user', cidrs: ['10.20.8.0/22'] },
      { name: 'everything v4', kind: 'other', cidrs: ['0.0.0.0/0'] },
    ]);
    expect(Object.fromEntries(rows.map((r) => [r.a, r.n]))).toEqual(Object.fromEntries(addrs.map((a) => [a, table.lookup(a)!.name])));
    expect(table.lookup('8.8.8.8')!.name).toBe('everything v4');
    expect(table.lookup('10.30.0.1')!.name).toBe('private (unnamed)');
  });

  it('stores reverse DNS answers and offers unknown busy addresses as candidates', async () => {
    const hour = Date.UTC(2026, 5, 1, 10);
    const flow = (src: string, dst: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        start: hour + i * 1000, end: hour + i * 1000, srcAddr: src, dstAddr: dst, srcPort: 40000 + i, dstPort: 443, protocol: 6,
        bytes: 100, packets: 1, serverSide: 'dst' as const, orientation: 'port' as const, sourceKind: 'synthetic' as const, exporter: 'test',
      }));
    await rt.store.insertFlows([...flow('10.0.0.1', '93.184.216.34', 5), ...flow('10.0.0.1', '198.51.100.80', 2)]);
    const since = new Date(hour - 3600_000);
    const c1 = await dnsCandidates(rt.store, { since, limit: 10 });
    expect(c1.map((c) => c.addr)).toEqual(['10.0.0.1', '93.184.216.34', '198.51.100.80']);
    await storeAnswers(rt.store, [
      { addr: '93.184.216.34', name: 'example.com', status: 'ok' },
      { addr: '198.51.100.80', name: '', status: 'nxdomain' },
    ]);
    expect((await dnsCandidates(rt.store, { since, limit: 10 })).map((c) => c.addr)).toEqual(['10.0.0.1']);
    expect(await loadNames(rt.store)).toEqual(new Map([['93.184.216.34', 'example.com']]));
    const r = await resolveAddress(rt.db.prisma, rt.store, '93.184.216.34', new Date(hour));
    expect(r).toMatchObject({ type: 'network', dnsName: 'example.com' });
  });
});
