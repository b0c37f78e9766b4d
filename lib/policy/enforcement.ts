// Enforcement states (./enforcement-states.ts) as stored: how far the exports enforce an
// application's rules in one environment. An application is its `app` label and an environment its `env` label, so the state of a workload
// is the state of its (app, env) pair; a pair without a stored row is in visibility.
// docs/policy.md, "Enforcement states", says what each state means for each export format.
import { audit } from '../audit';
import { getApplication } from '../auth/ownership';
import type { Db } from '../db';
import { conflict, invalid } from '../errors';
import { DEFAULT_ENFORCEMENT, ENFORCEMENT_STATES, isEnforcementState, type EnforcementState } from './enforcement-states';
import { loadPolicyView } from './labels';
import type { Who } from './workflow';

export * from './enforcement-states';

export interface EnforcementRow {
  application: string;
  applicationId: string;
  /** the `env` label value; "" for the application's workloads without one */
  environment: string;
  state: EnforcementState;
  /** who set it last; null while it is the default */
  changedBy: string | null;
  updatedAt: Date | null;
  /** workloads with an address now that carry this app and env */
  workloads: number;
}

/** An EnforcementRow as the API sends it (GET /api/v1/enforcement[/:id]): dates as ISO text. */
export type EnforcementJson = Omit<EnforcementRow, 'updatedAt'> & { updatedAt: string | null };

/** The (application, environment) pairs the workloads with an address now carry, with their counts. */
async function knownPairs(db: Db): Promise<Map<string, Map<string, number>>> {
  const view = await loadPolicyView(db);
  const out = new Map<string, Map<string, number>>();
  for (const w of view.workloads) {
    const app = w.labels.app;
    if (!app) continue;
    const envs = out.get(app) ?? new Map<string, number>();
    const env = w.labels.env ?? '';
    envs.set(env, (envs.get(env) ?? 0) + 1);
    out.set(app, envs);
  }
  return out;
}

/**
 * Every application's state in each environment its workloads are in, plus any stored state of an
 * environment no workload carries any more; `applications` limits it to those ids (owners).
 */
export async function listEnforcement(db: Db, opts: { applications?: 'all' | readonly string[] } = {}): Promise<EnforcementRow[]> {
  const only = opts.applications && opts.applications !== 'all' ? new Set(opts.applications) : null;
  const [apps, stored, pairs] = await Promise.all([db.application.findMany({ select: { id: true, name: true } }), db.enforcement.findMany(), knownPairs(db)]);
  const rows = new Map<string, EnforcementRow>();
  for (const a of apps) {
    if (only && !only.has(a.id)) continue;
    for (const [environment, workloads] of pairs.get(a.name) ?? []) {
      rows.set(`${a.id}\n${environment}`, { application: a.name, applicationId: a.id, environment, state: DEFAULT_ENFORCEMENT, changedBy: null, updatedAt: null, workloads });
    }
  }
  const names = new Map(apps.map((a) => [a.id, a.name]));
  for (const s of stored) {
    if (only && !only.has(s.applicationId)) continue;
    const key = `${s.applicationId}\n${s.environment}`;
    const known = rows.get(key);
    rows.set(key, {
      application: names.get(s.applicationId) ?? s.applicationId,
      applicationId: s.applicationId,
      environment: s.environment,
      state: isEnforcementState(s.state) ? s.state : DEFAULT_ENFORCEMENT,
      changedBy: s.changedByName,
      updatedAt: s.updatedAt,
      workloads: known?.workloads ?? 0,
    });
  }
  return [...rows.values()].sort((a, b) => a.application.localeCompare(b.application) || a.environment.localeCompare(b.environment));
}

/** Every application's state per environment by name, as the baseline carries it. */
export async function enforcementStates(db: Db): Promise<Array<{ application: string; environment: string; state: EnforcementState }>> {
  return (await listEnforcement(db)).map((r) => ({ application: r.application, environment: r.environment, state: r.state }));
}

export interface EnforcementChange {
  application: string;
  applicationId: string;
  environment: string;
  from: EnforcementState;
  to: EnforcementState;
  changed: boolean;
}

/**
 * The environment of an application a change or a readiness check is about. Without one, the one
 * its workloads are in (refused when they are in several, so nobody enforces prod by meaning
 * test). An environment none of its workloads carries is refused too: a typo would enforce nothing.
 */
export async function resolveEnvironment(db: Db, applicationIdOrName: string, environment?: string | null): Promise<{ app: { id: string; name: string }; environment: string }> {
  const app = await getApplication(db, applicationIdOrName);
  const envs = [...((await knownPairs(db)).get(app.name)?.keys() ?? [])].sort();
  const shown = (e: string) => (e === '' ? '(no env label)' : e);
  if (environment === undefined || environment === null) {
    if (envs.length > 1) throw invalid(`${app.name} has workloads in several environments (${envs.map(shown).join(', ')}); name one`);
    return { app, environment: envs[0] ?? '' };
  }
  if (envs.length && !envs.includes(environment)) throw invalid(`no workload of ${app.name} carries env=${environment}; its environments: ${envs.map(shown).join(', ')}`);
  return { app, environment };
}

/**
 * The readiness gate (./readiness.ts), handed in because it needs the flow store: what is still
 * undecided before (application, environment) may be enforced, as one message naming it and the
 * command that decides it; null when nothing is.
 */
export type EnforcementGate = (app: { id: string; name: string }, environment: string) => Promise<{ undecided: number; message: string } | null>;

/**
 * Set the state of an application in one environment (see resolveEnvironment for which).
 * Moving to enforced passes the readiness gate first: refused (conflict) while a dependency the
 * approved rules would block is undecided, unless `force`, which the audit records with what was
 * undecided. Without a gate there is nothing to show the decision was informed, so enforcing is
 * refused unless forced. Visibility and test are never gated: they block nothing.
 */
export async function setEnforcement(
  db: Db,
  input: { application: string; environment?: string | null; state: string },
  who: Who,
  opts: { gate?: EnforcementGate; force?: boolean } = {},
): Promise<EnforcementChange> {
  if (!isEnforcementState(input.state)) throw invalid(`state "${input.state}": one of ${ENFORCEMENT_STATES.join(', ')}`);
  const { app, environment: env } = await resolveEnvironment(db, input.application, input.environment);
  let forcedPast: { undecided: number; message: string } | null = null;
  if (input.state === 'enforced') {
    const stored = await db.enforcement.findUnique({ where: { applicationId_environment: { applicationId: app.id, environment: env } } });
    if (stored?.state !== 'enforced') {
      const open = opts.gate ? await opts.gate(app, env) : { undecided: -1, message: `${app.name}${env ? `@${env}` : ''}: the readiness gate was not checked` };
      if (open && !opts.force) throw conflict(open.message);
      forcedPast = open;
    }
  }
  return db.$transaction(async (tx) => {
    const before = await tx.enforcement.findUnique({ where: { applicationId_environment: { applicationId: app.id, environment: env } } });
    const from: EnforcementState = before && isEnforcementState(before.state) ? before.state : DEFAULT_ENFORCEMENT;
    const to = input.state as EnforcementState;
    const change = { application: app.name, applicationId: app.id, environment: env, from, to, changed: from !== to };
    if (!change.changed) return change;
    const by = { changedById: 'userId' in who.actor ? (who.actor.userId ?? null) : (who.actor.id ?? null), changedByName: who.actor.name };
    await tx.enforcement.upsert({
      where: { applicationId_environment: { applicationId: app.id, environment: env } },
      create: { applicationId: app.id, environment: env, state: to, ...by },
      update: { state: to, ...by },
    });
    const forced = to === 'enforced' && forcedPast !== null;
    await audit(tx, {
      actor: who.actor,
      via: who.via,
      ip: who.ip ?? null,
      userAgent: who.userAgent ?? null,
      action: 'policy.enforce',
      target: { type: 'application', id: app.id },
      summary: `${app.name}${env ? `@${env}` : ''}: enforcement ${from} -> ${to}${forced ? ` (forced past the readiness gate: ${forcedPast!.undecided < 0 ? 'not checked' : `${forcedPast!.undecided} undecided`})` : ''}`,
      before: { application: app.name, environment: env, state: from },
      after: { application: app.name, environment: env, state: to, ...(forced ? { forced: true, undecided: forcedPast!.undecided, gate: forcedPast!.message } : {}) },
    });
    return change;
  });
}
