// Who may approve what. Two checks run when a rule is approved, both read from the rule's own
// history (RuleEvent), so nothing new is stored and nothing can drift from what happened:
//
//  - A rule widened past its evidence (an edit that lets through more than the rule as it was
//    first proposed, created or imported: a broader source or destination, more ports, any or
//    internet as a peer, a longer or no expiry) needs a security reviewer: a role that holds
//    `rules:approve-wide` (admins and architects). An application owner may narrow their rules
//    and approve them, but a rule an owner widened goes to the security team.
//  - Separation of duties: nobody approves a rule whose last change of meaning (selectors,
//    ports, expiry; not the intent text) is theirs. A setting turns it off for installs run by one
//    person (`review.separationOfDuties`, BULKHEAD_SEPARATION_OF_DUTIES=off); the local operator
//    (a shell on the server, who holds the database file) is not bound by it.
//
// The reasons are written for people and recorded in the audit log by the caller.
import type { Actor } from '../audit';
import { roleAllows } from '../auth/permissions';
import type { PortSpec, Rule, Selector } from './model';
import { portsWithin } from './ports';
import { selectorWithin } from './selectors';

/** What a RuleEvent row holds that these checks read. */
export interface RuleEventView {
  action: string;
  actorId: string | null;
  actorName: string;
  before: unknown;
  after: unknown;
}

interface Meaning {
  from: Selector;
  to: Selector;
  ports: PortSpec[];
  expires: Date | null;
}

/** Events that give a rule its first meaning. */
const ORIGIN_ACTIONS = new Set(['propose', 'create', 'import']);
/** Events by which a person changes a rule. */
const CHANGE_ACTIONS = new Set(['edit', 'narrow']);

function meaningOf(snapshot: unknown): Meaning | null {
  const s = snapshot as { from?: Selector; to?: Selector; ports?: PortSpec[]; expires?: string | null } | null;
  if (!s?.from || !s.to || !s.ports) return null;
  return { from: s.from, to: s.to, ports: s.ports, expires: s.expires ? new Date(s.expires) : null };
}

const sameMeaning = (a: Meaning, b: Meaning) =>
  JSON.stringify([a.from, a.to, a.ports, a.expires?.getTime() ?? null]) === JSON.stringify([b.from, b.to, b.ports, b.expires?.getTime() ?? null]);

/** Does `next` let through anything `first` did not? */
export function widens(first: Meaning, next: Meaning): boolean {
  const expiryOk = first.expires === null || (next.expires !== null && next.expires <= first.expires);
  return !(selectorWithin(next.from, first.from) && selectorWithin(next.to, first.to) && portsWithin(next.ports, first.ports) && expiryOk);
}

export interface ReviewState {
  /** the rule now lets through more than it did when first proposed, created or imported */
  widened: boolean;
  /** who widened it (the last person whose change left it wider), when widened */
  widenedBy: string | null;
  /** the last person who changed what the rule allows, if anyone did */
  lastChangedBy: { id: string | null; name: string } | null;
}

/** A rule's review state from its history (events oldest first). */
export function reviewState(rule: Pick<Rule, 'from' | 'to' | 'ports' | 'expires'>, events: readonly RuleEventView[]): ReviewState {
  const origin = events.find((e) => ORIGIN_ACTIONS.has(e.action));
  const first = origin ? meaningOf(origin.after) : null;
  let lastChangedBy: ReviewState['lastChangedBy'] = null;
  let widenedBy: string | null = null;
  for (const e of events) {
    if (!CHANGE_ACTIONS.has(e.action)) continue;
    const before = meaningOf(e.before);
    const after = meaningOf(e.after);
    if (!before || !after || sameMeaning(before, after)) continue;
    lastChangedBy = { id: e.actorId, name: e.actorName };
    if (first && widens(first, after)) widenedBy = e.actorName;
  }
  const widened = first ? widens(first, { from: rule.from, to: rule.to, ports: rule.ports, expires: rule.expires }) : false;
  return { widened, widenedBy: widened ? widenedBy : null, lastChangedBy };
}

const actorKey = (a: Actor) => ('userId' in a ? (a.userId ?? null) : (a.id ?? null));

/**
 * Why this actor may not approve this rule, in words; null when they may. `separationOfDuties`
 * comes from the configuration.
 */
export function approvalRefusal(state: ReviewState, actor: Actor, opts: { separationOfDuties: boolean }): string | null {
  const principal = actor.type === 'user' || actor.type === 'token' || actor.type === 'local' ? actor : null;
  // system actors (expiry, evaluations) act on rules as they are; they never edit
  if (!principal) return null;
  if (state.widened && !roleAllows(principal.role, 'rules:approve-wide')) {
    return `it was widened past its evidence${state.widenedBy ? ` by ${state.widenedBy}` : ''}: a security reviewer (an admin or architect) approves it`;
  }
  if (opts.separationOfDuties && principal.type !== 'local' && state.lastChangedBy) {
    const mine = state.lastChangedBy.id !== null ? state.lastChangedBy.id === actorKey(principal) : state.lastChangedBy.name === principal.name;
    if (mine) return 'its last change is yours: someone else approves it (separation of duties)';
  }
  return null;
}
