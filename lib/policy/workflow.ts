// The review workflow: proposals saved (re-proposing updates, never duplicates, never touches an
// approved rule), approve, reject, narrow, expiry. Every change writes a RuleEvent (the rule's
// history) and an audit event in the same transaction: both or neither.
import { audit, type Actor, type AuditVia } from '../audit';
import type { Db } from '../db';
import { describeRule, formatPorts, PolicyError, selectorKey, type PortSpec, type Rule, type RuleDraft, type RuleOrigin, type RuleStatus, type Selector } from './model';
import { normalizePorts, portsMissing, portsWithin } from './ports';
import { approvalRefusal } from './duties';
import { proposalKey, type Proposal, type ProposalSet } from './propose';
import { findRule, listRules, reviewStatesOf, shortId, toRule } from './rules';
import { loadUnconfirmed, unconfirmedRefusal } from './review';
import { selectorWithin } from './selectors';

/** Who acts, through which door (recorded in RuleEvent and the audit log). */
export interface Who {
  actor: Actor;
  via: AuditVia;
  ip?: string | null;
  userAgent?: string | null;
}

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
// Reviews of hundreds of rules at once run in one transaction; Prisma's default is 5 s.
const TX = { timeout: 120_000, maxWait: 30_000 };

/** JSON with object keys sorted: PostgreSQL's jsonb does not keep key order. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

const actorId = (a: Actor) => ('userId' in a ? (a.userId ?? null) : (a.id ?? null));

/** What a RuleEvent and the audit log keep of a rule: its meaning, not its bookkeeping. */
export function snapshot(r: Pick<Rule, 'from' | 'to' | 'ports' | 'intent' | 'status' | 'expires'> & { owner?: string | null }) {
  return { from: r.from, to: r.to, ports: r.ports, intent: r.intent, status: r.status, expires: r.expires ? r.expires.toISOString() : null, owner: r.owner ?? null };
}

async function event(tx: Tx, who: Who, ruleId: string, e: { action: string; fromStatus?: string | null; toStatus?: string | null; before?: unknown; after?: unknown; comment?: string | null }) {
  await tx.ruleEvent.create({
    data: {
      ruleId,
      actorId: actorId(who.actor),
      actorName: who.actor.name,
      action: e.action,
      fromStatus: e.fromStatus ?? null,
      toStatus: e.toStatus ?? null,
      before: (e.before ?? undefined) as never,
      after: (e.after ?? undefined) as never,
      comment: e.comment ?? null,
    },
  });
}

async function record(tx: Tx, who: Who, e: { action: string; target?: { type: string; id?: string | null }; summary: string; before?: unknown; after?: unknown; outcome?: 'ok' | 'denied' }) {
  await audit(tx, { actor: who.actor, via: who.via, ip: who.ip ?? null, userAgent: who.userAgent ?? null, ...e });
}

async function applicationFor(tx: Tx, name: string | null): Promise<string | null> {
  if (!name) return null;
  const a = await tx.application.upsert({ where: { name }, create: { name, confirmed: false }, update: {} });
  return a.id;
}

// --- proposals -----------------------------------------------------------------------------------

export interface SaveSummary {
  created: number;
  updated: number;
  unchanged: number;
  /** superseded or expired rules proposed again */
  reopened: number;
  /** open proposals of an earlier run that this run no longer makes */
  superseded: number;
  /** proposals fully allowed by approved rules with the same selectors */
  coveredByApproved: number;
  /** proposals trimmed to the ports approved rules with the same selectors do not allow yet */
  trimmed: number;
  /** proposals matching a rule people rejected: left rejected */
  keptRejected: number;
  /** proposals matching a rule people edited: their edit stands, evidence refreshed */
  keptEdited: number;
  /** the open proposals after the run */
  proposed: number;
}

/**
 * Save a proposal run. For each proposal: ports approved rules with the same selectors already
 * allow are dropped (an approved rule is never changed by re-proposing); the rest is matched to
 * an existing rule by its key (selectors + ports) and created, refreshed or reopened. Open
 * proposals of earlier runs that this run no longer makes are superseded, unless a person edited
 * them.
 */
export async function saveProposals(db: Db, set: ProposalSet, who: Who): Promise<SaveSummary> {
  const s: SaveSummary = { created: 0, updated: 0, unchanged: 0, reopened: 0, superseded: 0, coveredByApproved: 0, trimmed: 0, keptRejected: 0, keptEdited: 0, proposed: 0 };
  const now = new Date();
  const approved = (await listRules(db, { status: 'approved' })).filter((r) => !r.expires || r.expires > now);
  const approvedPorts = new Map<string, PortSpec[]>();
  for (const r of approved) {
    const k = `${selectorKey(r.from)}|${selectorKey(r.to)}`;
    approvedPorts.set(k, [...(approvedPorts.get(k) ?? []), ...r.ports]);
  }
  const existing = await db.rule.findMany({ where: { proposalKey: { not: null } }, include: { events: { where: { action: { in: ['narrow', 'edit'] } }, select: { id: true } } } });
  const byKey = new Map(existing.map((r) => [r.proposalKey!, r]));

  const wanted: Proposal[] = [];
  for (const p of set.rules) {
    const have = approvedPorts.get(`${selectorKey(p.from)}|${selectorKey(p.to)}`);
    if (!have) {
      wanted.push(p);
      continue;
    }
    const missing = portsMissing(p.ports, have);
    if (!missing.length) s.coveredByApproved++;
    else {
      s.trimmed++;
      const draft = { ...p, ports: missing };
      wanted.push({ ...draft, key: proposalKey(draft), intent: `${p.intent.replace(/\.$/, '')}; ${formatPorts(missing)} beyond the approved rule.` });
    }
  }

  const windowText = `${set.window.from.toISOString()} .. ${set.window.to.toISOString()}`;
  await db.$transaction(async (tx) => {
    const seen = new Set<string>();
    for (const p of wanted) {
      seen.add(p.key);
      const row = byKey.get(p.key);
      const data = { intent: p.intent, evidence: p.evidence as never, owner: p.owner };
      if (!row) {
        const applicationId = await applicationFor(tx, p.application);
        const created = await tx.rule.create({
          data: { ...data, applicationId, fromSelector: p.from as never, toSelector: p.to as never, ports: p.ports as never, status: 'proposed', origin: 'proposal', proposalKey: p.key },
        });
        await event(tx, who, created.id, { action: 'propose', toStatus: 'proposed', after: snapshot({ ...p, status: 'proposed', expires: null }), comment: `discovery window ${windowText}` });
        s.created++;
        continue;
      }
      const edited = row.events.length > 0;
      if (row.status === 'rejected') {
        s.keptRejected++;
        continue;
      }
      if (row.status === 'approved') {
        // the same rule approved (possibly narrowed by a person since): never touched
        s.coveredByApproved++;
        continue;
      }
      if (row.status === 'superseded' || row.status === 'expired') {
        await tx.rule.update({ where: { id: row.id }, data: { ...data, status: 'proposed', expiresAt: null } });
        await event(tx, who, row.id, { action: 'reopen', fromStatus: row.status, toStatus: 'proposed', comment: `proposed again by discovery window ${windowText}` });
        s.reopened++;
        continue;
      }
      if (edited) {
        await tx.rule.update({ where: { id: row.id }, data: { evidence: data.evidence } });
        s.keptEdited++;
        continue;
      }
      if (row.intent === p.intent && row.owner === p.owner && stableJson(row.evidence) === stableJson(p.evidence)) s.unchanged++;
      else {
        await tx.rule.update({ where: { id: row.id }, data });
        s.updated++;
      }
    }
    for (const row of existing) {
      if (row.status !== 'proposed' || row.origin !== 'proposal' || seen.has(row.proposalKey!) || row.events.length > 0) continue;
      await tx.rule.update({ where: { id: row.id }, data: { status: 'superseded' } });
      await event(tx, who, row.id, { action: 'supersede', fromStatus: 'proposed', toStatus: 'superseded', comment: `not proposed by discovery window ${windowText}` });
      s.superseded++;
    }
    s.proposed = await tx.rule.count({ where: { status: 'proposed' } });
    await record(tx, who, {
      action: 'rule.create',
      target: { type: 'proposal-run' },
      summary: `proposed rules from discovery ${windowText} (granularity ${set.options.granularity}, ports ${set.options.ports}): ${s.created} new, ${s.updated} updated, ${s.reopened} reopened, ${s.superseded} superseded, ${s.coveredByApproved} already approved`,
      after: { ...s, options: set.options },
    });
  }, TX);
  return s;
}

// --- manual and imported rules ------------------------------------------------------------------

export async function createRules(db: Db, drafts: Array<RuleDraft & { status?: 'proposed' | 'approved'; application?: string | null }>, who: Who, opts: { origin: RuleOrigin; comment?: string | null }): Promise<{ created: Rule[]; existing: Rule[] }> {
  const created: Rule[] = [];
  const existingOut: Rule[] = [];
  // a rule that means the same (selectors and ports) and still counts is not created twice,
  // whatever made it: re-importing a baseline exported from here creates nothing
  const meaning = (r: { from: Selector; to: Selector; ports: readonly PortSpec[] }) => proposalKey({ ...r, ports: normalizePorts(r.ports) });
  const active = new Map((await listRules(db, { status: ['proposed', 'approved'] })).map((r) => [meaning(r), r]));
  await db.$transaction(async (tx) => {
    for (const d of drafts) {
      const ports = normalizePorts(d.ports);
      const key = `${opts.origin}:${proposalKey({ ...d, ports })}`;
      const prior = active.get(meaning(d));
      if (prior) {
        existingOut.push(prior);
        continue;
      }
      const status = d.status ?? 'proposed';
      const applicationId = await applicationFor(tx, d.application ?? d.owner ?? null);
      const row = await tx.rule.create({
        data: {
          applicationId,
          fromSelector: d.from as never,
          toSelector: d.to as never,
          ports: ports as never,
          intent: d.intent,
          owner: d.owner,
          status,
          expiresAt: d.expires ?? null,
          evidence: (d.evidence ?? undefined) as never,
          origin: opts.origin,
          proposalKey: key,
        },
      });
      const rule = toRule(row);
      await event(tx, who, row.id, { action: opts.origin === 'import' ? 'import' : 'create', toStatus: status, after: snapshot(rule), comment: opts.comment ?? null });
      if (status === 'approved') await event(tx, who, row.id, { action: 'approve', fromStatus: 'proposed', toStatus: 'approved', comment: opts.comment ?? `approved as ${opts.origin}ed` });
      await record(tx, who, { action: status === 'approved' ? 'rule.approve' : 'rule.create', target: { type: 'rule', id: row.id }, summary: `${opts.origin === 'import' ? 'imported' : 'created'} ${status} rule ${shortId(row.id)}: ${describeRule(rule)}`, after: snapshot(rule) });
      created.push(rule);
      active.set(meaning(rule), rule);
    }
  }, TX);
  return { created, existing: existingOut };
}

// --- review ---------------------------------------------------------------------------------------

export interface ReviewOutcome {
  id: string;
  rule: string;
  /**
   * refused: this actor may not approve it (lib/policy/duties.ts), or nobody may yet (it relies on
   * an unconfirmed inferred application, ./review.ts); the note says why. endorsed: the sending
   * side's owner agreed; the rule awaits its receiving side (docs/policy.md).
   */
  outcome: 'approved' | 'rejected' | 'narrowed' | 'edited' | 'unchanged' | 'refused' | 'endorsed';
  fromStatus: RuleStatus;
  toStatus: RuleStatus;
  note?: string;
  /** for a refusal: duties (not this actor's to approve) or unconfirmed (nobody's until the application is confirmed or the rule rewritten) */
  reason?: 'duties' | 'unconfirmed';
}

/**
 * Approve rules (with an optional expiry: a temporary exception). Already approved rules are left
 * as they are. A rule this actor may not approve (widened past its evidence without being a
 * security reviewer, or last changed by them: lib/policy/duties.ts), or that relies on an
 * application discovery inferred and nobody confirmed (./review.ts), is left as it is, its
 * outcome `refused` with the reason, and the refusal audited; the others are approved. Rules in
 * `endorse` are the sending side's agreement (the caller decided the actor owns that side and
 * not the receiving one): recorded in the rule's history, the status unchanged.
 * System actors (evaluations approving every proposal to measure them) pass the unconfirmed gate:
 * they review nothing.
 */
export async function approveRules(
  db: Db,
  ids: readonly string[],
  who: Who,
  opts: { comment?: string | null; expires?: Date | null; now?: Date; separationOfDuties?: boolean; endorse?: ReadonlySet<string> } = {},
): Promise<ReviewOutcome[]> {
  const now = opts.now ?? new Date();
  if (opts.expires && opts.expires <= now) throw new PolicyError(`the expiry ${opts.expires.toISOString()} is not in the future`);
  const out: ReviewOutcome[] = [];
  const refused: Array<{ r: Rule; why: string }> = [];
  const unconfirmed = who.actor.type === 'system' ? new Map<string, Set<string>>() : await loadUnconfirmed(db);
  const endorsed: Rule[] = [];
  await db.$transaction(async (tx) => {
    // read all, decide all, then write in few statements: bulk approval of a whole application is
    // one click and must not take a statement per rule per table
    const rows = new Map<string, Rule>();
    for (let i = 0; i < ids.length; i += 500) for (const row of await tx.rule.findMany({ where: { id: { in: ids.slice(i, i + 500) } } })) rows.set(row.id, toRule(row));
    // only rules a person changed can be refused
    const states = await reviewStatesOf(tx, [...rows.values()]);
    const changes: Array<{ r: Rule; expires: Date | null }> = [];
    for (const id of ids) {
      const r = rows.get(id);
      if (!r) throw new PolicyError(`no rule ${id}`);
      const expires = opts.expires !== undefined ? opts.expires : r.expires;
      if (r.status === 'approved' && opts.expires === undefined) {
        out.push({ id, rule: describeRule(r), outcome: 'unchanged', fromStatus: r.status, toStatus: r.status, note: 'already approved' });
        continue;
      }
      const gated = unconfirmedRefusal(r, unconfirmed);
      if (gated) {
        refused.push({ r, why: gated });
        out.push({ id, rule: describeRule(r), outcome: 'refused', fromStatus: r.status, toStatus: r.status, note: gated, reason: 'unconfirmed' });
        continue;
      }
      const state = states.get(id);
      const why = state ? approvalRefusal(state, who.actor, { separationOfDuties: opts.separationOfDuties ?? true }) : null;
      if (why) {
        refused.push({ r, why });
        out.push({ id, rule: describeRule(r), outcome: 'refused', fromStatus: r.status, toStatus: r.status, note: why, reason: 'duties' });
        continue;
      }
      if (opts.endorse?.has(id)) {
        endorsed.push(r);
        out.push({ id, rule: describeRule(r), outcome: 'endorsed', fromStatus: r.status, toStatus: r.status, note: 'your agreement as the sending side is recorded; the receiving side approves it' });
        continue;
      }
      if (r.status === 'superseded') throw new PolicyError(`rule ${shortId(id)} was superseded by a newer proposal; approve that one (bulkhead rules list)`);
      if (expires && expires <= now) throw new PolicyError(`rule ${shortId(id)} expired on ${expires.toISOString()}; approve it with a new expiry (--expires) or none`);
      changes.push({ r, expires });
      out.push({ id, rule: describeRule(r), outcome: 'approved', fromStatus: r.status, toStatus: 'approved' });
    }
    const byExpiry = new Map<number | null, string[]>();
    for (const c of changes) {
      const k = c.expires ? c.expires.getTime() : null;
      byExpiry.set(k, [...(byExpiry.get(k) ?? []), c.r.id]);
    }
    for (const [k, list] of byExpiry) {
      for (let i = 0; i < list.length; i += 500) await tx.rule.updateMany({ where: { id: { in: list.slice(i, i + 500) } }, data: { status: 'approved', expiresAt: k === null ? null : new Date(k) } });
    }
    const events = changes.map(({ r, expires }) => ({
      ruleId: r.id,
      actorId: actorId(who.actor),
      actorName: who.actor.name,
      action: 'approve',
      fromStatus: r.status,
      toStatus: 'approved',
      before: snapshot(r) as never,
      after: snapshot({ ...r, status: 'approved', expires }) as never,
      comment: opts.comment ?? null,
    }));
    for (const r of endorsed) {
      events.push({ ruleId: r.id, actorId: actorId(who.actor), actorName: who.actor.name, action: 'endorse', fromStatus: r.status, toStatus: r.status, before: undefined as never, after: undefined as never, comment: opts.comment ?? null });
    }
    for (let i = 0; i < events.length; i += 500) await tx.ruleEvent.createMany({ data: events.slice(i, i + 500) });
    for (const r of endorsed) {
      await record(tx, who, { action: 'rule.approve', target: { type: 'rule', id: r.id }, summary: `agreed, as the sending side, to rule ${shortId(r.id)}: ${describeRule(r)} (awaits its receiving side)${opts.comment ? ` (${opts.comment})` : ''}` });
    }
    for (const { r, expires } of changes) {
      await record(tx, who, {
        action: 'rule.approve',
        target: { type: 'rule', id: r.id },
        summary: `approved rule ${shortId(r.id)}: ${describeRule(r)}${expires ? ` until ${expires.toISOString()}` : ''}${opts.comment ? ` (${opts.comment})` : ''}`,
        before: snapshot(r),
        after: snapshot({ ...r, status: 'approved', expires }),
      });
    }
  }, TX);
  // refusals are recorded after the approvals commit, so that one refused rule never rolls back
  // the others, and a refusal is audited even when nothing else changed
  if (refused.length) {
    await db.$transaction(async (tx) => {
      for (const { r, why } of refused) {
        await record(tx, who, { action: 'rule.approve', target: { type: 'rule', id: r.id }, summary: `refused to approve rule ${shortId(r.id)}: ${describeRule(r)}: ${why}`, outcome: 'denied' });
      }
    }, TX);
  }
  return out;
}

export async function rejectRules(db: Db, ids: readonly string[], who: Who, opts: { comment: string }): Promise<ReviewOutcome[]> {
  if (!opts.comment?.trim()) throw new PolicyError('say why (a comment) when rejecting: the owner of the traffic will read it');
  const out: ReviewOutcome[] = [];
  await db.$transaction(async (tx) => {
    for (const id of ids) {
      const row = await tx.rule.findUnique({ where: { id } });
      if (!row) throw new PolicyError(`no rule ${id}`);
      const r = toRule(row);
      if (r.status === 'rejected') {
        out.push({ id, rule: describeRule(r), outcome: 'unchanged', fromStatus: r.status, toStatus: r.status, note: 'already rejected' });
        continue;
      }
      if (r.status !== 'proposed' && r.status !== 'approved') throw new PolicyError(`rule ${shortId(id)} is ${r.status}; only proposed or approved rules can be rejected`);
      await tx.rule.update({ where: { id }, data: { status: 'rejected' } });
      await event(tx, who, id, { action: 'reject', fromStatus: r.status, toStatus: 'rejected', before: snapshot(r), after: snapshot({ ...r, status: 'rejected' }), comment: opts.comment });
      await record(tx, who, { action: 'rule.reject', target: { type: 'rule', id }, summary: `rejected rule ${shortId(id)}: ${describeRule(r)} (${opts.comment})`, before: snapshot(r), after: snapshot({ ...r, status: 'rejected' }) });
      out.push({ id, rule: describeRule(r), outcome: 'rejected', fromStatus: r.status, toStatus: 'rejected' });
    }
  }, TX);
  return out;
}

export interface NarrowChange {
  from?: Selector;
  to?: Selector;
  ports?: PortSpec[];
  intent?: string;
  /** a Date, or null to remove the expiry */
  expires?: Date | null;
}

/** Is `next` allowed to replace `prev` without a new approval: nothing it allows that `prev` did not? */
export function isNarrower(prev: Pick<Rule, 'from' | 'to' | 'ports' | 'expires'>, next: Pick<Rule, 'from' | 'to' | 'ports' | 'expires'>): boolean {
  const expiryOk = prev.expires === null || (next.expires !== null && next.expires <= prev.expires);
  return selectorWithin(next.from, prev.from) && selectorWithin(next.to, prev.to) && portsWithin(next.ports, prev.ports) && expiryOk;
}

/**
 * Narrow (or edit) a rule with a comment. An approved rule may only get narrower (it stays
 * approved); a proposal may change in any way (it still awaits approval).
 */
export async function narrowRule(db: Db, id: string, change: NarrowChange, who: Who, opts: { comment: string; now?: Date }): Promise<ReviewOutcome & { before: Rule; after: Rule }> {
  if (!opts.comment?.trim()) throw new PolicyError('say why (a comment) when narrowing a rule');
  const now = opts.now ?? new Date();
  if (change.expires && change.expires <= now) throw new PolicyError(`the expiry ${change.expires.toISOString()} is not in the future`);
  const current = await findRule(db, id);
  if (current.status !== 'proposed' && current.status !== 'approved') throw new PolicyError(`rule ${shortId(current.id)} is ${current.status}; only proposed or approved rules can be narrowed`);
  const next: Rule = {
    ...current,
    from: change.from ?? current.from,
    to: change.to ?? current.to,
    ports: change.ports ? normalizePorts(change.ports) : current.ports,
    intent: change.intent?.trim() || current.intent,
    expires: change.expires !== undefined ? change.expires : current.expires,
  };
  const narrower = isNarrower(current, next);
  if (current.status === 'approved' && !narrower) {
    throw new PolicyError(
      `rule ${shortId(current.id)} is approved and the change would let more through (${describeRule(next)} is not inside ${describeRule(current)}); narrow it, or propose a new rule for the extra traffic`,
    );
  }
  const same = stableJson(snapshot(current)) === stableJson(snapshot(next));
  const action = narrower ? 'narrow' : 'edit';
  if (!same) {
    await db.$transaction(async (tx) => {
      await tx.rule.update({ where: { id: current.id }, data: { fromSelector: next.from as never, toSelector: next.to as never, ports: next.ports as never, intent: next.intent, expiresAt: next.expires } });
      await event(tx, who, current.id, { action, fromStatus: current.status, toStatus: current.status, before: snapshot(current), after: snapshot(next), comment: opts.comment });
      await record(tx, who, {
        action: 'rule.change',
        target: { type: 'rule', id: current.id },
        summary: `${narrower ? 'narrowed' : 'edited'} ${current.status} rule ${shortId(current.id)}: ${describeRule(current)} => ${describeRule(next)} (${opts.comment})`,
        before: snapshot(current),
        after: snapshot(next),
      });
    }, TX);
  }
  return { id: current.id, rule: describeRule(next), outcome: same ? 'unchanged' : narrower ? 'narrowed' : 'edited', fromStatus: current.status, toStatus: current.status, before: current, after: next };
}

/** Approved exceptions past their expiry become expired (recorded as the system). */
export async function expireRules(db: Db, now = new Date(), who: Who = { actor: { type: 'system', name: 'bulkhead (expiry)' }, via: 'system' }): Promise<Rule[]> {
  const due = await db.rule.findMany({ where: { status: 'approved', expiresAt: { lte: now } } });
  if (!due.length) return [];
  const out: Rule[] = [];
  await db.$transaction(async (tx) => {
    for (const row of due) {
      const r = toRule(row);
      await tx.rule.update({ where: { id: r.id }, data: { status: 'expired' } });
      await event(tx, who, r.id, { action: 'expire', fromStatus: 'approved', toStatus: 'expired', comment: `expired on ${r.expires!.toISOString()}` });
      await record(tx, who, { action: 'rule.expire', target: { type: 'rule', id: r.id }, summary: `rule ${shortId(r.id)} expired: ${describeRule(r)}`, before: snapshot(r), after: snapshot({ ...r, status: 'expired' }) });
      out.push({ ...r, status: 'expired' });
    }
  }, TX);
  return out;
}
