import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../audit';
import { localOperator } from '../auth/principal';
import { openDatabase, type Database } from '../db';
import { testConfig } from '../../test/support';
import { confirmApplication, editLabels, EditError, mergeApplications, renameApplication, splitApplication, type AppRef, type AuditFn } from './edit';

let database: Database;
const record: AuditFn = (e, tx) => audit(tx, { actor: localOperator('test'), via: 'cli', ...e }).then(() => undefined);

async function workload(name: string, labels: Record<string, [string, string, boolean]> = {}) {
  const db = database.prisma;
  return db.workload.create({
    data: { name, source: 'json', labels: { create: Object.entries(labels).map(([key, [value, source, confirmed]]) => ({ key, value, source, confirmed })) } },
  });
}

const labelsOf = async (id: string) => Object.fromEntries((await database.prisma.label.findMany({ where: { workloadId: id } })).map((l) => [l.key, `${l.value}:${l.source}:${l.confirmed}`]));

beforeAll(async () => {
  database = await openDatabase(testConfig().database);
});
afterAll(async () => {
  await database?.close();
});

describe('application edits', () => {
  it('confirms an inferred application: suggestions become facts, the row is confirmed, the audit log says so', async () => {
    const a = await workload('shop-web-1', { app: ['shop', 'inferred', false] });
    const b = await workload('shop-db-1');
    const app: AppRef = { id: 'shop@prod', name: 'shop', environment: 'prod', members: [a.id, b.id] };
    const r = await confirmApplication(database.prisma, app, record);
    expect(r).toMatchObject({ workloads: 2, application: 'shop' });
    expect(await labelsOf(a.id)).toEqual({ app: 'shop:user:true', env: 'prod:user:true' });
    expect(await labelsOf(b.id)).toEqual({ app: 'shop:user:true', env: 'prod:user:true' });
    expect(await database.prisma.application.findUnique({ where: { name: 'shop' } })).toMatchObject({ confirmed: true, environment: 'prod' });
    const ev = await database.prisma.auditEvent.findFirst({ where: { action: 'application.confirm' } });
    expect(ev?.summary).toContain('shop@prod');
  });

  it('keeps an environment fact from the inventory when confirming', async () => {
    const a = await workload('erp-1', { env: ['staging', 'inventory', true] });
    await confirmApplication(database.prisma, { id: 'erp@prod', name: 'erp', environment: 'prod', members: [a.id] }, record);
    expect(await labelsOf(a.id)).toEqual({ app: 'erp:user:true', env: 'staging:inventory:true' });
  });

  it("keeps a member's own app label (inventory or a person) when confirming: only what discovery guessed becomes fact", async () => {
    const guessed = await workload('vc-1', { app: ['virt', 'inferred', false] });
    const tagged = await workload('jump-2', { app: ['jump-hosts', 'inventory', true], env: ['shared', 'inventory', true] });
    const set = await workload('esx-9', { app: ['hosting', 'user', true] });
    const r = await confirmApplication(database.prisma, { id: 'virt@shared', name: 'virt', environment: 'shared', members: [guessed.id, tagged.id, set.id] }, record);
    expect(r).toMatchObject({ workloads: 1, keptOwnLabel: 2, application: 'virt' });
    expect(await labelsOf(guessed.id)).toEqual({ app: 'virt:user:true', env: 'shared:user:true' });
    expect(await labelsOf(tagged.id)).toEqual({ app: 'jump-hosts:inventory:true', env: 'shared:inventory:true' });
    expect(await labelsOf(set.id)).toEqual({ app: 'hosting:user:true' });
    const ev = await database.prisma.auditEvent.findFirst({ where: { action: 'application.confirm', summary: { contains: 'virt@shared' } } });
    expect(ev?.summary).toContain('2 keeping an app label of their own');
  });

  it('renames: members move, owners and rules follow when the old name is gone', async () => {
    const db = database.prisma;
    const a = await workload('crm-1', { app: ['crm', 'inventory', true] });
    const old = await db.application.create({ data: { name: 'crm', description: 'customers' } });
    const user = await db.user.create({ data: { email: 'owner@edit.test', name: 'Owner', role: 'owner' } });
    await db.applicationOwner.create({ data: { applicationId: old.id, userId: user.id } });
    const rule = await db.rule.create({ data: { applicationId: old.id, fromSelector: { any: true }, toSelector: { any: true }, ports: [], intent: 'x', status: 'proposed', origin: 'manual' } });
    await renameApplication(db, { id: 'crm', name: 'crm', environment: null, members: [a.id] }, 'customers', record);
    expect(await labelsOf(a.id)).toEqual({ app: 'customers:user:true' });
    expect(await db.application.findUnique({ where: { name: 'crm' } })).toBeNull();
    const renamed = await db.application.findUniqueOrThrow({ where: { name: 'customers' }, include: { owners: true } });
    expect(renamed.owners.map((o) => o.userId)).toEqual([user.id]);
    expect(renamed.description).toBe('customers');
    expect((await db.rule.findUniqueOrThrow({ where: { id: rule.id } })).applicationId).toBe(renamed.id);
    await expect(renameApplication(db, { id: 'customers', name: 'customers', environment: null, members: [a.id] }, 'bad name!', record)).rejects.toThrow(/application name/);
  });

  it('merges one application into another and splits workloads off', async () => {
    const db = database.prisma;
    const a = await workload('pay-api', { app: ['pay', 'inferred', false] });
    const b = await workload('pay-db', { app: ['pay', 'inferred', false] });
    const c = await workload('billing-api', { app: ['billing', 'inventory', true] });
    await mergeApplications(db, { id: 'pay', name: 'pay', environment: null, members: [a.id, b.id] }, { id: 'billing', name: 'billing', environment: null, members: [c.id] }, record);
    expect((await labelsOf(a.id)).app).toBe('billing:user:true');
    expect((await labelsOf(b.id)).app).toBe('billing:user:true');
    await expect(mergeApplications(db, { id: 'x', name: 'x', environment: null, members: [a.id] }, { id: 'x', name: 'x', environment: null, members: [] }, record)).rejects.toBeInstanceOf(EditError);

    await splitApplication(db, { id: 'billing', name: 'billing', environment: null, members: [a.id, b.id, c.id] }, [b.id], 'billing-db', record);
    expect((await labelsOf(b.id)).app).toBe('billing-db:user:true');
    expect((await labelsOf(a.id)).app).toBe('billing:user:true');
    await expect(splitApplication(db, { id: 'billing', name: 'billing', environment: null, members: [a.id] }, [c.id], 'other', record)).rejects.toThrow(/not members/);
  });

  it('edits labels as facts and refuses keys rules could not use', async () => {
    const db = database.prisma;
    const a = await workload('web-9', { role: ['web', 'inferred', false], team: ['red', 'inventory', true] });
    const r = await editLabels(db, a.id, { set: { role: 'api', loc: 'eu-west' }, remove: ['team'] }, record);
    expect(r.before).toEqual({ role: 'web', team: 'red' });
    expect(await labelsOf(a.id)).toEqual({ role: 'api:user:true', loc: 'eu-west:user:true' });
    await expect(editLabels(db, a.id, { set: { 'bad key!': 'x' } }, record)).rejects.toThrow(/label key/);
    await expect(editLabels(db, a.id, {}, record)).rejects.toThrow(/no label/);
    const ev = await db.auditEvent.findFirst({ where: { action: 'label.change', targetId: a.id } });
    expect(ev?.summary).toBe('labels of web-9: role=api, loc=eu-west, -team');
  });
});
