// vCenter inventory as people export it:
//  - govc:     `govc vm.info -json '*'` (or `-r`, `-dump`): {"VirtualMachines": [...]} with
//              Name, Config.Uuid/InstanceUuid, Guest.IpAddress, Guest.Net[].IpAddress[],
//              Runtime.Host, Runtime.PowerState, CustomValue; newer govc writes the same in
//              camelCase ({"virtualMachines": [...]}), read alike.
//  - PowerCLI: `Get-VM | Select-Object Name, Id, PersistentId, PowerState,
//              @{N='IPAddress';E={$_.Guest.IPAddress}}, @{N='VMHost';E={$_.VMHost.Name}},
//              @{N='Cluster';E={$_.VMHost.Parent.Name}},
//              @{N='Tags';E={(Get-TagAssignment -Entity $_).Tag | % { "$($_.Category)/$($_.Name)" }}}
//              | ConvertTo-Json -Depth 3`; a plain `Get-VM | ConvertTo-Json` works too (Guest,
//              VMHost as objects or strings).
// Tags "Category/Name" become labels category=name (so vSphere tag categories app, env, role
// map onto Bulkhead's labels); a tag without category becomes a label name=true.
import type { InventoryObservation } from '../../lib/inventory/types';
import { arr, ci, emptyResult, obj, str, type AdapterResult } from './types';

/** The VM objects of a govc or PowerCLI export, or null when it is neither. */
export function vcenterVms(doc: unknown): unknown[] | null {
  const vms = ci(doc, 'VirtualMachines');
  if (Array.isArray(vms)) return vms;
  const list = Array.isArray(doc) ? doc : obj(doc) && ci(doc, 'Name') !== undefined ? [doc] : null;
  if (!list || list.length === 0) return null;
  const first = list[0];
  const looksLikeVm = ['Guest', 'VMHost', 'IPAddress', 'PowerState', 'PersistentId'].some((k) => ci(first, k) !== undefined) && ci(first, 'Name') !== undefined;
  return looksLikeVm ? list : null;
}

function addressesOf(vm: unknown): string[] {
  const out = new Set<string>();
  const add = (v: unknown) => {
    for (const x of arr(v)) {
      const s = str(typeof x === 'object' ? ci(x, 'IpAddress') : x);
      if (s) out.add(s);
    }
  };
  // PowerCLI Select-Object IPAddress, or Guest.IPAddress
  add(ci(vm, 'IPAddress'));
  const guest = ci(vm, 'Guest');
  if (obj(guest)) {
    add(ci(guest, 'IpAddress'));
    for (const nic of arr(ci(guest, 'Net'))) {
      add(ci(nic, 'IpAddress'));
      const cfg = ci(nic, 'IpConfig');
      for (const a of arr(ci(cfg, 'IpAddress'))) add(ci(a, 'IpAddress'));
    }
  }
  return [...out];
}

function nameOf(v: unknown): string | undefined {
  return str(typeof v === 'object' && v !== null ? ci(v, 'Name') ?? ci(v, 'Value') : v);
}

export function fromVcenter(doc: unknown): AdapterResult {
  const out = emptyResult();
  const vms = vcenterVms(doc);
  if (!vms) {
    out.errors.push({ where: '(root)', reason: 'not a govc vm.info -json export ({"VirtualMachines": [...]}) nor PowerCLI Get-VM JSON (objects with Name and Guest/IPAddress)' });
    return out;
  }
  vms.forEach((vm, i) => {
    const config = ci(vm, 'Config');
    const summaryConfig = ci(ci(vm, 'Summary'), 'Config');
    const name = str(ci(vm, 'Name')) ?? str(ci(config, 'Name')) ?? str(ci(summaryConfig, 'Name'));
    if (!name) {
      out.errors.push({ where: `[${i}]`, reason: 'a VM without a Name' });
      return;
    }
    const runtime = ci(vm, 'Runtime');
    const power = str(ci(vm, 'PowerState') ?? ci(runtime, 'PowerState'));
    const instanceUuid = str(ci(config, 'InstanceUuid') ?? ci(summaryConfig, 'InstanceUuid') ?? ci(vm, 'PersistentId'));
    const uuid = str(ci(config, 'Uuid') ?? ci(summaryConfig, 'Uuid') ?? ci(vm, 'Uuid'));
    const moref = str(ci(ci(vm, 'Self'), 'Value')) ?? str(ci(vm, 'Id'))?.replace(/^VirtualMachine-/, '');
    const host = nameOf(ci(vm, 'VMHost')) ?? nameOf(ci(runtime, 'Host'));
    const cluster = nameOf(ci(vm, 'Cluster'));
    const guest = ci(vm, 'Guest');
    const labels: Record<string, string> = {};
    for (const t of arr(ci(vm, 'Tags') ?? ci(vm, 'Tag'))) {
      const text = typeof t === 'string' ? t : str(ci(t, 'Name')) && `${str(ci(ci(t, 'Category'), 'Name') ?? ci(t, 'Category')) ?? ''}/${str(ci(t, 'Name'))}`;
      if (!text) continue;
      const slash = text.indexOf('/');
      if (slash > 0) labels[text.slice(0, slash).trim().toLowerCase()] = text.slice(slash + 1).trim();
      else labels[text.replace(/^\//, '').trim()] = 'true';
    }
    // Custom attributes (govc CustomValue: [{Key, Value}] with numeric keys) are kept as attributes.
    const custom = arr(ci(vm, 'CustomValue')).map((c) => [str(ci(c, 'Key')), str(ci(c, 'Value'))]).filter(([k, v]) => k && v);
    const attributes: Record<string, unknown> = {
      ...(uuid ? { uuid: uuid.toLowerCase() } : {}),
      ...(instanceUuid ? { instanceUuid: instanceUuid.toLowerCase() } : {}),
      ...(moref ? { moref } : {}),
      ...(host ? { host } : {}),
      ...(cluster ? { cluster } : {}),
      ...(power ? { powerState: power } : {}),
      ...(str(ci(guest, 'HostName')) ? { guestHostName: str(ci(guest, 'HostName')) } : {}),
      ...(str(ci(vm, 'Folder')) || nameOf(ci(vm, 'Folder')) ? { folder: nameOf(ci(vm, 'Folder')) } : {}),
      ...(custom.length ? { customAttributes: Object.fromEntries(custom) } : {}),
    };
    let addresses = addressesOf(vm).map((ip) => ({ ip }));
    // A powered-off VM holds no address (vCenter may still show the last one the tools saw).
    if (power && /off|^0$/i.test(power) && addresses.length) {
      out.skipped.push({ what: `${name}: ${addresses.length} address(es)`, reason: 'the VM is powered off' });
      addresses = [];
    }
    const o: InventoryObservation = {
      name,
      kind: 'vm',
      ...(instanceUuid ? { externalId: `vm:${instanceUuid.toLowerCase()}` } : uuid ? { externalId: `vm:${uuid.toLowerCase()}` } : {}),
      addresses,
      labels,
      attributes,
    };
    out.observations.push(o);
  });
  return out;
}
