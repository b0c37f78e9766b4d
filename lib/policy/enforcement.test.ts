// Enforcement states on both relational stores: the default is visibility for every (app, env) the workloads
// carry; a change is stored and audited with who, from and to; an ambiguous or unknown
// environment is refused rather than guessed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, pgSkipReason, pgUrl } from '../../test/support';
import { queryAudit } from '../audit';
import type { DatabaseConfig } from '../config';
import { openDatabase, type Database } from '../db';
import { listEnforcement, setEnforcement } from './enforcement';
import type { Who } from './workflow';

const providers: Array<[string, () => Promise<DatabaseConfig>]> = [
  ['SQLite', async () => ({ provider: 'sqlite', file: join(mkdtempSync(join(tmpdir(), 'bulkhead-enforce-')), 'state.db') })],
  ['PostgreSQL', async () => ({ provider: 'postgresql', url: await createPgDatabase() })],
];

const alice: Who = { actor: { type: 'user', id: 'u-alice', userId: null, name: 'alice@example.com', role: 'owner' }, via: 'cli' };

describe.each(providers)('enforcement states on %s', (name, make) => {
  const skip = name === 'PostgreSQL' && !pgUrl();
  if (skip) console.warn(`PostgreSQL cases not run: ${pgSkipReason()}`);
  let d: Database;

  async function workload(name: string, ip: string, labels: Record<string, string>) {
    await d.prisma.workload.create({
      data: {
        name,
        source: 'json',
        addresses: { create: [{ ip, validFrom: new Date('2026-01-01T00:00:00Z'), source: 'json' }] },
        labels: { create: Object.entries(labels).map(([key, value]) => ({ key, value, source: 'inventory' })) },
      },
    });
  }

  beforeAll(async () => {
    if (skip) return;
    d = await openDatabase(await make());
    for (const name of ['orders', 'billing', 'batch']) await d.prisma.application.create({ data: { name } });
    await workload('orders-api-1', '10.0.0.1', { app: 'orders', env: 'prod', role: 'api' });
    await workload('orders-api-2', '10.0.1.1', { app: 'orders', env: 'test', role: 'api' });
    await workload('billing-1', '10.0.0.2', { app: 'billing', env: 'prod' });
    await workload('batch-1', '10.0.0.3', { app: 'batch' });
  });

  afterAll(async () => {
    await d?.close();
  });

  describe.skipIf(skip)('enforcement', () => {
    it('lists every application and environment the workloads carry, in visibility by default', async () => {
      const rows = await listEnforcement(d.prisma);
      expect(rows.map((r) => [r.application, r.environment, r.state, r.workloads])).toEqual([
        ['batch', '', 'visibility', 1],
        ['billing', 'prod', 'visibility', 1],
        ['orders', 'prod', 'visibility', 1],
        ['orders', 'test', 'visibility', 1],
      ]);
    });

    it('stores a change and audits who changed it from what to what; the same state again changes nothing', async () => {
      const c = await setEnforcement(d.prisma, { application: 'orders', environment: 'prod', state: 'test' }, alice);
      expect(c).toMatchObject({ application: 'orders', environment: 'prod', from: 'visibility', to: 'test', changed: true });
      // no flow store here, so no readiness gate to pass: enforced only when forced (./readiness.test.ts has the gate)
      await expect(setEnforcement(d.prisma, { application: 'orders', environment: 'prod', state: 'enforced' }, alice)).rejects.toMatchObject({ kind: 'conflict' });
      await setEnforcement(d.prisma, { application: 'orders', environment: 'prod', state: 'enforced' }, alice, { force: true });
      expect((await setEnforcement(d.prisma, { application: 'orders', environment: 'prod', state: 'enforced' }, alice)).changed).toBe(false);
      const rows = await listEnforcement(d.prisma);
      expect(rows.find((r) => r.application === 'orders' && r.environment === 'prod')).toMatchObject({ state: 'enforced', changedBy: 'alice@example.com' });
      expect(rows.find((r) => r.application === 'orders' && r.environment === 'test')!.state).toBe('visibility');
      const events = (await queryAudit(d.prisma, { action: 'policy.enforce' })).events;
      expect(events.map((e) => [e.before, e.after])).toEqual([
        [{ application: 'orders', environment: 'prod', state: 'test' }, { application: 'orders', environment: 'prod', state: 'enforced', forced: true, undecided: -1, gate: 'orders@prod: the readiness gate was not checked' }],
        [{ application: 'orders', environment: 'prod', state: 'visibility' }, { application: 'orders', environment: 'prod', state: 'test' }],
      ]);
      expect(events[0]).toMatchObject({ actor: { name: 'alice@example.com' }, via: 'cli', target: { type: 'application' } });
    });

    it('takes the one environment of an application when none is named, and refuses to guess among several', async () => {
      expect(await setEnforcement(d.prisma, { application: 'billing', state: 'test' }, alice)).toMatchObject({ environment: 'prod', to: 'test' });
      expect(await setEnforcement(d.prisma, { application: 'batch', state: 'enforced' }, alice, { force: true })).toMatchObject({ environment: '', to: 'enforced' });
      await expect(setEnforcement(d.prisma, { application: 'orders', state: 'enforced' }, alice)).rejects.toMatchObject({ kind: 'invalid', message: expect.stringContaining('several environments (prod, test)') });
      await expect(setEnforcement(d.prisma, { application: 'orders', environment: 'prdo', state: 'enforced' }, alice)).rejects.toMatchObject({ kind: 'invalid' });
      await expect(setEnforcement(d.prisma, { application: 'orders', environment: 'prod', state: 'blocking' }, alice)).rejects.toMatchObject({ kind: 'invalid' });
      await expect(setEnforcement(d.prisma, { application: 'nosuch', state: 'test' }, alice)).rejects.toMatchObject({ kind: 'not-found' });
    });

    it('lists only the applications asked for (an owner sees their own)', async () => {
      const billing = await d.prisma.application.findUniqueOrThrow({ where: { name: 'billing' } });
      expect((await listEnforcement(d.prisma, { applications: [billing.id] })).map((r) => r.application)).toEqual(['billing']);
    });
  });
});
