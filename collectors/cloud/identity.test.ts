// End to end: AWS flow logs and an inventory whose address moves from one workload to another.
// The dependency edges, read from the hourly rollup joined with address_bindings as
// docs/identity.md documents (the join lib/analysis builds its graph on), name the workload that
// held the address in each period: a reused IP never produces a dependency that never existed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { IdentityResolver } from '../../lib/identity/resolve';
import { applyInventory } from '../../lib/inventory';
import { openRuntime, type Runtime } from '../../lib/runtime';
import { readInventoryFile } from '../inventory';
import { CloudImporter } from './importer';

const HOUR = 3600;
const T0 = Date.UTC(2026, 2, 1) / 1000; // 2026-03-01
const MOVE = '2026-03-10T12:00:00Z';

/** Default-format AWS lines: app-1 (10.0.0.50) calls 10.0.0.7:5432 every 6 hours for 20 days; ENI of the client only. */
function flowLog(): string {
  const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
  for (let h = 0; h < 20 * 24; h += 6) {
    const s = T0 + h * HOUR + 60;
    lines.push(`2 111122223333 eni-0app 10.0.0.50 10.0.0.7 ${40000 + h} 5432 6 10 1000 ${s} ${s + 30} ACCEPT OK`);
    lines.push(`2 111122223333 eni-0app 10.0.0.7 10.0.0.50 5432 ${40000 + h} 6 8 20000 ${s} ${s + 30} ACCEPT OK`);
  }
  // and an endpoint no inventory names, in a partner range
  lines.push(`2 111122223333 eni-0app 10.0.0.50 203.0.113.9 50000 443 6 4 400 ${T0 + 100} ${T0 + 130} ACCEPT OK`);
  return `${lines.join('\n')}\n`;
}

describe('an address reused by two workloads', () => {
  let rt: Runtime;
  let dir: string;
  beforeAll(async () => {
    rt = await openRuntime(testConfig());
    dir = mkdtempSync(join(tmpdir(), 'bulkhead-identity-'));
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('gives each holder the edges of its own period', async () => {
    writeFileSync(join(dir, 'flows.log'), flowLog());
    const imp = new CloudImporter(rt.db.prisma, rt.store, { kind: 'aws' });
    await imp.importPaths([join(dir, 'flows.log')], '/');
    const s = await imp.finish();
    expect(s.stored).toBe(81); // 80 requests with their replies joined, and the partner call
    expect(s.merged).toBe(80);

    // Inventory as a history file: old-db held 10.0.0.7 until the move, new-db since.
    writeFileSync(
      join(dir, 'inventory.json'),
      JSON.stringify([
        { name: 'app-1', addresses: [{ ip: '10.0.0.50', from: '2026-01-01T00:00:00Z' }], labels: { app: 'shop', role: 'app' } },
        { name: 'old-db', addresses: [{ ip: '10.0.0.7', from: '2026-01-01T00:00:00Z', to: MOVE }], labels: { app: 'shop', role: 'db' } },
        { name: 'new-db', addresses: [{ ip: '10.0.0.7', from: MOVE }], labels: { app: 'billing', role: 'db' } },
      ]),
    );
    const inv = await readInventoryFile(join(dir, 'inventory.json'));
    expect(inv.format).toBe('json');
    const applied = await applyInventory(rt.db.prisma, rt.store, inv.result.observations, { source: 'json', at: new Date('2026-04-01T00:00:00Z') });
    expect(applied.synced).toBe(3);
    await rt.db.prisma.namedNetwork.create({ data: { name: 'payments partner', kind: 'partner', cidrs: '203.0.113.0/24' } });
    const { syncNamedNetworks, namedNetworkSql } = await import('../../lib/identity/networks');
    await syncNamedNetworks(rt.db.prisma, rt.store);

    // The contract: rollup rows resolved by their first packet in the hour, [valid_from, valid_to).
    const net = namedNetworkSql(rt.store);
    const edges = await rt.store.rows<{ client: string; server: string; port: number; flows: number; first: string; last: string }>(
      `WITH ${net.with}
       SELECT
         if(c.first_seen < bc.valid_to, bc.workload_name, '') AS cw,
         if(c.first_seen < bs.valid_to, bs.workload_name, '') AS sw,
         if(cw != '', cw, IPv6NumToString(c.client_addr)) AS client,
         if(sw != '', sw, ${net.of('c.server_addr')}) AS server,
         c.server_port AS port,
         sum(c.flows) AS flows,
         toString(min(c.first_seen)) AS first,
         toString(max(c.last_seen)) AS last
       FROM ${rt.store.t('conversations_hourly')} AS c
       ASOF LEFT JOIN ${rt.store.t('address_bindings')} AS bc ON c.client_addr = bc.addr AND c.first_seen >= bc.valid_from
       ASOF LEFT JOIN ${rt.store.t('address_bindings')} AS bs ON c.server_addr = bs.addr AND c.first_seen >= bs.valid_from
       GROUP BY cw, sw, client, server, port
       ORDER BY first`,
    );
    expect(edges.map((e) => [e.client, e.server, e.port, e.flows])).toEqual([
      ['app-1', 'old-db', 5432, 38], // Mar 1 00:01 .. Mar 10 06:01, every 6 hours
      ['app-1', 'payments partner', 443, 1],
      ['app-1', 'new-db', 5432, 42], // Mar 10 12:01 .. Mar 20 18:01
    ]);
    expect(edges[0]!.last < '2026-03-10 12:00:00').toBe(true);
    expect(edges[2]!.first >= '2026-03-10 12:00:00').toBe(true);

    // The TypeScript resolver gives the same answers.
    const r = await IdentityResolver.load(rt.db.prisma, rt.store);
    expect(r.resolve('10.0.0.7', new Date('2026-03-10T06:01:00Z'))).toMatchObject({ type: 'workload', workloadName: 'old-db' });
    expect(r.resolve('10.0.0.7', new Date(MOVE))).toMatchObject({ type: 'workload', workloadName: 'new-db' });
    expect(r.resolve('203.0.113.9', new Date(MOVE))).toMatchObject({ type: 'network', network: 'payments partner', networkKind: 'partner' });
  });
});
