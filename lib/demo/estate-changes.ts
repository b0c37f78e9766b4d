// Addresses that change over the data span: a retired workload's address handed to a newcomer
// of another application (conversations before the handover are the old one's, after it the
// new one's), and production instances rebuilt with a new address under the same identity.
import type { Estate, EstateWorkload } from './estate-types';
import { addrOf, addWorkload, DAY, freshOpaque, HOUR, retire, type EstateBuilder } from './estate-builder';
import type { Instance, Tier } from './estate-workloads';

/** Hands up to `nReuse` non-prod addresses to newcomers; what changed hands. */
export function reuseAddresses(b: EstateBuilder, instances: readonly Instance[], business: readonly EstateWorkload[], nReuse: number): Estate['reused'] {
  const { r, start, days, conversations } = b;
  const reused: Estate['reused'] = [];
  const candidates = r.shuffle(business.filter((w) => w.env !== 'prod' && w.role !== 'db'));
  const takers = candidates.splice(0, Math.min(nReuse, Math.floor(candidates.length / 2)));
  for (const old of takers) {
    const sameEnv = instances.filter((i) => i.env === old.env && i.app !== old.app);
    if (!sameEnv.length) continue;
    const inst = r.pick(sameEnv);
    const tier: Tier = inst.members.api.length ? 'api' : 'web';
    const peers = inst.members[tier];
    if (!peers.length) continue;
    const template = peers[0]!;
    const at = Math.floor((start + DAY * r.int(Math.ceil(days * 0.3), Math.floor(days * 0.7))) / HOUR) * HOUR;
    const ip = old.bindings[0]!.ip;
    retire(old, at, conversations);
    const newName = inst.tpl && /-\d\d(-\w+)?$/.test(template.name)
      ? template.name.replace(/-(\d\d)(-\w+)?$/, (_m, _n, sfx) => `-${String(peers.length + 1).padStart(2, '0')}${sfx ?? ''}`)
      : freshOpaque(b, r.int(0, 2), ip, template.windows);
    const fresh = addWorkload(b, { name: b.byName.has(newName) ? `${newName}-b` : newName, kind: template.kind, env: old.env, app: template.app, role: template.role, coreService: null, windows: template.windows, labels: { ...template.labels }, ip });
    fresh.bindings[0]!.from = at + 6 * HOUR;
    peers.push(fresh);
    // the newcomer does what its tier does: copy the template's conversations from its start
    const copy = conversations.filter((c) => c.client === template.name || c.server === template.name);
    for (const c of copy) {
      if (c.kind === 'scan' || c.kind === 'noise') continue;
      const asClient = c.client === template.name;
      const from = Math.max(c.from, fresh.bindings[0]!.from);
      if (from >= c.to) continue;
      conversations.push({ ...c, id: b.nextId++, client: asClient ? fresh.name : c.client, server: asClient ? c.server : fresh.name, clientAddr: asClient ? ip : c.clientAddr, serverAddr: asClient ? c.serverAddr : ip, from });
    }
    for (const s of template.serves) if (!fresh.serves.includes(s)) fresh.serves.push(s);
    reused.push({ ip, before: old.name, after: fresh.name, at });
  }
  return reused;
}

/** A few production api instances rebuilt with a new address (no reuse): the workload keeps its identity, its conversations move to the new address. */
export function rebuildInstances(b: EstateBuilder, business: readonly EstateWorkload[], count: number): void {
  const { r, start, days, conversations } = b;
  for (const w of r.sample(business.filter((x) => x.env === 'prod' && x.role === 'api'), count)) {
    const at = Math.floor((start + DAY * r.int(5, days - 5)) / HOUR) * HOUR;
    const oldIp = w.bindings[0]!.ip;
    const newIp = addrOf(b, w.env);
    w.bindings[0]!.to = at;
    w.bindings.push({ ip: newIp, from: at, to: null });
    const mine = conversations.filter((c) => (c.client === w.name && c.clientAddr === oldIp) || (c.server === w.name && c.serverAddr === oldIp));
    for (const c of mine) {
      const asClient = c.client === w.name;
      if (c.to > at) conversations.push({ ...c, id: b.nextId++, from: Math.max(c.from, at), clientAddr: asClient ? newIp : c.clientAddr, serverAddr: asClient ? c.serverAddr : newIp });
      c.to = Math.min(c.to, at);
    }
  }
}
