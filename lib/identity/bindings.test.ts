// An address reused by two workloads at different times resolves to the right one in each period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { openRuntime, type Runtime } from '../runtime';
import { syncBindings } from './bindings';

describe('address bindings in ClickHouse', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await openRuntime(testConfig());
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('resolves (address, time) to the workload that held the address then', async () => {
    const p = rt.db.prisma;
    const moved = new Date('2026-03-10T12:00:00Z');
    await p.workload.create({ data: { name: 'old-web', source: 'json', addresses: { create: [{ ip: '10.0.0.7', validFrom: new Date('2026-03-01T00:00:00Z'), validTo: moved, source: 'json' }] } } });
    await p.workload.create({ data: { name: 'new-db', source: 'json', addresses: { create: [{ ip: '10.0.0.7', validFrom: moved, source: 'json' }, { ip: '2001:db8::7', validFrom: moved, source: 'json' }] } } });
    expect(await syncBindings(p, rt.store)).toBe(3);
    const at = (iso: string, addr = '10.0.0.7') =>
      rt.store.rows<{ name: string }>(
        `SELECT b.workload_name AS name FROM (SELECT toIPv6({a:String}) AS a, toDateTime64({t:String}, 3, 'UTC') AS t) AS q
         LEFT JOIN ${rt.store.t('address_bindings')} AS b ON q.a = b.addr AND q.t >= b.valid_from AND q.t < b.valid_to`,
        { a: addr, t: iso },
      );
    expect(await at('2026-02-28 23:59:59')).toEqual([{ name: '' }]);
    expect(await at('2026-03-05 08:00:00')).toEqual([{ name: 'old-web' }]);
    expect(await at('2026-03-10 11:59:59.999')).toEqual([{ name: 'old-web' }]);
    expect(await at('2026-03-10 12:00:00')).toEqual([{ name: 'new-db' }]);
    expect(await at('2030-01-01 00:00:00')).toEqual([{ name: 'new-db' }]);
    expect(await at('2026-04-01 00:00:00', '2001:db8::7')).toEqual([{ name: 'new-db' }]);
    // Syncing again replaces, never duplicates.
    await syncBindings(p, rt.store);
    expect((await rt.store.rows<{ n: number }>(`SELECT count() AS n FROM ${rt.store.t('address_bindings')}`))[0]!.n).toBe(3);
  });
});
