'use client';
// The rules against the latest baseline: what was approved since, what proposals would add,
// what the baseline holds that is no longer approved, and rules that changed.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { apiGet } from '../api/client';
import type { BaselineDoc } from '../../lib/export/baseline';
import type { BaselineInfo } from '../../lib/policy/baselines';
import { portText, selectorText, type RuleJson } from '../data/rules';
import { num, utc } from '../format';
import { ErrorBox, Loading } from '../ui/States';

type Info = Omit<BaselineInfo, 'createdAt'> & { createdAt: string };

const text = (r: { from: RuleJson['from']; to: RuleJson['to']; ports: RuleJson['ports'] }) => `${selectorText(r.from)} -> ${selectorText(r.to)} ${r.ports.map(portText).join(' ')}`;

export function BaselineChanges() {
  const [open, setOpen] = useState(false);
  const list = useQuery({ queryKey: ['baselines'], queryFn: ({ signal }) => apiGet<{ baselines: Info[] }>('/api/v1/baselines', undefined, signal), enabled: open });
  const latest = list.data?.baselines[0];
  const doc = useQuery({
    queryKey: ['baseline', latest?.id],
    queryFn: ({ signal }) => apiGet<{ document: BaselineDoc }>(`/api/v1/baselines/${encodeURIComponent(`${latest!.name}@${latest!.version}`)}`, undefined, signal),
    enabled: open && !!latest,
  });
  const rules = useQuery({ queryKey: ['rules', 'proposed,approved', '', ''], queryFn: ({ signal }) => apiGet<{ rules: RuleJson[] }>('/api/v1/rules', { status: 'proposed,approved' }, signal), enabled: open && !!latest });

  let body: React.ReactNode = null;
  if (list.error || doc.error || rules.error) body = <ErrorBox error={list.error ?? doc.error ?? rules.error} />;
  else if (list.data && !latest)
    body = (
      <p>
        No baseline yet. Approve rules, then snapshot them on <Link href="/baselines">Baselines &amp; export</Link>: the next review shows what changed since.
      </p>
    );
  else if (!doc.data || !rules.data) body = open && <Loading what="Comparing with the latest baseline" />;
  else {
    const base = new Map(doc.data.document.rules.map((r) => [r.id, r]));
    const now = new Map(rules.data.rules.map((r) => [r.id, r]));
    const approvedSince = rules.data.rules.filter((r) => r.status === 'approved' && !base.has(r.id));
    const pending = rules.data.rules.filter((r) => r.status === 'proposed' && !base.has(r.id));
    const gone = doc.data.document.rules.filter((r) => now.get(r.id)?.status !== 'approved');
    const changed = doc.data.document.rules.filter((r) => {
      const n = now.get(r.id);
      return n && n.status === 'approved' && text(n) !== text(r);
    });
    const section = (title: string, items: string[], cls: string) =>
      items.length > 0 && (
        <div>
          <h3>
            {title} ({num(items.length)})
          </h3>
          <ul className="plain" style={{ fontFamily: 'ui-monospace, monospace', fontSize: '0.85rem' }}>
            {items.slice(0, 50).map((t, i) => (
              <li key={i} className={cls}>
                {t}
              </li>
            ))}
            {items.length > 50 && <li className="muted">and {items.length - 50} more</li>}
          </ul>
        </div>
      );
    body = (
      <>
        <p>
          Against <strong>{latest!.name} v{latest!.version}</strong> ({num(latest!.ruleCount)} rules, {utc(latest!.createdAt)} by {latest!.createdBy}).{' '}
          <Link href={`/baselines?view=${encodeURIComponent(`${latest!.name}@${latest!.version}`)}`}>Open it</Link>
        </p>
        {section('Approved since the baseline', approvedSince.map((r) => `+ ${r.rule}`), 'diff-add')}
        {section('Proposed, not yet approved', pending.map((r) => `+ ${r.rule}`), 'diff-change')}
        {section('In the baseline, no longer approved', gone.map((r) => `- ${text(r)}`), 'diff-remove')}
        {section('Changed (narrowed) since the baseline', changed.map((r) => `~ ${text(r)}  =>  ${now.get(r.id)!.rule}`), 'diff-change')}
        {approvedSince.length + pending.length + gone.length + changed.length === 0 && <p className="muted">No changes: the approved rules are the baseline.</p>}
      </>
    );
  }
  return (
    <details className="card" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>
        <h2 style={{ display: 'inline' }}>Changes against the approved baseline</h2>
      </summary>
      {body}
    </details>
  );
}
