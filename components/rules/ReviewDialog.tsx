'use client';
// Reviewing a rule: approve (with a comment and, for a temporary exception, an expiry), reject
// (saying why), or narrow it (fewer ports, more specific selectors, an expiry), always with a
// comment that lands in the rule's history and the audit log.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshAfterChange } from '../api/refresh';
import { useEffect, useId, useRef, useState } from 'react';
import { apiSend } from '../api/client';
import { portText, type PortSpec, type RuleJson, type Selector } from '../data/rules';
import { ErrorBox } from '../ui/States';

/** What POST /api/v1/rules/approve answers. */
interface BulkApproval {
  approved: number;
  /** outbound rules of other applications the reviewer agreed to as the sending side */
  endorsed?: number;
  refused: number;
  rules: Array<{ rule: string; outcome: string; note?: string }>;
}

export type ReviewAction = 'approve' | 'reject' | 'narrow';

/** Datetime-local text (UTC) to ISO, or undefined. */
const isoOf = (local: string) => (local ? `${local}:00Z` : undefined);

/**
 * `unit`: approve every proposed rule of app@env in both directions through the server's plan
 * (lib/policy/review.ts) rather than these ids, so the sending side's agreement is recorded.
 */
export function ReviewDialog({ rules, action, onClose, unit }: { rules: RuleJson[]; action: ReviewAction; onClose(done: boolean): void; unit?: { application: string; environment: string } }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const qc = useQueryClient();
  const [comment, setComment] = useState('');
  const [expires, setExpires] = useState('');
  const one = rules.length === 1 ? rules[0]! : null;
  const [from, setFrom] = useState<Selector>(one?.from ?? { any: true });
  const [to, setTo] = useState<Selector>(one?.to ?? { any: true });
  const [ports, setPorts] = useState<PortSpec[]>(one?.ports ?? []);
  const [intent, setIntent] = useState(one?.intent ?? '');
  const [result, setResult] = useState<string | null>(null);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const run = useMutation({
    mutationFn: async () => {
      if (action === 'approve') {
        if (unit) return apiSend<BulkApproval>('POST', '/api/v1/rules/approve', { ...unit, comment: comment || undefined, expires: isoOf(expires) });
        if (one) return apiSend<{ outcome: string }>('POST', `/api/v1/rules/${one.id}/approve`, { comment: comment || undefined, expires: isoOf(expires) });
        return apiSend<BulkApproval>('POST', '/api/v1/rules/approve', { ids: rules.map((r) => r.id), comment: comment || undefined, expires: isoOf(expires) });
      }
      if (action === 'reject') {
        for (const r of rules) await apiSend('POST', `/api/v1/rules/${r.id}/reject`, { comment });
        return { rejected: rules.length };
      }
      return apiSend('PATCH', `/api/v1/rules/${one!.id}`, { from, to, ports, intent, expires: expires ? isoOf(expires) : undefined, comment });
    },
    onSuccess: async (data) => {
      // a bulk approval approves what it may and refuses the rest (widened past their evidence,
      // last changed by this reviewer, another application's, or relying on an application nobody
      // confirmed): say which and why, and stay open so it is read
      const bulk = data as Partial<BulkApproval> | undefined;
      const refused = bulk?.refused ? (bulk.rules ?? []).filter((r) => r.outcome === 'refused') : [];
      await refreshAfterChange(qc);
      if (refused.length || bulk?.endorsed) {
        setResult(
          `Approved ${bulk?.approved ?? 0}.` +
            (bulk?.endorsed ? ` Agreed to ${bulk.endorsed} as the sending side (their receiving side approves them).` : '') +
            (refused.length ? ` Refused ${refused.length}: ${refused.slice(0, 3).map((r) => `${r.rule}: ${r.note ?? ''}`).join('; ')}${refused.length > 3 ? '; …' : ''}` : ''),
        );
        return;
      }
      setResult(action === 'approve' ? `Approved ${rules.length} rule${rules.length > 1 ? 's' : ''}.` : action === 'reject' ? `Rejected ${rules.length}.` : 'Narrowed.');
      onClose(true);
    },
  });

  const title = action === 'approve' ? `Approve ${rules.length} rule${rules.length > 1 ? 's' : ''}` : action === 'reject' ? `Reject ${rules.length} rule${rules.length > 1 ? 's' : ''}` : 'Narrow the rule';
  const needsComment = action !== 'approve';
  return (
    <dialog ref={ref} aria-labelledby={`${id}-t`} onClose={() => onClose(false)} onCancel={() => onClose(false)}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <h2 id={`${id}-t`}>{title}</h2>
        <ul className="plain" style={{ maxHeight: '8rem', overflow: 'auto', fontFamily: 'ui-monospace, monospace', fontSize: '0.85rem' }}>
          {rules.slice(0, 20).map((r) => (
            <li key={r.id}>{r.rule}</li>
          ))}
          {rules.length > 20 && <li>… and {rules.length - 20} more</li>}
        </ul>
        {action === 'narrow' && one && (
          <>
            <SelectorEditor label="From (clients)" value={from} onChange={setFrom} />
            <SelectorEditor label="To (servers)" value={to} onChange={setTo} />
            <PortsEditor value={ports} onChange={setPorts} />
            <label className="field">
              Intent (the business reason, one sentence)
              <input value={intent} onChange={(e) => setIntent(e.target.value)} />
            </label>
            {one.status === 'approved' && <p className="muted">This rule is approved: it may only get narrower (fewer ports, more specific selectors, an earlier expiry).</p>}
          </>
        )}
        {action !== 'reject' && (
          <label className="field">
            {action === 'approve' ? 'Expires (UTC; for a temporary exception, optional)' : 'Expires (UTC, optional)'}
            <input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
          </label>
        )}
        <label className="field">
          {needsComment ? 'Why (kept in the rule’s history and the audit log)' : 'Comment (optional)'}
          <textarea value={comment} onChange={(e) => setComment(e.target.value)} required={needsComment} />
        </label>
        {run.error && <ErrorBox error={run.error} />}
        {result && (
          <p role="status" className="notice">
            {result}
          </p>
        )}
        <p className="actions">
          <button type="submit" className={action === 'reject' ? 'btn btn-danger' : action === 'approve' ? 'btn btn-ok' : 'btn'} disabled={run.isPending}>
            {run.isPending ? 'Working…' : action === 'approve' ? 'Approve' : action === 'reject' ? 'Reject' : 'Save the narrower rule'}
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => onClose(false)}>
            Cancel
          </button>
        </p>
      </form>
    </dialog>
  );
}

function SelectorEditor({ label, value, onChange }: { label: string; value: Selector; onChange(s: Selector): void }) {
  const id = useId();
  const [k, setK] = useState('');
  const [v, setV] = useState('');
  const kind = 'any' in value ? 'any' : 'cidr' in value ? 'cidr' : 'labels';
  return (
    <fieldset className="card" style={{ padding: '0.5rem 0.75rem' }}>
      <legend>{label}</legend>
      <div className="segmented" role="group" aria-label={`${label}: kind`}>
        {(['labels', 'cidr', 'any'] as const).map((x) => (
          <button
            key={x}
            type="button"
            aria-pressed={kind === x}
            onClick={() => onChange(x === 'any' ? { any: true } : x === 'cidr' ? { cidr: 'cidr' in value ? value.cidr : '' } : { labels: 'labels' in value ? value.labels : {} })}
          >
            {x === 'labels' ? 'workloads by labels' : x === 'cidr' ? 'addresses (CIDR)' : 'anything'}
          </button>
        ))}
      </div>
      {'labels' in value && (
        <>
          <p className="chips">
            {Object.entries(value.labels).map(([key, val]) => (
              <button
                key={key}
                type="button"
                className="chip"
                aria-label={`Remove ${key}=${val}`}
                onClick={() => {
                  const next = { ...value.labels };
                  delete next[key];
                  onChange({ labels: next });
                }}
              >
                {key}={val} ×
              </button>
            ))}
            {Object.keys(value.labels).length === 0 && <span className="muted">every workload</span>}
          </p>
          <div className="filters-row">
            <label>
              Key
              <input id={`${id}-k`} value={k} onChange={(e) => setK(e.target.value)} size={10} />
            </label>
            <label>
              Value
              <input value={v} onChange={(e) => setV(e.target.value)} size={14} />
            </label>
            <button
              type="button"
              className="btn btn-small"
              disabled={!k.trim() || !v.trim()}
              onClick={() => {
                onChange({ labels: { ...value.labels, [k.trim()]: v.trim() } });
                setK('');
                setV('');
              }}
            >
              Add label
            </button>
          </div>
        </>
      )}
      {'cidr' in value && (
        <label className="field">
          CIDR
          <input value={value.cidr} onChange={(e) => onChange({ ...value, cidr: e.target.value.trim() })} placeholder="10.20.0.0/16" />
        </label>
      )}
    </fieldset>
  );
}

function PortsEditor({ value, onChange }: { value: PortSpec[]; onChange(p: PortSpec[]): void }) {
  const set = (i: number, p: PortSpec) => onChange(value.map((x, k) => (k === i ? p : x)));
  return (
    <fieldset className="card" style={{ padding: '0.5rem 0.75rem' }}>
      <legend>Ports</legend>
      {value.map((p, i) => (
        <div key={i} className="filters-row" style={{ margin: '0.25rem 0' }}>
          <label>
            Protocol
            <select value={p.protocol} onChange={(e) => set(i, e.target.value === 'icmp' || e.target.value === 'any' ? { protocol: e.target.value } : { protocol: e.target.value as 'tcp' | 'udp', port: p.port, endPort: p.endPort })}>
              {['tcp', 'udp', 'icmp', 'any'].map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          </label>
          {(p.protocol === 'tcp' || p.protocol === 'udp') && (
            <>
              <label>
                Port
                <input type="number" min={1} max={65535} value={p.port ?? ''} onChange={(e) => set(i, { ...p, port: e.target.value ? Number(e.target.value) : undefined })} />
              </label>
              <label>
                to (range, optional)
                <input type="number" min={1} max={65535} value={p.endPort ?? ''} onChange={(e) => set(i, { ...p, endPort: e.target.value ? Number(e.target.value) : undefined })} />
              </label>
            </>
          )}
          <button type="button" className="btn btn-small btn-danger" onClick={() => onChange(value.filter((_, k) => k !== i))} aria-label={`Remove ${portText(p)}`} disabled={value.length === 1}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small" onClick={() => onChange([...value, { protocol: 'tcp', port: 443 }])}>
        Add a port
      </button>
    </fieldset>
  );
}
