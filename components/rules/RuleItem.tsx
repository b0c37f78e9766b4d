'use client';
// One rule on the Rules page: its selectors, intent, evidence (why this rule, the labels it relies
// on that nobody confirmed) and history, with the review actions the reader may take.
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { apiGet } from '../api/client';
import { KIND_LABELS, type RuleHistoryEntry, type RuleJson } from '../data/rules';
import { compact, num, utc } from '../format';
import { ErrorBox, Loading } from '../ui/States';
import type { ReviewAction } from './ReviewDialog';

/** One rule with its evidence and history; `blocked` (the unconfirmed gate; the rule's own `blocked` when not given) replaces its Approve button with why; `extra` says more about its sides. */
export function RuleItem({
  r,
  canReview,
  chosen,
  onChoose,
  onAction,
  blocked,
  extra,
  choosable = true,
}: {
  r: RuleJson;
  canReview: boolean;
  chosen: boolean;
  onChoose(on: boolean): void;
  onAction(a: ReviewAction): void;
  blocked?: string | null;
  extra?: ReactNode;
  /** offer the checkbox that chooses it for a bulk action */
  choosable?: boolean;
}) {
  const e = r.evidence;
  const gate = blocked !== undefined ? blocked : r.blocked;
  const [showHistory, setShowHistory] = useState(false);
  const history = useQuery({
    queryKey: ['rule-history', r.id, r.updatedAt],
    queryFn: ({ signal }) => apiGet<{ history: RuleHistoryEntry[] }>(`/api/v1/rules/${r.id}`, undefined, signal),
    enabled: showHistory,
  });
  const expired = r.expires && new Date(r.expires).getTime() < Date.now();
  return (
    <article className="rule" aria-label={`Rule ${r.shortId}: ${r.rule}`}>
      <div>{canReview && choosable && <input type="checkbox" checked={chosen} onChange={(ev) => onChoose(ev.target.checked)} aria-label={`Choose rule ${r.shortId}`} />}</div>
      <div>
        <p className="actions" style={{ margin: 0 }}>
          <span className={`status-badge status-${r.status}`}>{r.status}</span>
          {e && <span className="tag">{KIND_LABELS[e.kind] ?? e.kind}</span>}
          {r.expires && <span className={`tag ${expired ? 'bad' : 'warn'}`}>{expired ? 'expired' : 'expires'} {utc(r.expires)}</span>}
          {r.origin !== 'proposal' && <span className="tag">{r.origin}</span>}
          {r.review?.widened && r.status !== 'approved' && (
            <span className="tag warn" title={`Widened past its evidence${r.review.widenedBy ? ` by ${r.review.widenedBy}` : ''}: an admin or architect approves it`}>
              needs security review
            </span>
          )}
          <span className="muted">#{r.shortId}</span>
        </p>
        <p className="selectors">{r.rule}</p>
        <p className="intent">{r.intent}</p>
        {extra}
        {e && (
          <p className="muted" style={{ margin: 0, fontSize: '0.85rem' }}>
            Evidence: {num(e.edges)} dependencies · {compact(e.flows)} flows · {num(e.clients)} clients → {num(e.servers)} servers ·{' '}
            {Object.entries(e.periodicity)
              .map(([p, n]) => `${p} ${n}`)
              .join(', ')}{' '}
            · last seen {utc(e.lastSeen)}
          </p>
        )}
        {e && e.inferredLabels.length > 0 && (
          <p className="warning" style={{ fontSize: '0.85rem' }}>
            Relies on labels discovery inferred but nobody confirmed: {e.inferredLabels.join(', ')}. Confirm them on the application page before enforcing.
          </p>
        )}
        {e && (
          <details>
            <summary>Why this rule</summary>
            <p>{e.explanation}</p>
            {e.examples.length > 0 && (
              <ul>
                {e.examples.map((x) => (
                  <li key={x}>
                    <code>{x}</code>
                  </li>
                ))}
              </ul>
            )}
            <p className="muted">
              Discovery window {utc(e.window.from)} – {utc(e.window.to)}; first seen {utc(e.firstSeen)}.
            </p>
          </details>
        )}
        <details onToggle={(ev) => setShowHistory((ev.target as HTMLDetailsElement).open)}>
          <summary>History</summary>
          {history.error ? (
            <ErrorBox error={history.error} />
          ) : !history.data ? (
            showHistory && <Loading what="Loading the history" />
          ) : (
            <ol className="plain">
              {history.data.history.map((h, i) => (
                <li key={i}>
                  {utc(h.at)} · {h.actor} · {h.action}
                  {h.fromStatus && h.toStatus && h.fromStatus !== h.toStatus ? ` (${h.fromStatus} → ${h.toStatus})` : ''}
                  {h.comment ? `: “${h.comment}”` : ''}
                </li>
              ))}
            </ol>
          )}
        </details>
      </div>
      <div className="rule-actions">
        {canReview && (r.status === 'proposed' || r.status === 'approved' || r.status === 'expired' || r.status === 'rejected') && (
          <>
            {r.status !== 'approved' && gate && (
              <span className="muted" style={{ fontSize: '0.85rem', maxWidth: '14rem' }}>
                Cannot be approved yet: {gate}
              </span>
            )}
            {r.status !== 'approved' && r.review?.notYours && (
              <span className="muted" style={{ fontSize: '0.85rem', maxWidth: '14rem' }}>
                Not yours to approve: {r.review.notYours}
              </span>
            )}
            {r.status !== 'approved' && !gate && !r.review?.notYours && (
              <button type="button" className="btn btn-small btn-ok" onClick={() => onAction('approve')} aria-label={`Approve rule ${r.shortId}`}>
                Approve
              </button>
            )}
            {(r.status === 'proposed' || r.status === 'approved') && (
              <button type="button" className="btn btn-small" onClick={() => onAction('narrow')} aria-label={`Narrow rule ${r.shortId}`}>
                Narrow
              </button>
            )}
            {r.status !== 'rejected' && (
              <button type="button" className="btn btn-small btn-danger" onClick={() => onAction('reject')} aria-label={`Reject rule ${r.shortId}`}>
                Reject
              </button>
            )}
          </>
        )}
        {!canReview && r.status === 'proposed' && <span className="muted">reviewed by its owners</span>}
      </div>
    </article>
  );
}
