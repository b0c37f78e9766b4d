// VM identity carried in the flows themselves, as an inventory source: VMware NSX IPFIX names the
// VM (vmUuid) on the side of the vNIC it observed, AWS flow logs name the ENI's instance, GCP
// names the VMs and GKE pods of both ends. Each (VM, address) seen in flows becomes "the VM held
// the address from the first flow on"; later evidence of another holder closes it (the usual
// binding rules), and nothing is closed for not being seen (the import is additive).
//
// VMware UUIDs are matched against the vCenter inventory (attributes uuid and instanceUuid), so a
// VM seen in flows and listed by vCenter is one workload under its vCenter name.
import type { Db } from '../../lib/db';
import type { InventoryObservation } from '../../lib/inventory/types';
import type { Store } from '../../lib/store';
import { canonicalAddress } from '../../lib/identity/address';
import { emptyResult, obj, type AdapterResult } from './types';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const AWS_INSTANCE = /^i-[0-9a-f]{8,17}$/;

export async function fromFlows(store: Store, db: Db, opts: { since: Date; until?: Date }): Promise<AdapterResult> {
  const out = emptyResult();
  const rows = await store.rows<{ vm: string; addr: string; kind: string; first: number; flows: number }>(
    `SELECT vm, IPv6NumToString(addr) AS addr, any(source_kind) AS kind, toUnixTimestamp64Milli(min(t0)) AS first, count() AS flows FROM (
       SELECT src_vm AS vm, src_addr AS addr, source_kind, start_time AS t0 FROM ${store.t('flows')}
         WHERE src_vm != '' AND start_time >= {since:DateTime64(3)} AND start_time < {until:DateTime64(3)}
       UNION ALL
       SELECT dst_vm AS vm, dst_addr AS addr, source_kind, start_time AS t0 FROM ${store.t('flows')}
         WHERE dst_vm != '' AND start_time >= {since:DateTime64(3)} AND start_time < {until:DateTime64(3)})
     GROUP BY vm, addr ORDER BY vm, first`,
    { since: opts.since.getTime() / 1000, until: (opts.until ?? new Date(Date.UTC(2106, 0, 1))).getTime() / 1000 },
  );
  // vCenter's VMs by UUID, so NSX's vmUuid finds the VM people know by name
  const byUuid = new Map<string, { name: string; externalId: string | null }>();
  if (rows.some((r) => UUID.test(r.vm))) {
    for (const w of await db.workload.findMany({ where: { kind: 'vm' }, select: { name: true, externalId: true, attributes: true } })) {
      const a = obj(w.attributes);
      for (const k of ['uuid', 'instanceUuid']) {
        const u = typeof a?.[k] === 'string' ? (a[k] as string).toLowerCase().replace(/-/g, '') : undefined;
        if (u) byUuid.set(u, { name: w.name, externalId: w.externalId });
      }
    }
  }
  const byVm = new Map<string, InventoryObservation>();
  for (const r of rows) {
    const ip = canonicalAddress(r.addr);
    if (!ip) continue;
    let o = byVm.get(r.vm);
    if (!o) {
      if (UUID.test(r.vm)) {
        const known = byUuid.get(r.vm.toLowerCase().replace(/-/g, ''));
        o = known
          ? { name: known.name, provisionalName: true, ...(known.externalId ? { externalId: known.externalId } : {}), kind: 'vm', addresses: [] }
          : { name: `vm ${r.vm.toLowerCase()}`, provisionalName: true, externalId: `vm:${r.vm.toLowerCase()}`, kind: 'vm', addresses: [] };
      } else if (AWS_INSTANCE.test(r.vm)) {
        o = { name: r.vm, provisionalName: true, externalId: `aws:${r.vm}`, kind: 'instance', addresses: [] };
      } else {
        o = { name: r.vm, provisionalName: true, kind: r.vm.includes('/') ? 'pod' : r.kind === 'gcp' ? 'instance' : 'vm', addresses: [] };
      }
      o.attributes = { seenIn: r.kind };
      byVm.set(r.vm, o);
    }
    o.addresses.push({ ip, from: new Date(r.first) });
  }
  out.observations.push(...byVm.values());
  return out;
}
