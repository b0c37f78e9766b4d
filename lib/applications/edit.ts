// What people do to applications and labels: confirm what discovery inferred, rename, merge,
// split, and edit a workload's labels. Membership of an application is the `app` label of its
// workloads (prisma/schema.prisma), so every change here is a change of labels, written with
// source "user" (inventory imports never overwrite those, and discovery takes labels as facts),
// plus the Application row that holds owners and the confirmation. Each change runs in one
// transaction together with its audit event.
import { z } from 'zod';
import type { Db } from '../db';
import { labelKeySchema, labelValueSchema } from '../identity/limits';
import { BulkheadError, type ErrorKind } from '../errors';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export const appNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, 'an application name: letters, digits, ".", "_", "-", starting and ending with a letter or digit');

/** An edit of an application's membership or labels that cannot be made. */
export class EditError extends BulkheadError {
  override name = 'EditError';
  constructor(message: string, kind: ErrorKind = 'invalid') {
    super(kind, message);
  }
}

/** An application as discovery saw it in a window: enough to find its members. */
export interface AppRef {
  /** the discovery id (name@env) */
  id: string;
  name: string;
  environment: string | null;
  /** workload ids */
  members: string[];
}

export interface AuditEvent {
  action: string;
  target: { type: string; id: string | null };
  summary: string;
  before?: unknown;
  after?: unknown;
}

/** Records an audit event inside the change's transaction. */
export type AuditFn = (e: AuditEvent, tx: Tx) => Promise<void>;

export interface EditResult {
  /** workloads whose labels changed */
  workloads: number;
  labelsChanged: number;
  application: string;
  /** members that kept an app label of their own (confirming only) */
  keptOwnLabel?: number;
}

async function setLabel(tx: Tx, workloadId: string, key: string, value: string): Promise<boolean> {
  const have = await tx.label.findUnique({ where: { workloadId_key: { workloadId, key } } });
  if (have && have.value === value && have.confirmed && have.source !== 'inferred') return false;
  await tx.label.upsert({
    where: { workloadId_key: { workloadId, key } },
    create: { workloadId, key, value, source: 'user', confirmed: true },
    update: { value, source: 'user', confirmed: true, confidence: null },
  });
  return true;
}

async function existingWorkloads(tx: Tx, ids: readonly string[]): Promise<string[]> {
  const rows = await tx.workload.findMany({ where: { id: { in: [...ids] } }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** Give workloads an application (and its environment where they have no env fact). */
async function assign(tx: Tx, workloads: readonly string[], name: string, environment: string | null): Promise<number> {
  let changed = 0;
  for (const id of workloads) {
    if (await setLabel(tx, id, 'app', name)) changed++;
    if (environment) {
      const env = await tx.label.findUnique({ where: { workloadId_key: { workloadId: id, key: 'env' } } });
      if (!env || (env.source === 'inferred' && !env.confirmed)) {
        if (await setLabel(tx, id, 'env', environment)) changed++;
      }
    }
  }
  return changed;
}

async function upsertApplication(tx: Tx, name: string, environment: string | null, confirmed: boolean) {
  return tx.application.upsert({
    where: { name },
    create: { name, environment, confirmed },
    update: confirmed ? { confirmed: true, ...(environment ? { environment } : {}) } : {},
  });
}

/** Is any workload still labelled with this application? Otherwise its row may go (owners move with a rename). */
async function appInUse(tx: Tx, name: string): Promise<boolean> {
  return (await tx.label.count({ where: { key: 'app', value: name } })) > 0;
}

/** Members whose app label is their own (inventory, a person, a confirmation) and names another application. */
async function ownAppLabels(tx: Tx, members: readonly string[], name: string): Promise<Set<string>> {
  const rows = await tx.label.findMany({ where: { workloadId: { in: [...members] }, key: 'app', NOT: { value: name } }, select: { workloadId: true, source: true, confirmed: true } });
  return new Set(rows.filter((l) => l.source !== 'inferred' || l.confirmed).map((l) => l.workloadId));
}

/**
 * Confirm an inferred application: what discovery guessed becomes fact. A member that carries an
 * app label of its own (from the inventory or a person) keeps it: confirming says discovery was
 * right where it guessed, not that the inventory is wrong, and the rules proposed before it
 * already select that member by its own label (moving it is a merge, a split or a label edit).
 */
export async function confirmApplication(db: Db, app: AppRef, audit: AuditFn): Promise<EditResult> {
  return db.$transaction(async (tx) => {
    const members = await existingWorkloads(tx, app.members);
    if (!members.length) throw new EditError(`application ${app.id} has no workloads in the inventory`);
    const own = await ownAppLabels(tx, members, app.name);
    const changed = await assign(
      tx,
      members.filter((m) => !own.has(m)),
      app.name,
      app.environment,
    );
    const row = await upsertApplication(tx, app.name, app.environment, true);
    const summary = `confirmed application ${app.id} (${members.length} workloads${own.size ? `, ${own.size} keeping an app label of their own` : ''})`;
    await audit({ action: 'application.confirm', target: { type: 'application', id: row.id }, summary, after: { name: app.name, environment: app.environment, members: members.length, keptOwnLabel: own.size } }, tx);
    return { workloads: members.length - own.size, labelsChanged: changed, application: app.name, keptOwnLabel: own.size };
  });
}

/** Rename an application: its members get the new app label; owners and description follow when the old name is no longer used. */
export async function renameApplication(db: Db, app: AppRef, newName: string, audit: AuditFn): Promise<EditResult> {
  const name = appNameSchema.parse(newName);
  if (name === app.name) throw new EditError(`${app.id} is already called ${name}`);
  return db.$transaction(async (tx) => {
    const members = await existingWorkloads(tx, app.members);
    if (!members.length) throw new EditError(`application ${app.id} has no workloads in the inventory`);
    const changed = await assign(tx, members, name, app.environment);
    const old = await tx.application.findUnique({ where: { name: app.name }, include: { owners: true } });
    const target = await upsertApplication(tx, name, app.environment, true);
    if (old && !(await appInUse(tx, app.name))) {
      for (const o of old.owners) {
        await tx.applicationOwner.upsert({ where: { applicationId_userId: { applicationId: target.id, userId: o.userId } }, create: { applicationId: target.id, userId: o.userId }, update: {} });
      }
      if (old.description && !target.description) await tx.application.update({ where: { id: target.id }, data: { description: old.description } });
      // rules keep pointing at the application they belong to
      await tx.rule.updateMany({ where: { applicationId: old.id }, data: { applicationId: target.id } });
      await tx.application.delete({ where: { id: old.id } });
    }
    await audit(
      { action: 'application.rename', target: { type: 'application', id: target.id }, summary: `renamed application ${app.id} to ${name}`, before: { name: app.name }, after: { name, members: members.length } },
      tx,
    );
    return { workloads: members.length, labelsChanged: changed, application: name };
  });
}

/** Merge one application into another: the source's members join the target. */
export async function mergeApplications(db: Db, from: AppRef, into: AppRef, audit: AuditFn): Promise<EditResult> {
  if (from.id === into.id) throw new EditError('an application cannot be merged into itself');
  return db.$transaction(async (tx) => {
    const members = await existingWorkloads(tx, from.members);
    if (!members.length) throw new EditError(`application ${from.id} has no workloads in the inventory`);
    const changed = await assign(tx, members, into.name, into.environment);
    const target = await upsertApplication(tx, into.name, into.environment, true);
    const old = await tx.application.findUnique({ where: { name: from.name } });
    if (old && old.id !== target.id && !(await appInUse(tx, from.name))) {
      await tx.rule.updateMany({ where: { applicationId: old.id }, data: { applicationId: target.id } });
      await tx.application.delete({ where: { id: old.id } });
    }
    await audit(
      { action: 'application.merge', target: { type: 'application', id: target.id }, summary: `merged application ${from.id} (${members.length} workloads) into ${into.id}`, before: { from: from.id, into: into.id }, after: { name: into.name, moved: members.length } },
      tx,
    );
    return { workloads: members.length, labelsChanged: changed, application: into.name };
  });
}

/** Split workloads off an application into a new (or another existing) application. */
export async function splitApplication(db: Db, app: AppRef, workloadIds: readonly string[], newName: string, audit: AuditFn): Promise<EditResult> {
  const name = appNameSchema.parse(newName);
  const members = new Set(app.members);
  const outside = workloadIds.filter((w) => !members.has(w));
  if (outside.length) throw new EditError(`${outside.length} of the chosen workloads are not members of ${app.id}`);
  if (!workloadIds.length) throw new EditError('choose the workloads to split off');
  if (workloadIds.length === app.members.length && name === app.name) throw new EditError('that would leave the application as it is');
  return db.$transaction(async (tx) => {
    const moving = await existingWorkloads(tx, workloadIds);
    const changed = await assign(tx, moving, name, app.environment);
    const row = await upsertApplication(tx, name, app.environment, true);
    await audit(
      { action: 'application.split', target: { type: 'application', id: row.id }, summary: `split ${moving.length} workloads off ${app.id} into ${name}`, before: { application: app.id }, after: { name, workloads: moving } },
      tx,
    );
    return { workloads: moving.length, labelsChanged: changed, application: name };
  });
}

export interface LabelChange {
  set?: Record<string, string>;
  remove?: string[];
}

/** Set and remove labels of a workload (as facts: source "user"). */
export async function editLabels(db: Db, workloadId: string, change: LabelChange, audit: AuditFn): Promise<{ before: Record<string, string>; after: Record<string, string> }> {
  const set = Object.entries(change.set ?? {}).map(([k, v]) => [labelKeySchema.parse(k), labelValueSchema.parse(v)] as const);
  const remove = (change.remove ?? []).map((k) => labelKeySchema.parse(k));
  if (!set.length && !remove.length) throw new EditError('no label to set or remove');
  return db.$transaction(async (tx) => {
    const w = await tx.workload.findUnique({ where: { id: workloadId }, include: { labels: true } });
    if (!w) throw new EditError(`no workload ${workloadId}`);
    const before = Object.fromEntries(w.labels.map((l) => [l.key, l.value]));
    for (const [k, v] of set) await setLabel(tx, w.id, k, v);
    if (remove.length) await tx.label.deleteMany({ where: { workloadId: w.id, key: { in: remove } } });
    const after = Object.fromEntries((await tx.label.findMany({ where: { workloadId: w.id } })).map((l) => [l.key, l.value]));
    for (const [k] of set) if (k === 'app') await upsertApplication(tx, after.app!, after.env ?? null, false);
    await audit(
      {
        action: 'label.change',
        target: { type: 'workload', id: w.id },
        summary: `labels of ${w.name}: ${[...set.map(([k, v]) => `${k}=${v}`), ...remove.map((k) => `-${k}`)].join(', ')}`,
        before,
        after,
      },
      tx,
    );
    return { before, after };
  });
}
