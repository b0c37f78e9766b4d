'use client';
// Enforcement states on the pages: an application's state in each of its environments with a
// control to change it (application page), and the states next to an application's name (rules
// review). The routes check policy:enforce and ownership; the pages offer the control only to
// those the routes would let through, so nobody is shown a button that can only fail.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { apiGet, apiSend } from '../api/client';
import { ENFORCEMENT_STATES, envName, STATE_MEANING, type EnforcementJson, type EnforcementState } from '../data/enforcement';
import { count } from '../format';
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
      await qc.invalidateQueries({ queryKey: ['enforcement'] });
      await qc.invalidateQueries({ queryKey: ['simulation'] });
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
    </section>
  );
}
