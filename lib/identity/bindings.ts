// Identity over time in ClickHouse: the address_bindings table mirrors the relational
// AddressBinding history so that SQL can turn (address, time) into the workload that held the
// address then. This is a stable contract (docs/identity.md; lib/analysis builds on it):
// intervals are [valid_from, valid_to), holdings of one address never overlap, open holdings
// end at OPEN_END. Resolve the hourly rollup with an ASOF join on the conversation's first packet:
//
//   ASOF LEFT JOIN <db>.address_bindings AS b ON c.client_addr = b.addr AND c.first_seen >= b.valid_from
//   ... if(c.first_seen < b.valid_to, b.workload_id, '')
//
// or, for a few addresses, a range join:
//
//   LEFT JOIN <db>.address_bindings AS b
//     ON c.client_addr = b.addr AND c.first_seen >= b.valid_from AND c.first_seen < b.valid_to
//
// An hourly rollup row holds one (client, server, port, protocol) per hour, so an address that
// changed hands inside an hour resolves by the conversation's first packet in that hour.
import type { Db } from '../db';
import type { Store } from '../store';

export interface BindingRow {
  ip: string;
  validFrom: Date;
  /** null while still bound */
  validTo: Date | null;
  workloadId: string;
  workloadName: string;
}

/** valid_to of a binding that is still open: the far end of DateTime64's useful range. */
export const OPEN_END = Date.UTC(2106, 0, 1);

/** The relational binding history (of the given addresses, or all). */
export async function loadBindings(db: Db, opts: { ips?: readonly string[] } = {}): Promise<BindingRow[]> {
  const rows = await db.addressBinding.findMany({
    where: opts.ips ? { ip: { in: [...opts.ips] } } : undefined,
    include: { workload: { select: { name: true } } },
  });
  return rows.map((b) => ({ ip: b.ip, validFrom: b.validFrom, validTo: b.validTo, workloadId: b.workloadId, workloadName: b.workload.name }));
}

/**
 * Replace ClickHouse's copy of the bindings atomically: fill a new table, then EXCHANGE it with
 * the live one, so queries never see a half-written table.
 */
export async function replaceBindings(store: Store, rows: readonly BindingRow[]): Promise<void> {
  const live = store.t('address_bindings');
  const next = store.t('address_bindings_next');
  await store.command(`DROP TABLE IF EXISTS ${next}`);
  await store.command(`CREATE TABLE ${next} AS ${live}`);
  const CHUNK = 50_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    await store.client.insert({
      table: next,
      format: 'JSONCompactEachRow',
      columns: ['addr', 'valid_from', 'valid_to', 'workload_id', 'workload_name'],
      values: rows.slice(i, i + CHUNK).map((r) => [r.ip, r.validFrom.getTime(), r.validTo ? r.validTo.getTime() : OPEN_END, r.workloadId, r.workloadName]),
    });
  }
  await store.command(`EXCHANGE TABLES ${next} AND ${live}`);
  await store.command(`DROP TABLE IF EXISTS ${next}`);
}

/** Copy the relational binding history to ClickHouse (after any inventory change). */
export async function syncBindings(db: Db, store: Store): Promise<number> {
  const rows = await loadBindings(db);
  await replaceBindings(store, rows);
  return rows.length;
}
