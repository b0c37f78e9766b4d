// Suggested networks of unknown clients as people handle them: saved idempotently beside the
// networks people declared, not used for grouping until accepted, accepted under another name or
// narrowed (never widened), declined for good.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { openRuntime, type Runtime } from '../runtime';
import { acceptNetworkSuggestion, loadDeclinedNetworkCidrs, loadNamedNetworks, loadNetworkSuggestions, removeNamedNetwork, saveNamedNetwork, saveNetworkSuggestions } from './networks';

const admins = { name: 'clients-10.250.8.0-26', cidr: '10.250.8.0/26', addresses: ['10.250.8.3', '10.250.8.9'], reaches: ['jump-hosts tcp/3389'], confidence: 0.8 };
const users = { name: 'clients-10.60.1.0-24', cidr: '10.60.1.0/24', addresses: ['10.60.1.7', '10.60.1.90'], reaches: ['portal@prod tcp/443'], confidence: 0.7 };

describe('network suggestions', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await openRuntime(testConfig());
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('saves suggestions idempotently and keeps them out of the named networks', async () => {
    const db = rt.db.prisma;
    await saveNamedNetwork(db, rt.store, { name: 'vpn', kind: 'user', cidrs: ['10.99.0.0/16'] });
    expect(await saveNetworkSuggestions(db, [admins, users])).toEqual({ written: 2, removed: 0 });
    expect(await saveNetworkSuggestions(db, [admins, users])).toEqual({ written: 0, removed: 0 });
    expect((await loadNamedNetworks(db)).map((n) => n.name)).toEqual(['vpn']);
    expect((await loadNetworkSuggestions(db)).map((n) => [n.name, n.cidr, n.addresses.length])).toEqual([
      ['clients-10.250.8.0-26', '10.250.8.0/26', 2],
      ['clients-10.60.1.0-24', '10.60.1.0/24', 2],
    ]);
    // a suggestion discovery no longer makes goes; a person's network of the same name is never touched
    expect(await saveNetworkSuggestions(db, [admins, { ...users, name: 'vpn' }])).toEqual({ written: 0, removed: 1 });
    expect((await loadNamedNetworks(db)).find((n) => n.name === 'vpn')!.cidrs).toEqual(['10.99.0.0/16']);
    await saveNetworkSuggestions(db, [admins, users]);
  });

  it('accepts a suggestion renamed or narrowed, never widened', async () => {
    const db = rt.db.prisma;
    await expect(acceptNetworkSuggestion(db, rt.store, admins.name, { cidr: '10.250.8.0/25' })).rejects.toThrow(/not inside the suggested 10\.250\.8\.0\/26/);
    await expect(acceptNetworkSuggestion(db, rt.store, 'nope')).rejects.toThrow(/no suggested network "nope"/);
    const { after } = await acceptNetworkSuggestion(db, rt.store, admins.name, { as: 'admin-workstations', cidr: '10.250.8.0/27' });
    expect(after).toMatchObject({ name: 'admin-workstations', cidrs: '10.250.8.0/27', confirmed: true });
    expect((await loadNamedNetworks(db)).map((n) => n.name).sort()).toEqual(['admin-workstations', 'vpn']);
    // ClickHouse groups by it at once
    const rows = await rt.store.rows<{ n: number }>(`SELECT count() AS n FROM ${rt.store.t('named_networks')} WHERE name = 'admin-workstations'`);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('declines a suggestion for good', async () => {
    const db = rt.db.prisma;
    await removeNamedNetwork(db, rt.store, users.name);
    expect(await loadNetworkSuggestions(db)).toEqual([]);
    expect(await loadDeclinedNetworkCidrs(db)).toEqual(['10.60.1.0/24']);
    expect(await saveNetworkSuggestions(db, [users])).toEqual({ written: 0, removed: 0 });
    expect(await loadNetworkSuggestions(db)).toEqual([]);
  });
});
