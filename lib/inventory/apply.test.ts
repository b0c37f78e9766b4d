// Applying inventory: workloads, labels and bindings with history, on SQLite and ClickHouse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, pgSkipReason, pgUrl, testConfig } from '../../test/support';
import { openRuntime, type Runtime } from '../runtime';
import { applyInventory } from './apply';

const T = (iso: string) => new Date(iso);

describe('applyInventory', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await openRuntime(testConfig());
  });
  afterAll(async () => {
    await rt?.close();
  });

  const history = async (ip: string) =>
    (await rt.db.prisma.addressBinding.findMany({ where: { ip }, include: { workload: true }, orderBy: { validFrom: 'asc' } })).map((b) => ({
      name: b.workload.name,
      from: b.validFrom.toISOString(),
      to: b.validTo?.toISOString() ?? null,
      source: b.source,
    }));

  it('creates workloads, bindings and labels, and re-applying changes nothing', async () => {
    const obs = [
      { name: 'web-1', kind: 'vm' as const, addresses: [{ ip: '10.1.0.5' }, { ip: '2001:DB8:0:0::5' }], labels: { app: 'shop', role: 'web' }, attributes: { host: 'esx-1' } },
      { name: 'db-1', kind: 'vm' as const, addresses: [{ ip: '10.1.0.9/24' }], labels: { app: 'shop', role: 'db' } },
    ];
    const r1 = await applyInventory(rt.db.prisma, rt.store, obs, { source: 'json', at: T('2026-03-01T00:00:00Z') });
    expect(r1.workloads).toEqual({ created: 2, updated: 0, unchanged: 0, renamed: 0 });
    expect(r1.bindings.opened).toBe(3);
    expect(r1.labels.set).toBe(4);
    expect(r1.synced).toBe(3);
    // canonical forms: IPv6 compressed and lower-case, prefix length dropped
    expect(await history('2001:db8::5')).toEqual([{ name: 'web-1', from: '2026-03-01T00:00:00.000Z', to: null, source: 'json' }]);
    expect(await history('10.1.0.9')).toHaveLength(1);

    const r2 = await applyInventory(rt.db.prisma, rt.store, obs, { source: 'json', at: T('2026-03-02T00:00:00Z') });
    expect(r2.workloads).toEqual({ created: 0, updated: 0, unchanged: 2, renamed: 0 });
    expect(r2.bindings).toEqual({ opened: 0, moved: 0, closed: 0, extended: 0, trimmed: 0 });
    expect(r2.labels).toEqual({ set: 0, unchanged: 4, keptUser: 0 });
    expect(await rt.db.prisma.addressBinding.count()).toBe(3);
  });

  it('moves an address: the old binding closes, the new one opens, history is kept', async () => {
    await applyInventory(rt.db.prisma, rt.store, [{ name: 'app-a', addresses: [{ ip: '10.2.0.7' }] }], { source: 'vcenter', at: T('2026-03-01T00:00:00Z') });
    const r = await applyInventory(rt.db.prisma, rt.store, [{ name: 'app-b', addresses: [{ ip: '10.2.0.7' }] }], { source: 'vcenter', at: T('2026-03-10T12:00:00Z') });
    expect(r.bindings.moved).toBe(1);
    expect(r.bindings.opened).toBe(1);
    expect(r.notes.some((n) => n.ip === '10.2.0.7' && n.message.includes('moved from app-a'))).toBe(true);
    expect(await history('10.2.0.7')).toEqual([
      { name: 'app-a', from: '2026-03-01T00:00:00.000Z', to: '2026-03-10T12:00:00.000Z', source: 'vcenter' },
      { name: 'app-b', from: '2026-03-10T12:00:00.000Z', to: null, source: 'vcenter' },
    ]);
    // it moves back later: a third row, nothing merged across the other holder
    await applyInventory(rt.db.prisma, rt.store, [{ name: 'app-a', addresses: [{ ip: '10.2.0.7' }] }], { source: 'vcenter', at: T('2026-03-20T00:00:00Z') });
    expect((await history('10.2.0.7')).map((h) => [h.name, h.to])).toEqual([
      ['app-a', '2026-03-10T12:00:00.000Z'],
      ['app-b', '2026-03-20T00:00:00.000Z'],
      ['app-a', null],
    ]);
  });

  it('closes an address the workload no longer lists, and an older snapshot cannot take an address back', async () => {
    await applyInventory(rt.db.prisma, rt.store, [{ name: 'cache-1', addresses: [{ ip: '10.3.0.1' }, { ip: '10.3.0.2' }] }], { source: 'aws', at: T('2026-04-01T00:00:00Z') });
    const r = await applyInventory(rt.db.prisma, rt.store, [{ name: 'cache-1', addresses: [{ ip: '10.3.0.1' }] }], { source: 'aws', at: T('2026-04-02T00:00:00Z') });
    expect(r.bindings.closed).toBe(1);
    expect(await history('10.3.0.2')).toEqual([{ name: 'cache-1', from: '2026-04-01T00:00:00.000Z', to: '2026-04-02T00:00:00.000Z', source: 'aws' }]);
    // another source's snapshot does not close what aws bound
    await applyInventory(rt.db.prisma, rt.store, [{ name: 'cache-1', addresses: [] }], { source: 'csv', at: T('2026-04-03T00:00:00Z') });
    expect((await history('10.3.0.1'))[0]!.to).toBeNull();

    // newer: queue-1 takes 10.3.0.1 on 04-05; then an older snapshot (04-04) says cache-2 held it
    await applyInventory(rt.db.prisma, rt.store, [{ name: 'queue-1', addresses: [{ ip: '10.3.0.1' }] }], { source: 'aws', at: T('2026-04-05T00:00:00Z') });
    await applyInventory(rt.db.prisma, rt.store, [{ name: 'cache-2', addresses: [{ ip: '10.3.0.1' }] }], { source: 'aws', at: T('2026-04-04T00:00:00Z') });
    expect((await history('10.3.0.1')).map((h) => [h.name, h.from.slice(0, 10), h.to?.slice(0, 10) ?? null])).toEqual([
      ['cache-1', '2026-04-01', '2026-04-04'],
      ['cache-2', '2026-04-04', '2026-04-05'],
      ['queue-1', '2026-04-05', null],
    ]);
  });

  it('applies explicit intervals: a holding in the middle splits what straddles it', async () => {
    await applyInventory(rt.db.prisma, rt.store, [{ name: 'batch-1', addresses: [{ ip: '10.4.0.1', from: T('2026-01-01T00:00:00Z') }] }], { source: 'json', at: T('2026-05-01T00:00:00Z') });
    const r = await applyInventory(
      rt.db.prisma,
      rt.store,
      [{ name: 'batch-2', addresses: [{ ip: '10.4.0.1', from: T('2026-02-01T00:00:00Z'), to: T('2026-02-15T00:00:00Z') }] }],
      { source: 'json', at: T('2026-05-01T00:00:00Z') },
    );
    expect(r.bindings.trimmed).toBe(1);
    expect((await history('10.4.0.1')).map((h) => [h.name, h.from.slice(0, 10), h.to?.slice(0, 10) ?? null])).toEqual([
      ['batch-1', '2026-01-01', '2026-02-01'],
      ['batch-2', '2026-02-01', '2026-02-15'],
      ['batch-1', '2026-02-15', null],
    ]);
    // overlapping holdings of the same workload merge into one row
    await applyInventory(
      rt.db.prisma,
      rt.store,
      [{ name: 'batch-2', addresses: [{ ip: '10.4.0.2', from: T('2026-02-01T00:00:00Z'), to: T('2026-02-10T00:00:00Z') }, { ip: '10.4.0.2', from: T('2026-02-05T00:00:00Z'), to: T('2026-02-20T00:00:00Z') }] }],
      { source: 'json', at: T('2026-05-01T00:00:00Z') },
    );
    expect((await history('10.4.0.2')).map((h) => [h.from.slice(0, 10), h.to?.slice(0, 10)])).toEqual([['2026-02-01', '2026-02-20']]);
  });

  it('keeps labels people set, renames by external id, refuses bad input with reasons, and prunes', async () => {
    const p = rt.db.prisma;
    await applyInventory(p, null, [{ name: 'api-1', externalId: 'aws:i-1', addresses: [{ ip: '10.5.0.1' }], labels: { env: 'prod' } }], { source: 'aws', at: T('2026-06-01T00:00:00Z') });
    const w = await p.workload.findUniqueOrThrow({ where: { name: 'api-1' } });
    await p.label.update({ where: { workloadId_key: { workloadId: w.id, key: 'env' } }, data: { value: 'staging', source: 'user' } });
    const r = await applyInventory(
      p,
      null,
      [
        { name: 'api-1-renamed', externalId: 'aws:i-1', addresses: [{ ip: '10.5.0.1' }], labels: { env: 'prod', role: 'api' } },
        { name: '  ', addresses: [] },
        { name: 'bad-ip', addresses: [{ ip: '10.5.0.300' }, { ip: 'fe80::1' }] },
      ],
      { source: 'aws', at: T('2026-06-02T00:00:00Z') },
    );
    expect(r.workloads.renamed).toBe(1);
    expect(r.labels).toEqual({ set: 1, unchanged: 0, keptUser: 1 });
    expect(r.refused).toEqual([
      { name: '  ', reason: 'name: empty' },
      { name: 'bad-ip', reason: 'address: "10.5.0.300" is not an IP address' },
    ]);
    expect(r.notes.some((n) => n.ip === 'fe80::1' && n.message.includes('link-local'))).toBe(true);
    const after = await p.workload.findUniqueOrThrow({ where: { id: w.id }, include: { labels: true } });
    expect(after.name).toBe('api-1-renamed');
    expect(Object.fromEntries(after.labels.map((l) => [l.key, l.value]))).toEqual({ env: 'staging', role: 'api' });

    // prune: the complete aws inventory no longer has api-1-renamed
    const pr = await applyInventory(p, null, [{ name: 'other', addresses: [{ ip: '10.5.0.9' }] }], { source: 'aws', at: T('2026-06-03T00:00:00Z'), prune: true });
    expect(pr.bindings.closed).toBeGreaterThanOrEqual(1);
    expect((await history('10.5.0.1'))[0]!.to).toBe('2026-06-03T00:00:00.000Z');
    // limits named, a name twice and an address claimed twice reported as conflicts with the rule
    const limits = await applyInventory(
      p,
      null,
      [
        { name: 'x'.repeat(100_000), addresses: [{ ip: '10.5.1.1' }] },
        { name: 'tab\tname', addresses: [] },
        { name: 'twice', addresses: [{ ip: '10.5.1.2' }], labels: { 'Cost Center': '42', app: 'shop' } },
        { name: 'twice', addresses: [{ ip: '10.5.1.3' }] },
        { name: 'first-claim', addresses: [{ ip: '10.5.1.4' }] },
        { name: 'second-claim', addresses: [{ ip: '10.5.1.4' }] },
      ],
      { source: 'csv', at: T('2026-06-04T00:00:00Z') },
    );
    expect(limits.refused).toEqual([
      { name: 'x'.repeat(120), reason: 'name: 100000 characters, more than 253 (the longest DNS name)' },
      { name: 'tab\tname', reason: 'name: holds a control character' },
    ]);
    expect(limits.conflicts.map((c) => [c.workload, c.ip ?? null, c.message])).toEqual([
      ['twice', null, expect.stringMatching(/^label key "Cost Center": a label key: .*: left out$/)],
      ['twice', null, expect.stringMatching(/^listed twice: merged into one workload/)],
      ['second-claim', '10.5.1.4', 'also claimed by first-claim from 2026-06-04T00:00:00.000Z: the first entry holds it, this one is not bound'],
    ]);
    expect((await history('10.5.1.4')).filter((h) => h.to === null).map((h) => h.name)).toEqual(['first-claim']);

    // dry run reports without writing
    const dry = await applyInventory(p, null, [{ name: 'ghost', addresses: [{ ip: '10.5.0.77' }] }], { source: 'aws', dryRun: true });
    expect(dry.workloads.created).toBe(1);
    expect(await p.workload.findUnique({ where: { name: 'ghost' } })).toBeNull();
  });
});

describe('applyInventory on PostgreSQL', () => {
  const skip = !pgUrl();
  if (skip) console.warn(`PostgreSQL cases not run: ${pgSkipReason()}`);
  it.skipIf(skip)('applies moves and intervals in one transaction', async () => {
    const url = await createPgDatabase();
    const rt = await openRuntime(testConfig({}, { DATABASE_URL: url }));
    try {
      expect(rt.db.provider).toBe('postgresql');
      const p = rt.db.prisma;
      await applyInventory(p, rt.store, [{ name: 'a', addresses: [{ ip: '10.9.0.1' }], labels: { app: 'x' } }], { source: 'json', at: T('2026-03-01T00:00:00Z') });
      const r = await applyInventory(p, rt.store, [{ name: 'b', externalId: 'e-b', addresses: [{ ip: '10.9.0.1' }, { ip: '10.9.0.2', from: T('2026-02-01T00:00:00Z'), to: T('2026-02-10T00:00:00Z') }] }], { source: 'json', at: T('2026-03-05T00:00:00Z') });
      expect(r.bindings).toMatchObject({ opened: 2, moved: 1 });
      expect(r.synced).toBe(3);
      const rows = await p.addressBinding.findMany({ orderBy: [{ ip: 'asc' }, { validFrom: 'asc' }], include: { workload: true } });
      expect(rows.map((b) => [b.ip, b.workload.name, b.validTo?.toISOString() ?? null])).toEqual([
        ['10.9.0.1', 'a', '2026-03-05T00:00:00.000Z'],
        ['10.9.0.1', 'b', null],
        ['10.9.0.2', 'b', '2026-02-10T00:00:00.000Z'],
      ]);
    } finally {
      await rt.close();
    }
  });
});

describe('applyInventory: intervals of a workload that holds the address anyway', () => {
  it('keeps an open holding open when an interval inside it is imported', async () => {
    const rt = await openRuntime(testConfig());
    try {
      const p = rt.db.prisma;
      await applyInventory(p, null, [{ name: 'w', addresses: [{ ip: '10.8.0.1', from: T('2026-01-01T00:00:00Z') }] }], { source: 'vcenter', at: T('2026-03-01T00:00:00Z') });
      const r = await applyInventory(p, null, [{ name: 'w', addresses: [{ ip: '10.8.0.1', from: T('2026-02-01T00:00:00Z'), to: T('2026-02-15T00:00:00Z') }] }], { source: 'json', at: T('2026-03-01T00:00:00Z') });
      expect(r.bindings).toEqual({ opened: 0, moved: 0, closed: 0, extended: 0, trimmed: 0 });
      const rows = await p.addressBinding.findMany({ where: { ip: '10.8.0.1' } });
      expect(rows.map((b) => [b.validFrom.toISOString(), b.validTo])).toEqual([['2026-01-01T00:00:00.000Z', null]]);
    } finally {
      await rt.close();
    }
  });
});
