'use client';
// Enforcement states on the pages: an application's state in each of its environments with a
// control to change it (application page), and the states next to an application's name (rules
// review). The routes check policy:enforce and ownership; the pages offer the control only to
// those the routes would let through, so nobody is shown a button that can only fail.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { refreshAfterChange } from '../api/refresh';
import { useId, useState } from 'react';
import { apiGet, apiSend } from '../api/client';
import { ENFORCEMENT_STATES, envName, STATE_MEANING, type EnforcementJson, type EnforcementState } from '../data/enforcement';
import { count, num } from '../format';
import { endpointText } from '../../lib/words';
import type { Readiness, ReadinessDecision } from '../../lib/policy/readiness';
import { ErrorBox, Loading } from '../ui/States';

const STATE_CLASS: Record<EnforcementState, string> = { visibility: 'tag', test: 'tag inferred', enforced: 'tag ok' };

/** Every application's states (GET /api/v1/enforcement), by application name. */
export function useEnforcementByApplication() {
  const q = useQuery({ queryKey: ['enforcement'], queryFn: ({ signal }) => apiGet<{ enforcement: EnforcementJson[] }>('/api/v1/enforcement', undefined, signal), staleTime: 30_000 });
  const by = new Map<string, EnforcementJson[]>();
  for (const r of q.data?.enforcement ?? []) (by.get(r.application) ?? by.set(r.application, []).get(r.application)!).push(r);
  return { by, ready: !!q.data };
}

/** An application's states as small tags: "prod: enforced", "test: visibility". */
export function EnforcementTags({ application, rows }: { application: string; rows: readonly EnforcementJson[] }) {
  if (!rows.length) return null;
  return (
    <span className="actions" style={{ margin: 0 }} role="group" aria-label={`Enforcement of ${application}`}>
      {rows.map((r) => (
        <span key={r.environment} className={STATE_CLASS[r.state]} title={STATE_MEANING[r.state]}>
          {rows.length > 1 || r.environment ? `${envName(r.environment)}: ` : ''}
          {r.state}
        </span>
      ))}
    </span>
  );
}

const enforcementPath = (applicationId: string) => `/api/v1/enforcement/${encodeURIComponent(applicationId)}`;

/** One application's states per environment (GET /api/v1/enforcement/:id); null id: none to ask for. */
export function useApplicationEnforcement(applicationId: string | null) {
  return useQuery({
    queryKey: ['enforcement', applicationId],
    queryFn: ({ signal }) => apiGet<{ enforcement: EnforcementJson[] }>(enforcementPath(applicationId!), undefined, signal),
    enabled: applicationId !== null,
  });
}

/** The application page's panel (#enforcement): each environment's state, changeable by those allowed. */
export function EnforcementPanel({ application, canChange }: { application: { id: string; name: string }; canChange: boolean }) {
  const ids = useId();
  const qc = useQueryClient();
  const path = enforcementPath(application.id);
  const q = useApplicationEnforcement(application.id);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const change = useMutation({
    mutationFn: (v: { environment: string; state: EnforcementState }) =>
      apiSend<{ environment: string; from: EnforcementState; to: EnforcementState; changed: boolean }>('PUT', path, v),
    onSuccess: async (r) => {
      setMessage({
        ok: true,
        text: r.changed
          ? `${application.name} in ${envName(r.environment)}: ${r.from} → ${r.to}. The enforcement points change when the policy is exported and loaded again.`
          : `${application.name} in ${envName(r.environment)} was already in ${r.to}.`,
      });
      await refreshAfterChange(qc, ['enforcement'], ['simulation']);
    },
    onError: (e) => setMessage({ ok: false, text: (e as Error).message }),
  });
  return (
    <section className="card" id="enforcement" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>Enforcement</h2>
      <p className="muted">
        Per environment: visibility ({STATE_MEANING.visibility}, the default), test ({STATE_MEANING.test}) or enforced ({STATE_MEANING.enforced}).
        {!canChange && ' Its owners, admins and architects change it.'}
      </p>
      {q.error ? (
        <ErrorBox error={q.error} />
      ) : !q.data ? (
        <Loading what="Loading the enforcement states" />
      ) : !q.data.enforcement.length ? (
        <p className="muted">No workload with an address carries app={application.name} now, so there is nothing to enforce.</p>
      ) : (
        <table className="data">
          <caption className="visually-hidden">Enforcement state of {application.name} per environment</caption>
          <thead>
            <tr>
              <th scope="col">Environment</th>
              <th scope="col">Workloads</th>
              <th scope="col">State</th>
              <th scope="col">Set by</th>
            </tr>
          </thead>
          <tbody>
            {q.data.enforcement.map((r) => (
              <tr key={r.environment}>
                <th scope="row">{envName(r.environment)}</th>
                <td>{count(r.workloads, 'workload')}</td>
                <td>
                  {canChange ? (
                    <select
                      aria-label={`Enforcement of ${application.name} in ${envName(r.environment)}`}
                      value={r.state}
                      disabled={change.isPending}
                      onChange={(e) => {
                        const state = e.target.value as EnforcementState;
                        // blocking is the one change that can break traffic: ask first
                        if (state === 'enforced' && !window.confirm(`Enforce ${application.name} in ${envName(r.environment)}? Once exported, what its rules do not allow is dropped.`)) return;
                        change.mutate({ environment: r.environment, state });
                      }}
                    >
                      {ENFORCEMENT_STATES.map((s) => (
                        <option key={s} value={s}>
                          {s}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className={STATE_CLASS[r.state]} title={STATE_MEANING[r.state]}>
                      {r.state}
                    </span>
                  )}
                </td>
                <td>{r.changedBy ? `${r.changedBy}${r.updatedAt ? `, ${r.updatedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}` : <span className="muted">default</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p role="status" aria-live="polite" className={message ? (message.ok ? 'notice' : 'state state-error') : 'visually-hidden'}>
        {message?.text}
      </p>
      {/* the gate before enforcing, where the person may enforce */}
      {canChange && q.data?.enforcement.filter((r) => r.state !== 'enforced').map((r) => <Readiness key={r.environment} application={application} environment={r.environment} />)}
    </section>
  );
}

/**
 * The readiness gate of one environment (GET .../readiness): what the approved rules would block
 * of its observed traffic, both directions, and a decision on each (allow proposes a rule to
 * review; accept-block lets it be dropped). Enforcing is refused while one is undecided.
 */
function Readiness({ application, environment }: { application: { id: string; name: string }; environment: string }) {
  const qc = useQueryClient();
  const ids = useId();
  const path = `${enforcementPath(application.id)}/readiness`;
  const q = useQuery({ queryKey: ['enforcement', application.id, 'readiness', environment], queryFn: ({ signal }) => apiGet<Readiness>(path, { environment }, signal) });
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const decide = useMutation({
    mutationFn: (v: { dependency: string[]; decision: ReadinessDecision }) => apiSend<{ rules: unknown[] }>('POST', `${path}/decisions`, { ...v, environment, comment: comment || null }),
    onSuccess: async (r, v) => {
      setMessage({
        ok: true,
        text:
          v.decision === 'allow'
            ? `${count(v.dependency.length, 'dependency', 'dependencies')} allowed: ${count(r.rules.length, 'rule')} proposed for ${application.name}, to review on the rules page before exporting.`
            : `${count(v.dependency.length, 'dependency', 'dependencies')} will be dropped once ${application.name} is enforced.`,
      });
      await refreshAfterChange(qc, ['enforcement', application.id]);
      // allowing proposes rules: the page's counts (and its next step) change with them
      await refreshAfterChange(qc, ['application']);
    },
    onError: (e) => setMessage({ ok: false, text: (e as Error).message }),
  });
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <Loading what={`Checking what enforcing ${envName(environment)} would block`} />;
  const r = q.data;
  const open = r.dependencies.filter((d) => !d.decision).map((d) => d.id);
  return (
    <section aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>Readiness in {envName(environment)}</h3>
      <p role="status">
        {r.ready
          ? `Ready: its ${count(r.rules, 'approved rule')} block nothing observed that is not decided (${count(r.dependencies.length, 'decided dependency', 'decided dependencies')}).`
          : `Its ${count(r.rules, 'approved rule')} would block ${count(r.dependencies.length, 'observed dependency', 'observed dependencies')}, ${num(r.undecided)} undecided: decide on each before enforcing.`}{' '}
        <span className="muted">
          Left out: {count(r.scanners.dependencies, 'scanner dependency', 'scanner dependencies')}, {count(r.unanswered.dependencies, 'never-answered dependency', 'never-answered dependencies')}; {r.window.from.slice(0, 10)} .. {r.window.to.slice(0, 10)}.
        </span>
      </p>
      {r.dependencies.length > 0 && (
        <div className="table-wrap" tabIndex={0}>
          <table className="data compact">
            <caption className="visually-hidden">What enforcing {application.name} in {envName(environment)} would block</caption>
            <thead>
              <tr>
                <th scope="col">Direction</th>
                <th scope="col">Dependency</th>
                <th scope="col" className="num">
                  Flows
                </th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {r.dependencies.slice(0, 100).map((d) => (
                <tr key={d.id}>
                  <td>{d.direction}</td>
                  <td>
                    {endpointText(d.from)} → {endpointText(d.to)} {d.service}
                  </td>
                  <td className="num">{num(d.flows)}</td>
                  <td>{d.decision ? `${d.decision.decision} (${d.decision.by})` : <span className="status-warn">undecided</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open.length > 0 && (
        <form className="filters-row" aria-label={`Decide for ${application.name} in ${envName(environment)}`} onSubmit={(e) => e.preventDefault()}>
          <label>
            Comment
            <input value={comment} onChange={(e) => setComment(e.target.value)} size={30} />
          </label>
          <button type="button" className="btn" disabled={decide.isPending} onClick={() => decide.mutate({ dependency: open, decision: 'allow' })}>
            Allow the {num(open.length)} undecided
          </button>
          <button type="button" className="btn btn-secondary" disabled={decide.isPending} onClick={() => decide.mutate({ dependency: open, decision: 'accept-block' })}>
            Accept blocking the {num(open.length)} undecided
          </button>
        </form>
      )}
      <p role="status" aria-live="polite" className={message ? (message.ok ? 'notice' : 'state state-error') : 'visually-hidden'}>
        {message?.text}
      </p>
    </section>
  );
}
