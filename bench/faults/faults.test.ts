// The fault scenarios of docs/reliability.md, reduced, in every `npm test`: real `bulkhead`
// processes killed with SIGKILL, a collector fed far-off timestamps and a template flood, files
// with a 32 MiB line or records cut short, an owner widening their rule. The full-size run is
// `npm run bench -- faults`.
import { afterAll, describe, expect, it } from 'vitest';
import { badRecords, farTimestamps, importKilled, inventoryKilled, longLine, ownerEscalation, removeHomes, templateFlood, type FaultResult } from './scenarios';

const held = (r: FaultResult) => ({ scenario: r.scenario, ok: r.ok, lost: r.lost, duplicated: r.duplicated, notes: r.notes });
const expectHeld = (r: FaultResult) => expect(held(r)).toEqual({ scenario: r.scenario, ok: true, lost: 0, duplicated: 0, notes: r.notes });

describe('faults', () => {
  afterAll(removeHomes);

  it('stores every record of a flow import exactly once after kill -9 and a second run', async () => {
    const r = await importKilled({ lines: 100_000 });
    expectHeld(r);
    expect(r.stored).toBe(100_000);
  }, 180_000);

  it('stores every workload of an inventory import exactly once after kill -9 and a second run', async () => expectHeld(await inventoryKilled({ workloads: 2_000 })), 180_000);

  it('quarantines far-off timestamps and stores every good flow around them; restarts quickly', async () => expectHeld(await farTimestamps({ datagrams: 200 })), 180_000);

  it('survives a template flood in bounded memory, counting evictions', async () => {
    const r = await templateFlood({ announcements: 50_000 });
    expect({ ok: r.ok, notes: r.notes }).toEqual({ ok: true, notes: r.notes });
    expect(r.peakRssMB).toBeLessThan(500);
  }, 180_000);

  it('names a 32 MiB line in a gzip file and keeps every good line', async () => expectHeld(await longLine({ megabytes: 32, good: 1_000 })), 120_000);

  it('keeps every good record around one cut short and a quote left open', async () => expectHeld(await badRecords({ records: 300 })), 120_000);

  it('does not let an owner approve the rule they widened', async () => expectHeld(await ownerEscalation()), 60_000);
});
