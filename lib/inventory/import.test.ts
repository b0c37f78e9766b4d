// An inventory import's bookkeeping, whichever caller sends it (the API, the CLI): the import
// run with its counts and first errors, the audit event, nothing of either on a dry run, and a
// failed run when applying fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { openRuntime, type Runtime } from '../runtime';
import type { Store } from '../store';
import { importInventory, KEPT_ERRORS, type InventoryAuditRecorder } from './import';

describe('importInventory', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await openRuntime(testConfig());
  });
  afterAll(async () => {
    await rt?.close();
  });

  const recorder = () => {
    const events: Parameters<InventoryAuditRecorder>[0][] = [];
    const record: InventoryAuditRecorder = async (e) => void events.push(e);
    return { events, record };
  };
  const at = new Date('2026-03-01T00:00:00Z');

  it('records a done run with counts, the first errors (naming the file) and a summary, and one audit event', async () => {
    const { events, record } = recorder();
    const errors = Array.from({ length: 60 }, (_, i) => ({ where: `line ${i + 2}`, reason: 'no name' }));
    const observations = [
      { name: 'web-1', kind: 'vm' as const, addresses: [{ ip: '10.3.0.5' }], labels: { app: 'shop' } },
      { name: '', kind: 'vm' as const, addresses: [{ ip: '10.3.0.6' }] },
    ];
    const r = await importInventory(
      rt.db.prisma,
      rt.store,
      { kind: 'inventory-csv', path: '/in/hosts.csv', checksum: 'c1', file: '/in/hosts.csv', format: 'csv', parsed: { observations, errors, skipped: [{ what: 'x', reason: 'y' }] }, source: 'cmdb', at, describe: 'imported csv inventory /in/hosts.csv' },
      record,
    );
    expect(r.workloads.created).toBe(1);
    expect(r.refused).toHaveLength(1);

    const run = await rt.db.prisma.importRun.findFirstOrThrow({ where: { checksum: 'c1' } });
    expect(run).toMatchObject({ kind: 'inventory-csv', path: '/in/hosts.csv', status: 'done', records: 2, rejected: 60 + r.refused.length });
    expect(run.finishedAt).not.toBeNull();
    const kept = run.errors as Array<{ file?: string; where: string; reason: string }>;
    expect(kept).toHaveLength(KEPT_ERRORS);
    expect(kept[0]).toEqual({ file: '/in/hosts.csv', where: 'line 2', reason: 'no name' });
    expect(run.summary).toMatchObject({ source: 'cmdb', format: 'csv', at: at.toISOString(), workloads: { created: 1 }, skipped: 1 });

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'inventory.import', target: { type: 'inventory', id: 'cmdb' }, after: { refused: 60 + r.refused.length } });
    expect(events[0]!.summary).toMatch(/^imported csv inventory \/in\/hosts\.csv: 1 new, 0 updated workloads; 1 bound, 0 moved, 0 released addresses$/);
  });

  it('leaves file and format out when the inventory came from elsewhere (the API)', async () => {
    const { record } = recorder();
    await importInventory(
      rt.db.prisma,
      rt.store,
      { kind: 'inventory-api', path: 'api:ipam', checksum: 'c2', parsed: { observations: [], errors: [{ where: '[0].name', reason: 'missing' }] }, source: 'ipam', at, describe: 'inventory from the API (ipam)' },
      record,
    );
    const run = await rt.db.prisma.importRun.findFirstOrThrow({ where: { checksum: 'c2' } });
    expect(run.errors).toEqual([{ where: '[0].name', reason: 'missing' }]);
    expect(Object.keys(run.summary as object).sort()).toEqual(['at', 'bindings', 'labels', 'source', 'workloads']);
  });

  it('writes nothing on a dry run: no run, no audit event, no workloads', async () => {
    const { events, record } = recorder();
    const r = await importInventory(
      rt.db.prisma,
      rt.store,
      { kind: 'inventory-api', path: 'api:dry', checksum: 'c3', parsed: { observations: [{ name: 'dry-1', kind: 'vm', addresses: [{ ip: '10.3.0.99' }] }], errors: [] }, source: 'dry', at, dryRun: true, describe: 'x' },
      record,
    );
    expect(r.workloads.created).toBe(1);
    expect(await rt.db.prisma.importRun.count({ where: { checksum: 'c3' } })).toBe(0);
    expect(await rt.db.prisma.workload.count({ where: { name: 'dry-1' } })).toBe(0);
    expect(events).toEqual([]);
  });

  it('marks the run failed, with the reason, when applying fails, and audits nothing', async () => {
    const { events, record } = recorder();
    const broken = {} as Store; // no methods: syncing the bindings to it throws
    await expect(
      importInventory(
        rt.db.prisma,
        broken,
        { kind: 'inventory-json', path: '/in/x.json', checksum: 'c4', file: '/in/x.json', parsed: { observations: [{ name: 'f-1', kind: 'vm', addresses: [{ ip: '10.3.0.7' }] }], errors: [] }, source: 'json', at, describe: 'x' },
        record,
      ),
    ).rejects.toThrow();
    const run = await rt.db.prisma.importRun.findFirstOrThrow({ where: { checksum: 'c4' } });
    expect(run.status).toBe('failed');
    expect((run.errors as Array<{ file: string; reason: string }>)[0]).toMatchObject({ file: '/in/x.json', reason: expect.any(String) });
    expect(events).toEqual([]);
  });
});
