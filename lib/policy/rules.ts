// Rules in the database: reading them as the model, finding them by the ids people type, and the
// rule sets simulation, blast radius and exports evaluate.
import type { Db } from '../db';
import { reviewState, type ReviewState } from './duties';
import { NotFoundError, parsePorts, parseSelector, PolicyError, RULE_STATUSES, type Evidence, type Rule, type RuleOrigin, type RuleStatus } from './model';

type Row = Awaited<ReturnType<Db['rule']['findFirstOrThrow']>>;

export function toRule(r: Row): Rule {
  return {
    id: r.id,
    action: 'allow',
    from: parseSelector(r.fromSelector, `rule ${r.id} from`),
    to: parseSelector(r.toSelector, `rule ${r.id} to`),
    ports: parsePorts(r.ports, `rule ${r.id} ports`),
    intent: r.intent,
    owner: r.owner,
    applicationId: r.applicationId,
    status: r.status as RuleStatus,
    expires: r.expiresAt,
    evidence: (r.evidence as unknown as Evidence | null) ?? null,
    origin: r.origin as RuleOrigin,
    proposalKey: r.proposalKey,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** The short id shown in tables: the random tail of the cuid (its head is a timestamp shared by rules made together). */
export const shortId = (id: string) => id.slice(-8);

export interface RuleFilter {
  status?: RuleStatus | RuleStatus[];
  /** application name or id */
  application?: string;
  ids?: string[];
  origin?: RuleOrigin;
}

export async function applicationIdOf(db: Db, nameOrId: string): Promise<string> {
  const a = (await db.application.findUnique({ where: { name: nameOrId } })) ?? (await db.application.findUnique({ where: { id: nameOrId } }));
  if (!a) throw new NotFoundError(`no application ${nameOrId} (bulkhead owners list shows them)`);
  return a.id;
}

export async function listRules(db: Db, f: RuleFilter = {}): Promise<Rule[]> {
  const where: Record<string, unknown> = {};
  if (f.status) {
    const s = Array.isArray(f.status) ? f.status : [f.status];
    for (const x of s) if (!RULE_STATUSES.includes(x)) throw new PolicyError(`status "${x}" is not one of ${RULE_STATUSES.join(', ')}`);
    where.status = { in: s };
  }
  if (f.application) where.applicationId = await applicationIdOf(db, f.application);
  if (f.ids) where.id = { in: f.ids };
  if (f.origin) where.origin = f.origin;
  const rows = await db.rule.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return rows.map(toRule);
}

/**
 * The review state (lib/policy/duties.ts) of each of these rules that a person changed; a rule
 * nobody changed is left out, as it says no more than its evidence. Only the changed rules'
 * histories are read: a whole estate's proposals are listed and approved at once.
 */
export async function reviewStatesOf(db: Pick<Db, 'ruleEvent'>, rules: readonly Rule[]): Promise<Map<string, ReviewState>> {
  const ids = rules.map((r) => r.id);
  const changed = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const e of await db.ruleEvent.findMany({ where: { ruleId: { in: ids.slice(i, i + 500) }, action: { in: ['edit', 'narrow'] } }, select: { ruleId: true } })) changed.add(e.ruleId);
  }
  const histories = new Map<string, Array<Awaited<ReturnType<Db['ruleEvent']['findFirstOrThrow']>>>>();
  const list = [...changed];
  for (let i = 0; i < list.length; i += 500) {
    for (const e of await db.ruleEvent.findMany({ where: { ruleId: { in: list.slice(i, i + 500) } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] })) {
      histories.set(e.ruleId, [...(histories.get(e.ruleId) ?? []), e]);
    }
  }
  const out = new Map<string, ReviewState>();
  for (const r of rules) if (changed.has(r.id)) out.set(r.id, reviewState(r, histories.get(r.id) ?? []));
  return out;
}

/** A rule by its id, or by a unique tail or head of at least 6 characters (what `rules list` shows). */
export async function findRule(db: Db, key: string): Promise<Rule> {
  const k = key.trim();
  const exact = await db.rule.findUnique({ where: { id: k } });
  if (exact) return toRule(exact);
  if (k.length < 6) throw new NotFoundError(`no rule ${k} (give the id, or at least 6 of its last characters as \`bulkhead rules list\` shows)`);
  const rows = await db.rule.findMany({ where: { OR: [{ id: { endsWith: k } }, { id: { startsWith: k } }] }, take: 3 });
  if (rows.length === 0) throw new NotFoundError(`no rule ${k} (bulkhead rules list shows their ids)`);
  if (rows.length > 1) throw new PolicyError(`${k} matches several rules (${rows.map((r) => r.id).join(', ')}); give more of the id`);
  return toRule(rows[0]!);
}

export type PolicySource = 'approved' | 'proposed' | 'all';

/**
 * The rules in force for a policy: 'approved' = approved and not expired; 'proposed' = what would
 * be in force if every open proposal were approved (approved + proposed); 'all' is the same as
 * 'proposed' (rejected, expired and superseded rules never allow anything).
 */
export async function policyRules(db: Db, which: PolicySource, now = new Date()): Promise<Rule[]> {
  const status: RuleStatus[] = which === 'approved' ? ['approved'] : ['approved', 'proposed'];
  return (await listRules(db, { status })).filter((r) => !r.expires || r.expires.getTime() > now.getTime());
}

/** History of a rule, oldest first. */
export async function ruleHistory(db: Db, ruleId: string) {
  const rows = await db.ruleEvent.findMany({ where: { ruleId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  return rows.map((e) => ({
    at: e.at,
    actor: e.actorName,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    before: e.before ?? null,
    after: e.after ?? null,
    comment: e.comment,
  }));
}
