'use client';
// Rule review: the proposals grouped by application with the evidence behind each, approve,
// reject or narrow one or many, the impact of approving (simulation and blast radius), the
// changes against the latest approved baseline, and new proposals from discovery.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { apiGet } from '../api/client';
import { KIND_LABELS, type RuleHistoryEntry, type RuleJson } from '../data/rules';
import { compact, count, num, utc } from '../format';
import { ErrorBox, Loading } from '../ui/States';
import { useUrlState } from '../url-state';
import { BaselineChanges } from './BaselineChanges';
import { EnforcementTags, useEnforcementByApplication } from '../policy/Enforcement';
import { Impact } from './Impact';
import { ProposePanel } from './ProposePanel';
import { ReviewDialog, type ReviewAction } from './ReviewDialog';
import { RuleItem } from './RuleItem';
import { ReviewUnits, UnitReview } from './UnitReview';

const STATUSES = ['proposed', 'approved', 'rejected', 'expired', 'superseded', 'all'] as const;

/**
 * The Rules page: the units of review (app@env) with their state and counts, one unit opened at a
 * time (?unit=orders@prod: what reaches it and what it reaches); ?app=NAME (or ?view=rules) lists
 * the rules an application owns, grouped as before, for the rules no unit shows (address to
 * address, shared rules of no application).
 */
export function RulesReview({ role, canPropose }: { role: string; canPropose: boolean }) {
  const url = useUrlState();
  const unit = url.get('unit');
  const flat = !!url.get('app') || url.get('view') === 'rules';
  if (unit) return <UnitReview unit={unit} role={role} />;
  if (!flat)
    return (
      <>
        {canPropose && <ProposePanel />}
        <ReviewUnits />
        <Impact />
        <BaselineChanges />
      </>
    );
  return <RulesByApplication role={role} canPropose={canPropose} />;
}

function RulesByApplication({ role, canPropose }: { role: string; canPropose: boolean }) {
  const url = useUrlState();
  const status = url.get('status') ?? 'proposed';
  const app = url.get('app') ?? '';
  const kind = url.get('kind') ?? '';
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<{ rules: RuleJson[]; action: ReviewAction } | null>(null);

  const account = useQuery({ queryKey: ['account'], queryFn: ({ signal }) => apiGet<{ applications: Array<{ id: string; name: string }> }>('/api/v1/account', undefined, signal) });
  const q = useQuery({
    queryKey: ['rules', status, app, kind],
    queryFn: ({ signal }) => apiGet<{ rules: RuleJson[] }>('/api/v1/rules', { status, application: app || undefined, kind: kind || undefined }, signal),
  });
  const enforcement = useEnforcementByApplication();
  const everyApp = role === 'admin' || role === 'architect';
  const owned = useMemo(() => new Set(account.data?.applications.map((a) => a.id) ?? []), [account.data]);
  const mayReview = (r: RuleJson) => everyApp || (role === 'owner' && !!r.application && owned.has(r.application.id));

  const rules = useMemo(() => {
    const s = search.trim().toLowerCase();
    return (q.data?.rules ?? []).filter((r) => !s || r.rule.toLowerCase().includes(s) || r.intent.toLowerCase().includes(s));
  }, [q.data, search]);
  const groups = useMemo(() => {
    const m = new Map<string, RuleJson[]>();
    for (const r of rules) {
      const k = r.application?.name ?? '';
      (m.get(k) ?? m.set(k, []).get(k)!).push(r);
    }
    return [...m.entries()].sort((a, b) => (a[0] === '' ? 1 : b[0] === '' ? -1 : a[0].localeCompare(b[0])));
  }, [rules]);
  const chosen = rules.filter((r) => selected.has(r.id));

  const toggle = (ids: string[], on: boolean) => {
    const s = new Set(selected);
    for (const id of ids) {
      if (on) s.add(id);
      else s.delete(id);
    }
    setSelected(s);
  };

  return (
    <>
      <div className="filters-row">
        <fieldset>
          <legend>Status</legend>
          <div className="segmented" role="group" aria-label="Status">
            {STATUSES.map((s) => (
              <button key={s} type="button" aria-pressed={status === s} onClick={() => url.set({ status: s === 'proposed' ? null : s })}>
                {s}
              </button>
            ))}
          </div>
        </fieldset>
        <label>
          Kind
          <select value={kind} onChange={(e) => url.set({ kind: e.target.value })}>
            <option value="">any</option>
            {Object.entries(KIND_LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          Find
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="selector, port, intent" />
        </label>
        {app && (
          <p className="chips">
            <button type="button" className="chip" onClick={() => url.set({ app: null })} aria-label={`Show every application, not only ${app}`}>
              application {app} ×
            </button>
          </p>
        )}
      </div>

      {canPropose && <ProposePanel />}
      <Impact />
      <BaselineChanges />

      {q.error ? (
        <ErrorBox error={q.error} retry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading what="Loading the rules" />
      ) : rules.length === 0 ? (
        <div className="state state-empty">
          <h2>No {status === 'all' ? '' : status} rules{app ? ` for ${app}` : ''}</h2>
          {status === 'proposed' && app ? (
            <p>
              Every proposed rule of {app} is reviewed. Next: <Link href="/simulation?enforcement=all">simulate</Link> what its rules would block once enforced, decide
              what would be blocked (<code>npx bulkhead enforce {app} --readiness</code>), put it in test, then enforced, on its page under{' '}
              <Link href="/applications">Applications</Link>, and <Link href="/baselines">export a baseline</Link>: only enforced applications are blocked.
            </p>
          ) : status === 'proposed' ? (
            <p>
              Nothing waits for review. {canPropose ? 'Propose rules from the dependency map above' : 'An architect proposes rules from the dependency map'} (or run{' '}
              <code>npx bulkhead propose</code>); then approve them here, <Link href="/simulation?enforcement=all">simulate</Link> what they would block once enforced, and{' '}
              <Link href="/baselines">export a baseline</Link>.
            </p>
          ) : (
            <p>Choose another status above.</p>
          )}
        </div>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {count(rules.length, status === 'all' ? 'rule' : `${status} rule`)} in {count(groups.length, 'application')}.
            {role === 'owner' && ` You review the rules of the applications you own (${account.data?.applications.map((a) => a.name).join(', ') || 'none yet: ask an architect'}).`}
          </p>
          {groups.map(([name, list]) => {
            const reviewable = list.filter(mayReview);
            const proposed = reviewable.filter((r) => r.status === 'proposed');
            const allChosen = reviewable.length > 0 && reviewable.every((r) => selected.has(r.id));
            return (
              <section key={name || 'none'} className="rule-group" aria-label={`Rules of ${name || 'no application'}`}>
                <header>
                  <div className="actions" style={{ margin: 0 }}>
                    {reviewable.length > 0 && (
                      <input type="checkbox" checked={allChosen} onChange={(e) => toggle(reviewable.map((r) => r.id), e.target.checked)} aria-label={`Choose every rule of ${name || 'no application'}`} />
                    )}
                    <h2>{name || 'No application (shared, cross-environment)'}</h2>
                    {name && <EnforcementTags application={name} rows={enforcement.by.get(name) ?? []} />}
                    <span className="muted">{num(list.length)} rules</span>
                  </div>
                  <div className="actions" style={{ margin: 0 }}>
                    {name && (
                      <Link className="btn btn-small" href={`/applications?q=${encodeURIComponent(name)}`}>
                        Application
                      </Link>
                    )}
                    {proposed.length > 0 && (
                      <button type="button" className="btn btn-small btn-ok" onClick={() => setDialog({ rules: proposed, action: 'approve' })}>
                        Approve all {num(proposed.length)} proposed
                      </button>
                    )}
                  </div>
                </header>
                {list.map((r) => (
                  <RuleItem key={r.id} r={r} canReview={mayReview(r)} chosen={selected.has(r.id)} onChoose={(on) => toggle([r.id], on)} onAction={(action) => setDialog({ rules: [r], action })} />
                ))}
              </section>
            );
          })}
        </>
      )}

      {chosen.length > 0 && (
        <div className="bulk-bar" role="region" aria-label="Chosen rules">
          <span>{num(chosen.length)} chosen</span>
          <button type="button" className="btn btn-small" onClick={() => setDialog({ rules: chosen, action: 'approve' })}>
            Approve
          </button>
          <button type="button" className="btn btn-small" onClick={() => setDialog({ rules: chosen, action: 'reject' })}>
            Reject
          </button>
          <button type="button" className="btn btn-small" onClick={() => setSelected(new Set())}>
            Clear
          </button>
        </div>
      )}
      {dialog && (
        <ReviewDialog
          rules={dialog.rules}
          action={dialog.action}
          onClose={(done) => {
            setDialog(null);
            if (done) setSelected(new Set());
          }}
        />
      )}
    </>
  );
}
