// The audit log: what people and automation did, who, when, from where, and with what outcome.
// Append-only: this module only inserts and reads (the database refuses UPDATE and DELETE on the
// table, see prisma/migrations/*/0002_audit_actor). Everyone records through audit(); pages,
// the JSON API and the CLI read through queryAudit() and exportAuditJsonl().
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db';
import type { Principal } from '../auth/principal';

/** Someone who is not (yet) a principal: a failed sign-in, the system itself. */
export interface OtherActor {
  type: 'anonymous' | 'system';
  name: string;
  id?: string | null;
}
export type Actor = Principal | OtherActor;

export type AuditOutcome = 'ok' | 'denied' | 'failed';
export type AuditVia = 'web' | 'api' | 'cli' | 'system';

export interface AuditTarget {
  /** what kind of thing: user, token, session, rule, label, application, baseline, export, ... */
  type: string;
  id?: string | null;
}

export interface AuditInput {
  actor: Actor;
  /** dotted name: area.verb, e.g. auth.signin, rule.approve (see AUDIT_ACTIONS) */
  action: string;
  target?: AuditTarget | null;
  /** one line for people: "approved rule web -> db tcp/5432" */
  summary?: string | null;
  /** the state before and after a change (small JSON; large values are replaced by their digest) */
  before?: unknown;
  after?: unknown;
  ip?: string | null;
  userAgent?: string | null;
  via?: AuditVia | null;
  outcome?: AuditOutcome;
}

/**
 * The actions Bulkhead records, by area. Callers may add actions of the same shape; this list is
 * what the audit page offers as filters and what docs/security.md describes.
 */
export const AUDIT_ACTIONS = {
  'auth.signin': 'signed in (failed: wrong password, unknown or disabled account, throttled)',
  'auth.signout': 'signed out',
  'auth.token': 'an API token was refused (unknown, revoked, expired)',
  'auth.denied': 'a signed-in principal was refused an action (missing permission or not an owner)',
  'account.password': 'changed their own password',
  'user.create': 'created a user',
  'user.update': 'changed a user (role, name, disabled)',
  'user.password': 'reset a user\'s password',
  'user.delete': 'deleted a user',
  'token.create': 'created an API token',
  'token.revoke': 'revoked an API token',
  'session.revoke': 'ended a session',
  'application.owners': 'changed the owners of an application',
  'label.change': 'changed labels of workloads',
  'inventory.import': 'imported inventory or flows',
  'rule.create': 'created or proposed rules',
  'rule.change': 'edited or narrowed a rule',
  'rule.approve': 'approved a rule',
  'rule.reject': 'rejected a rule',
  'baseline.create': 'created a baseline',
  'policy.export': 'exported policy files or a baseline',
  'policy.enforce': "changed an application's enforcement state in an environment",
  'policy.readiness': 'decided on a dependency enforcing an application would block (allow or accept-block)',
  'audit.export': 'exported the audit log',
  'settings.change': 'changed a setting',
} as const;

const ACTION_SHAPE = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;
/** JSON larger than this is stored as its size and digest (the log is not a content store). */
export const MAX_JSON_BYTES = 64 * 1024;

type AuditDb = Pick<Db, 'auditEvent'>;

function bounded(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const text = JSON.stringify(value);
  if (text === undefined) return undefined;
  if (Buffer.byteLength(text) <= MAX_JSON_BYTES) return JSON.parse(text);
  return { truncated: true, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
}

const clip = (s: string | null | undefined, n: number) => (s == null ? null : s.length > n ? `${s.slice(0, n - 1)}…` : s);

const isPrincipal = (a: Actor): a is Principal => a.type === 'user' || a.type === 'token' || a.type === 'local';

function actorFields(actor: Actor) {
  if (!isPrincipal(actor)) return { actorId: actor.id ?? null, actorName: actor.name, actorType: actor.type, actorRole: null };
  const name = actor.type === 'token' ? `${actor.name} (token ${JSON.stringify(actor.tokenName ?? actor.tokenId ?? '')})` : actor.name;
  return { actorId: actor.userId ?? actor.id, actorName: name, actorType: actor.type, actorRole: actor.role };
}

/**
 * Record one event. Pass a transaction client as `db` to commit the event with the change it
 * describes (both or neither).
 */
export async function audit(db: AuditDb, e: AuditInput) {
  if (!ACTION_SHAPE.test(e.action)) throw new Error(`audit: action "${e.action}" must look like area.verb (e.g. rule.approve)`);
  return db.auditEvent.create({
    data: {
      ...actorFields(e.actor),
      action: e.action,
      targetType: e.target?.type ?? null,
      targetId: e.target?.id ?? null,
      summary: clip(e.summary, 1000),
      before: bounded(e.before) as never,
      after: bounded(e.after) as never,
      ip: clip(e.ip, 64),
      userAgent: clip(e.userAgent, 400),
      via: e.via ?? null,
      outcome: e.outcome ?? 'ok',
    },
  });
}

export interface AuditFilter {
  /** inclusive */
  from?: Date;
  /** exclusive */
  to?: Date;
  /** exact action, or a prefix ending in "." (e.g. "auth.") */
  action?: string;
  actorId?: string;
  /** substring of the actor's name (email) */
  actor?: string;
  outcome?: AuditOutcome;
  targetType?: string;
  targetId?: string;
  ip?: string;
}

export interface AuditRecord {
  id: string;
  at: string;
  actor: { id: string | null; name: string; type: string; role: string | null };
  via: string | null;
  action: string;
  target: { type: string; id: string | null } | null;
  summary: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  outcome: string;
}

function where(f: AuditFilter) {
  const w: Record<string, unknown> = {};
  if (f.from || f.to) w.at = { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) };
  if (f.action) w.action = f.action.endsWith('.') ? { startsWith: f.action } : f.action;
  if (f.actorId) w.actorId = f.actorId;
  if (f.actor) w.actorName = { contains: f.actor };
  if (f.outcome) w.outcome = f.outcome;
  if (f.targetType) w.targetType = f.targetType;
  if (f.targetId) w.targetId = f.targetId;
  if (f.ip) w.ip = f.ip;
  return w;
}

const moment = (endOfDay: boolean) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'a date (2026-03-01) or time (2026-03-01T12:00Z), UTC unless it says otherwise')
    // A date alone means the whole day: "to 2026-03-01" includes that day.
    .transform((s) => (s.length === 10 ? new Date(Date.parse(`${s}T00:00:00Z`) + (endOfDay ? 86_400_000 : 0)) : new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`)))
    // the shape alone lets 2026-13-45 through
    .refine((d) => !Number.isNaN(d.getTime()), 'not a real date or time');
const text = (max: number) => z.string().trim().max(max).optional().transform((s) => s || undefined);

/** The audit filter as query parameters (web page, JSON API, CLI options): validated, empty values ignored. */
export const auditQuerySchema = z.object({
  from: z.union([z.literal(''), moment(false)]).optional().transform((d) => d || undefined),
  to: z.union([z.literal(''), moment(true)]).optional().transform((d) => d || undefined),
  action: text(80).refine((a) => !a || /^[a-z][a-z0-9_.-]*$/.test(a), 'an action (rule.approve) or a prefix ending in "." (rule.)'),
  actor: text(200),
  actorId: text(100),
  outcome: z.union([z.literal(''), z.enum(['ok', 'denied', 'failed'])]).optional().transform((o) => o || undefined),
  targetType: text(60),
  targetId: text(200),
  ip: text(64),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

type Row = Awaited<ReturnType<Db['auditEvent']['findFirstOrThrow']>>;

export function toRecord(r: Row): AuditRecord {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: { id: r.actorId, name: r.actorName, type: r.actorType, role: r.actorRole },
    via: r.via,
    action: r.action,
    target: r.targetType ? { type: r.targetType, id: r.targetId } : null,
    summary: r.summary,
    before: r.before ?? null,
    after: r.after ?? null,
    ip: r.ip,
    userAgent: r.userAgent,
    outcome: r.outcome,
  };
}

/** A cursor names the last event of a page: newest first, ties broken by id. */
const encodeCursor = (r: Row) => Buffer.from(`${r.at.getTime()}.${r.id}`).toString('base64url');
function decodeCursor(c: string): { at: Date; id: string } | null {
  const m = /^(\d{1,15})\.([\w-]{1,64})$/.exec(Buffer.from(c, 'base64url').toString());
  return m ? { at: new Date(Number(m[1])), id: m[2]! } : null;
}

/** A page cursor as a query parameter: one this server handed out, or refused at the door. */
export const auditCursorSchema = z.string().max(200).refine((c) => decodeCursor(c) !== null, 'not a page cursor of the audit log (use the nextCursor of the previous page)');

/** One page of events, newest first. */
export async function queryAudit(db: AuditDb, filter: AuditFilter = {}, page: { limit?: number; cursor?: string | null } = {}) {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  const w = where(filter);
  const cur = page.cursor ? decodeCursor(page.cursor) : null;
  if (page.cursor && !cur) throw new Error('audit: the page cursor is not valid');
  const rows = await db.auditEvent.findMany({
    where: cur ? { AND: [w, { OR: [{ at: { lt: cur.at } }, { at: cur.at, id: { lt: cur.id } }] }] } : w,
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { events: shown.map(toRecord), next: more ? encodeCursor(shown[shown.length - 1]!) : null };
}

/**
 * The events matching a filter as JSON lines (one event per line, oldest first), read in
 * batches so that an export of millions of events holds one batch in memory at a time.
 */
export async function* exportAuditJsonl(db: AuditDb, filter: AuditFilter = {}, batch = 1000): AsyncGenerator<string> {
  const w = where(filter);
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const rows: Row[] = await db.auditEvent.findMany({
      where: after ? { AND: [w, { OR: [{ at: { gt: after.at } }, { at: after.at, id: { gt: after.id } }] }] } : w,
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      take: batch,
    });
    for (const r of rows) yield `${JSON.stringify(toRecord(r))}\n`;
    if (rows.length < batch) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}
