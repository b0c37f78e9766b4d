'use client';
// Review by application and environment (lib/read/review.ts): the list of units (app@env) with
// their enforcement state and counts, and one unit opened: what reaches it, what it reaches (its
// egress included) and what runs inside it, each rule with who approves it and whether the other
// side agreed; "Approve all" for the unit, and Confirm for the inferred applications that hold
// rules back (the unconfirmed gate).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { refreshAfterChange } from '../api/refresh';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { apiGet, apiSend } from '../api/client';
import { STATE_MEANING } from '../data/enforcement';
import type { ReviewUnitJson, UnitReviewJson, UnitRuleJson } from '../../lib/read/review';
import { count, num } from '../format';
import { ErrorBox, Loading } from '../ui/States';
import { useUrlState } from '../url-state';
import { ReviewDialog, type ReviewAction } from './ReviewDialog';
import { RuleItem } from './RuleItem';

const STATE_CLASS: Record<string, string> = { visibility: 'tag', test: 'tag inferred', enforced: 'tag ok' };

function useUnits() {
  return useQuery({ queryKey: ['review-units'], queryFn: ({ signal }) => apiGet<{ units: ReviewUnitJson[] }>('/api/v1/rules/review', undefined, signal) });
}

const dirText = (c: { proposed: number; approved: number }) => `${num(c.proposed)} / ${num(c.approved)}`;

/** Every unit with its state and its rules to review / approved by direction; opens one. */
export function ReviewUnits() {
  const q = useUnits();
  const url = useUrlState();
  const [find, setFind] = useState('');
  const units = useMemo(() => (q.data?.units ?? []).filter((u) => !find.trim() || u.unit.toLowerCase().includes(find.trim().toLowerCase())), [q.data, find]);
  if (q.error) return <ErrorBox error={q.error} retry={() => void q.refetch()} />;
  if (!q.data) return <Loading what="Loading the applications" />;
  return (
    <section className="card" aria-labelledby="review-units">
      <h2 id="review-units">Review by application</h2>
      <p className="muted">
        Each application in each environment is reviewed on its own: what reaches it and what it reaches, its egress included. Counts are to review / approved. The rules an
        application owns, as one list: <Link href="/rules?view=rules">every rule by owning application</Link>.
      </p>
      <label>
        Find
        <input type="search" value={find} onChange={(e) => setFind(e.target.value)} placeholder="application or environment" />
      </label>
      <table aria-label="Applications to review">
        <thead>
          <tr>
            <th scope="col">Application</th>
            <th scope="col">State</th>
            <th scope="col">Workloads</th>
            <th scope="col">Inbound</th>
            <th scope="col">Outbound</th>
            <th scope="col">Inside</th>
            <th scope="col">To review</th>
            <th scope="col">
              <span className="visually-hidden">Open</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {units.map((u) => (
            <tr key={u.unit}>
              <th scope="row">
                {u.unit}
                {u.unconfirmed && (
                  <span className="tag warn" title="Discovery inferred this application and nobody confirmed it: rules naming it cannot be approved yet">
                    {' '}
                    unconfirmed
                  </span>
                )}
              </th>
              <td>
                <span className={STATE_CLASS[u.state] ?? 'tag'} title={STATE_MEANING[u.state]}>
                  {u.state}
                </span>
              </td>
              <td>{num(u.workloads)}</td>
              <td>{dirText(u.counts.inbound)}</td>
              <td>{dirText(u.counts.outbound)}</td>
              <td>{dirText(u.counts.within)}</td>
              <td>{num(u.toReview)}</td>
              <td>
                <button type="button" className="btn btn-small" onClick={() => url.set({ unit: u.unit })} aria-label={`Review ${u.unit}`}>
                  Review
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {units.length === 0 && <p className="muted">No application matches.</p>}
    </section>
  );
}

const SECTIONS = [
  { direction: 'inbound', title: (u: string) => `What reaches ${u}`, label: (u: string) => `Inbound rules of ${u}` },
  { direction: 'outbound', title: (u: string) => `What ${u} reaches`, label: (u: string) => `Outbound rules of ${u}` },
  { direction: 'within', title: (u: string) => `Inside ${u}`, label: (u: string) => `Rules inside ${u}` },
] as const;

/** One unit opened: its rules in both directions and "Approve all". */
export function UnitReview({ unit, role }: { unit: string; role: string }) {
  const url = useUrlState();
  const qc = useQueryClient();
  const status = url.get('status') ?? 'proposed';
  const units = useUnits();
  const q = useQuery({
    queryKey: ['review-unit', unit, status],
    queryFn: ({ signal }) => apiGet<UnitReviewJson>('/api/v1/rules/review', { unit, status }, signal),
  });
  const [dialog, setDialog] = useState<{ rules: UnitRuleJson[]; action: ReviewAction; all?: boolean } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const confirm = useMutation({
    mutationFn: (id: string) => apiSend<{ workloads: number; application: string }>('POST', `/api/v1/applications/${encodeURIComponent(id)}/confirm`, {}),
    onSuccess: async (r) => {
      setMessage({ ok: true, text: `Confirmed ${r.application}: ${num(r.workloads)} workloads carry it as a fact. Its rules can be approved now.` });
      await refreshAfterChange(qc);
    },
    onError: (e) => setMessage({ ok: false, text: (e as Error).message }),
  });
  const info = units.data?.units.find((u) => u.unit === unit);
  const canConfirm = role === 'admin' || role === 'architect';

  if (q.error) return <ErrorBox error={q.error} retry={() => void q.refetch()} />;
  if (!q.data) return <Loading what={`Loading the rules of ${unit}`} />;
  const d = q.data;
  const proposed = d.rules.filter((r) => r.status === 'proposed');
  const actionable = proposed.filter((r) => r.mayApprove || r.mayAgree);
  return (
    <section aria-label={`Review of ${unit}`}>
      <p className="actions">
        <button type="button" className="btn btn-small btn-secondary" onClick={() => url.set({ unit: null })}>
          ← Every application
        </button>
      </p>
      <header className="actions" style={{ margin: 0 }}>
        <h2 style={{ margin: 0 }}>{unit}</h2>
        {info && (
          <span className={STATE_CLASS[info.state] ?? 'tag'} title={STATE_MEANING[info.state]}>
            {info.state}
          </span>
        )}
        {info && <span className="muted">{count(info.workloads, 'workload')}</span>}
        <div className="segmented" role="group" aria-label="Status">
          {['proposed', 'approved', 'all'].map((s) => (
            <button key={s} type="button" aria-pressed={status === s} onClick={() => url.set({ status: s === 'proposed' ? null : s })}>
              {s}
            </button>
          ))}
        </div>
        {actionable.length > 0 && (
          <button type="button" className="btn btn-small btn-ok" onClick={() => setDialog({ rules: proposed, action: 'approve', all: true })}>
            Approve all {num(proposed.length)} proposed
          </button>
        )}
      </header>
      <p className="muted">
        A rule is approved by the owners of the application it lets traffic reach (for egress, of the application that sends it), or by an admin or architect. Approving{' '}
        {unit}’s outbound rules to another application records your agreement as the sending side; its owners see it and approve.
      </p>
      {d.unconfirmed.length > 0 && (
        <div className="warning" role="region" aria-label="Unconfirmed applications">
          <p style={{ margin: 0 }}>
            Rules naming an application discovery inferred and nobody confirmed cannot be approved: the next discovery run may regroup or rename it. Confirm it, or narrow
            the rule to confirmed labels or addresses.
          </p>
          <ul className="plain">
            {d.unconfirmed.flatMap((a) =>
              a.units.map((u) => (
                <li key={u}>
                  {u}{' '}
                  {canConfirm ? (
                    <button type="button" className="btn btn-small btn-ok" disabled={confirm.isPending} onClick={() => confirm.mutate(u)}>
                      Confirm {u}
                    </button>
                  ) : (
                    <Link href={`/applications/${encodeURIComponent(u)}`}>an admin or architect confirms it on its page</Link>
                  )}
                </li>
              )),
            )}
          </ul>
        </div>
      )}
      {message && (
        <p role="status" className={message.ok ? 'notice' : 'warning'}>
          {message.text}
        </p>
      )}
      {d.rules.length === 0 && (
        <div className="state state-empty">
          <h3>
            No {status === 'all' ? '' : status} rules for {unit}
          </h3>
          {status === 'proposed' && (
            <p>
              Every proposed rule of {unit} is reviewed. Next: <Link href="/simulation?enforcement=all">simulate</Link> what its rules would block once enforced, decide what
              would be blocked (<code>npx bulkhead enforce {d.application}{d.environment ? ` --env ${d.environment}` : ''} --readiness</code>), then put it in test and enforced on
              its page under <Link href="/applications">Applications</Link>.
            </p>
          )}
        </div>
      )}
      {SECTIONS.map((s) => {
        const list = d.rules.filter((r) => r.direction === s.direction);
        if (!list.length) return null;
        return (
          <section key={s.direction} className="rule-group" aria-label={s.label(unit)}>
            <header>
              <h3 style={{ margin: 0 }}>{s.title(unit)}</h3>
              <span className="muted">{count(list.length, 'rule')}</span>
            </header>
            {list.map((r) => (
              <RuleItem
                key={r.id}
                r={r}
                canReview={r.mayApprove}
                chosen={false}
                choosable={false}
                onChoose={() => {}}
                onAction={(action) => setDialog({ rules: [r], action })}
                blocked={r.blocked}
                extra={<Sides r={r} />}
              />
            ))}
          </section>
        );
      })}
      {dialog && (
        <ReviewDialog
          rules={dialog.rules}
          action={dialog.action}
          unit={dialog.all ? { application: d.application, environment: d.environment } : undefined}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}

/** Who approves the rule, the other side's owners and whether they agreed. */
function Sides({ r }: { r: UnitRuleJson }) {
  const approver = r.application?.name ?? null;
  const parts: string[] = [];
  for (const o of r.others) {
    const owners = o.owners.length ? `owners ${o.owners.join(', ')}` : 'no owner yet';
    const agreed = o.agreed.length ? `agreed: ${o.agreed.join(', ')}` : 'not agreed yet';
    parts.push(`${r.direction === 'inbound' ? 'from' : 'to'} ${o.application} (${owners}; ${agreed})`);
  }
  return (
    <p className="muted" style={{ margin: 0, fontSize: '0.85rem' }}>
      {approver ? `Approved by ${approver}’s owners` : 'A rule of no application: an admin or architect approves it'}
      {r.approvedBy.length ? ` (approved by ${r.approvedBy.join(', ')})` : ''}
      {parts.length ? ` · ${parts.join(' · ')}` : ''}
      {r.agreedBy.length ? ` · the sending side agreed: ${r.agreedBy.join(', ')}` : ''}
      {r.mayAgree && r.status === 'proposed' ? ' · yours to agree to as the sending side' : ''}
    </p>
  );
}
