// Review by application and environment: a unit's rules in both directions (and only its
// environment's), the sending side's agreement next to the receiving side's approval, and the
// unconfirmed gate on approval, lifted by confirming the application or rewriting the rule.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db';
import { confirmApplication } from '../applications/edit';
import { parsePortsText, type Selector } from './model';
import { loadUnconfirmed, loadUnitRules, matchesDirection, planUnitApproval, unconfirmedRefusal } from './review';
import { applicationNames } from '../read/rules';
import { reviewUnits, unitReview } from '../read/review';
import { approveRules, createRules, narrowRule, type Who } from './workflow';

const architect: Who = { actor: { type: 'user', id: 'u-arch', userId: null, name: 'arch@example.com', role: 'architect' }, via: 'web' };
const T0 = new Date('2026-03-01T00:00:00Z');

let close: () => Promise<void>;
let p: Db;
beforeEach(async () => {
  const d = await openDatabase({ provider: 'sqlite', file: join(mkdtempSync(join(tmpdir(), 'bulkhead-review-')), 'state.db') });
  p = d.prisma;
  close = () => d.close();
});
afterEach(() => close());

/** A workload with labels (inferred: unconfirmed suggestions) and one address. */
async function workload(name: string, ip: string, labels: Record<string, string>, inferred: Record<string, string> = {}) {
  await p.workload.create({
    data: {
      name,
      source: 'json',
      addresses: { create: [{ ip, validFrom: T0, source: 'json' }] },
      labels: {
        create: [
          ...Object.entries(labels).map(([key, value]) => ({ key, value, source: 'inventory', confirmed: true })),
          ...Object.entries(inferred).map(([key, value]) => ({ key, value, source: 'inferred', confirmed: false, confidence: 0.8 })),
        ],
      },
    },
  });
}

const sel = (labels: Record<string, string>): Selector => ({ labels });

async function rule(from: Selector, to: Selector, ports: string, application: string | null) {
  const r = await createRules(p, [{ from, to, ports: parsePortsText(ports), intent: 'test', owner: application, application }], architect, { origin: 'manual' });
  return r.created[0]!;
}

async function estate() {
  await workload('orders-prod-1', '10.0.0.1', { app: 'orders', env: 'prod' });
  await workload('orders-dev-1', '10.1.0.1', { app: 'orders', env: 'dev' });
  await workload('payments-prod-1', '10.0.0.2', { app: 'payments', env: 'prod' });
  await workload('web-prod-1', '10.0.0.3', { app: 'web', env: 'prod' });
  await workload('vm-41501', '10.0.0.9', { env: 'prod' }, { app: 'app-vm-41501' });
  return {
    // what reaches orders@prod, what it reaches (another application's and its own egress), inside it, and orders@dev's
    inbound: await rule(sel({ app: 'web', env: 'prod' }), sel({ app: 'orders', env: 'prod' }), 'tcp/8080', 'orders'),
    outbound: await rule(sel({ app: 'orders', env: 'prod' }), sel({ app: 'payments', env: 'prod' }), 'tcp/443', 'payments'),
    egress: await rule(sel({ app: 'orders', env: 'prod' }), { cidr: '0.0.0.0/0' }, 'tcp/443', 'orders'),
    within: await rule(sel({ app: 'orders', env: 'prod', workload: 'orders-prod-1' }), sel({ app: 'orders', env: 'prod' }), 'tcp/9000', 'orders'),
    dev: await rule(sel({ app: 'web', env: 'dev' }), sel({ app: 'orders', env: 'dev' }), 'tcp/8080', 'orders'),
    inferred: await rule(sel({ app: 'app-vm-41501' }), sel({ app: 'orders', env: 'prod' }), 'tcp/8080', 'orders'),
    unrelated: await rule(sel({ app: 'web', env: 'prod' }), sel({ app: 'payments', env: 'prod' }), 'tcp/443', 'payments'),
  };
}

describe('review by application and environment', () => {
  it('lists what reaches app@env and what it reaches, its egress included, and nothing of another environment', async () => {
    const r = await estate();
    const { rules } = await loadUnitRules(p, { application: 'orders', environment: 'prod' });
    const byId = new Map(rules.map((x) => [x.rule.id, x.direction]));
    expect(byId.get(r.inbound.id)).toBe('inbound');
    expect(byId.get(r.inferred.id)).toBe('inbound');
    expect(byId.get(r.outbound.id)).toBe('outbound');
    expect(byId.get(r.egress.id)).toBe('outbound');
    expect(byId.get(r.within.id)).toBe('within');
    expect(byId.has(r.dev.id)).toBe(false);
    expect(byId.has(r.unrelated.id)).toBe(false);
    expect(rules.filter((x) => matchesDirection(x.direction, 'out')).map((x) => x.rule.id).sort()).toEqual([r.outbound.id, r.egress.id, r.within.id].sort());
    expect(rules.filter((x) => matchesDirection(x.direction, 'in')).map((x) => x.rule.id).sort()).toEqual([r.inbound.id, r.inferred.id, r.within.id].sort());

    const dev = await loadUnitRules(p, { application: 'orders', environment: 'dev' });
    expect(dev.rules.map((x) => x.rule.id)).toEqual([r.dev.id]);
    await expect(loadUnitRules(p, { application: 'orders', environment: 'test' })).rejects.toThrow(/orders@dev, orders@prod/);

    const units = await reviewUnits(p);
    const prod = units.find((u) => u.unit === 'orders@prod')!;
    expect(prod.counts).toEqual({ inbound: { proposed: 2, approved: 0 }, outbound: { proposed: 2, approved: 0 }, within: { proposed: 1, approved: 0 } });
    expect(prod.toReview).toBe(5);
    expect(units.find((u) => u.unit === 'app-vm-41501@prod')?.unconfirmed).toBe(true);
    expect(prod.unconfirmed).toBe(false);
  });

  it('refuses to approve rules over an unconfirmed inferred application, with why and what to do, until it is confirmed', async () => {
    const r = await estate();
    const why = unconfirmedRefusal(r.inferred, await loadUnconfirmed(p));
    expect(why).toMatch(/app-vm-41501@prod.*confirm it.*rewrite the rule/);
    const out = await approveRules(p, [r.inbound.id, r.inferred.id], architect);
    expect(out.map((o) => [o.id, o.outcome, o.reason ?? null])).toEqual([
      [r.inbound.id, 'approved', null],
      [r.inferred.id, 'refused', 'unconfirmed'],
    ]);
    expect((await p.rule.findUnique({ where: { id: r.inferred.id } }))?.status).toBe('proposed');

    const vm = await p.workload.findUnique({ where: { name: 'vm-41501' } });
    await confirmApplication(p, { id: 'app-vm-41501@prod', name: 'app-vm-41501', environment: 'prod', members: [vm!.id] }, async () => {});
    expect((await approveRules(p, [r.inferred.id], architect))[0]!.outcome).toBe('approved');
  });

  it('lets a rule rewritten to addresses through the gate', async () => {
    const r = await estate();
    await narrowRule(p, r.inferred.id, { from: { cidr: '10.0.0.9/32' } }, architect, { comment: 'the VM by its address' });
    expect((await approveRules(p, [r.inferred.id], { ...architect, actor: { ...architect.actor, name: 'other@example.com', id: 'u-other' } as Who['actor'] }))[0]!.outcome).toBe('approved');
  });

  it("approves the owner's own rules, records their agreement to outbound rules of others, and shows it to the receiving side", async () => {
    const r = await estate();
    const owner = await p.user.create({ data: { email: 'olga@example.com', name: 'Olga', role: 'owner', passwordHash: 'x' } });
    const orders = await p.application.findUniqueOrThrow({ where: { name: 'orders' } });
    const payments = await p.application.findUniqueOrThrow({ where: { name: 'payments' } });
    await p.applicationOwner.create({ data: { applicationId: orders.id, userId: owner.id } });
    const olga: Who = { actor: { type: 'user', id: owner.id, userId: owner.id, name: 'olga@example.com', role: 'owner' }, via: 'web' };

    const { rules } = await loadUnitRules(p, { application: 'orders', environment: 'prod' });
    const plan = planUnitApproval(rules, [orders.id], orders.id, await applicationNames(p));
    expect(plan.endorse).toEqual(new Set([r.outbound.id]));
    expect(plan.approve.sort()).toEqual([r.inbound.id, r.egress.id, r.within.id, r.inferred.id].sort());
    expect(plan.refused).toEqual([]);
    const out = await approveRules(p, [...plan.approve, ...plan.endorse], olga, { endorse: plan.endorse });
    expect(Object.fromEntries(out.map((o) => [o.id, o.outcome]))).toEqual({ [r.inbound.id]: 'approved', [r.egress.id]: 'approved', [r.within.id]: 'approved', [r.inferred.id]: 'refused', [r.outbound.id]: 'endorsed' });
    expect((await p.rule.findUnique({ where: { id: r.outbound.id } }))?.status).toBe('proposed');

    // payments' owner sees orders' agreement on the rule that reaches payments
    const pat = await p.user.create({ data: { email: 'pat@example.com', name: 'Pat', role: 'owner', passwordHash: 'x' } });
    await p.applicationOwner.create({ data: { applicationId: payments.id, userId: pat.id } });
    const view = await unitReview(p, { review: { separationOfDuties: true } }, { type: 'user', id: pat.id, userId: pat.id, name: 'pat@example.com', role: 'owner' }, 'payments@prod', ['proposed', 'approved']);
    const seen = view.rules.find((x) => x.id === r.outbound.id)!;
    expect(seen).toMatchObject({ direction: 'inbound', mayApprove: true, agreedBy: ['olga@example.com'], others: [{ application: 'orders', owners: ['Olga'], agreed: ['Olga'] }] });
    // someone owning neither side is refused, naming who approves
    const nobody = planUnitApproval(rules, [], null, await applicationNames(p));
    expect(nobody.refused.find((x) => x.id === r.outbound.id)?.note).toMatch(/payments's owners/);
  });
});
