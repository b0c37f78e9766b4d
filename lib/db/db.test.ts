// The relational store on both providers: the same migrations and the same client API, on a
// SQLite file and on a real PostgreSQL server started for the test run (test/global-setup.ts).
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createPgDatabase, pgSkipReason, pgUrl } from '../../test/support';
import type { DatabaseConfig } from '../config';
import { openDatabase } from './index';
import { applySqlMigrations, loadSqlMigrations } from './migrate';

const providers: Array<[string, () => Promise<DatabaseConfig>]> = [
  ['SQLite', async () => ({ provider: 'sqlite', file: join(mkdtempSync(join(tmpdir(), 'bulkhead-db-')), 'state.db') })],
  ['PostgreSQL', async () => ({ provider: 'postgresql', url: await createPgDatabase() })],
];

describe.each(providers)('relational store on %s', (name, make) => {
  // Without a PostgreSQL server (not installed on this machine) the PostgreSQL cases cannot run;
  // .ci/run installs one and sets BULKHEAD_REQUIRE_PG=1, which turns its absence into a failure.
  const skip = name === 'PostgreSQL' && !pgUrl();
  if (skip) console.warn(`PostgreSQL cases not run: ${pgSkipReason()}`);

  it.skipIf(skip)('migrates a fresh database, once', async () => {
    const cfg = await make();
    const db = await openDatabase(cfg);
    expect(db.applied).toEqual(loadSqlMigrations(cfg.provider).map((m) => m.name));
    await db.close();
    const again = await openDatabase(cfg);
    expect(again.applied).toEqual([]);
    const h = await again.health();
    expect(h.ok).toBe(true);
    if (cfg.provider === 'postgresql') console.log(`PostgreSQL cases ran against a real server, version ${h.version}`);
    await again.close();
  });

  it.skipIf(skip)('stores workloads with labels, address history and JSON attributes; deletes cascade', async () => {
    const db = await openDatabase(await make());
    const p = db.prisma;
    const w = await p.workload.create({
      data: {
        name: 'pay-db-1',
        kind: 'vm',
        source: 'csv',
        attributes: { instanceId: 'i-0abc', cluster: 'prod-a' },
        labels: { create: [{ key: 'app', value: 'payments', source: 'inventory' }, { key: 'role', value: 'db', source: 'inferred', confirmed: false, confidence: 0.8 }] },
        addresses: {
          create: [
            { ip: '10.0.0.5', validFrom: new Date('2026-01-01T00:00:00Z'), validTo: new Date('2026-01-10T00:00:00Z'), source: 'csv' },
            { ip: '10.0.0.9', validFrom: new Date('2026-01-10T00:00:00Z'), source: 'csv' },
          ],
        },
      },
    });
    const back = await p.workload.findUniqueOrThrow({ where: { id: w.id }, include: { labels: { orderBy: { key: 'asc' } }, addresses: { orderBy: { validFrom: 'asc' } } } });
    expect(back.attributes).toEqual({ instanceId: 'i-0abc', cluster: 'prod-a' });
    expect(back.labels.map((l) => [l.key, l.value, l.confirmed])).toEqual([['app', 'payments', true], ['role', 'db', false]]);
    expect(back.addresses.map((a) => [a.ip, a.validTo?.toISOString() ?? null])).toEqual([['10.0.0.5', '2026-01-10T00:00:00.000Z'], ['10.0.0.9', null]]);
    // The address held at a moment: the one binding whose interval contains it.
    const at = new Date('2026-01-05T12:00:00Z');
    const holder = await p.addressBinding.findFirst({ where: { ip: '10.0.0.5', validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] } });
    expect(holder?.workloadId).toBe(w.id);
    await expect(p.label.create({ data: { workloadId: w.id, key: 'app', value: 'other', source: 'user' } })).rejects.toThrow();
    await p.workload.delete({ where: { id: w.id } });
    expect(await p.label.count({ where: { workloadId: w.id } })).toBe(0);
    expect(await p.addressBinding.count({ where: { workloadId: w.id } })).toBe(0);
    await db.close();
  });

  it.skipIf(skip)('keeps rules with their history, baselines unique per version, and the audit log', async () => {
    const db = await openDatabase(await make());
    const p = db.prisma;
    const app = await p.application.create({ data: { name: 'payments' } });
    const rule = await p.rule.create({
      data: {
        applicationId: app.id,
        fromSelector: { labels: { app: 'payments', role: 'api' } },
        toSelector: { labels: { app: 'payments', role: 'db' } },
        ports: [{ protocol: 'tcp', port: 5432 }],
        intent: 'payments API reads and writes its database',
        status: 'proposed',
        origin: 'proposal',
        events: { create: [{ actorName: 'bulkhead', action: 'propose', toStatus: 'proposed' }] },
      },
    });
    await p.rule.update({
      where: { id: rule.id },
      data: { status: 'approved', events: { create: [{ actorName: 'alice', action: 'approve', fromStatus: 'proposed', toStatus: 'approved', comment: 'matches the design' }] } },
    });
    const history = await p.ruleEvent.findMany({ where: { ruleId: rule.id }, orderBy: { at: 'asc' } });
    expect(history.map((e) => e.action)).toEqual(['propose', 'approve']);
    await p.baseline.create({ data: { name: 'prod', version: 1, createdByName: 'alice', ruleCount: 1, content: { rules: [rule.id] } } });
    await expect(p.baseline.create({ data: { name: 'prod', version: 1, createdByName: 'bob', ruleCount: 0, content: {} } })).rejects.toThrow();
    await p.auditEvent.create({ data: { actorName: 'alice', action: 'rule.approve', targetType: 'rule', targetId: rule.id, before: { status: 'proposed' }, after: { status: 'approved' } } });
    expect(await p.auditEvent.count({ where: { action: 'rule.approve' } })).toBe(1);
    await db.close();
  });
});

describe('migration bookkeeping', () => {
  it('refuses a migration that changed after it was applied', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bulkhead-db-')), 'state.db');
    const db = await openDatabase({ provider: 'sqlite', file });
    await db.close();
    const { default: Sqlite } = await import('better-sqlite3');
    const raw = new Sqlite(file);
    const driver = {
      exec: async (sql: string) => void raw.exec(sql),
      queryNames: async () => raw.prepare('SELECT name, checksum FROM "_bulkhead_migrations"').all() as Array<{ name: string; checksum: string }>,
      transaction: async (fn: () => Promise<void>) => fn(),
      record: async () => {},
    };
    const edited = loadSqlMigrations('sqlite').map((m) => ({ ...m, checksum: 'different' }));
    await expect(applySqlMigrations(driver, 'sqlite', edited)).rejects.toThrow(/was changed after it was applied/);
    raw.close();
  });
});
