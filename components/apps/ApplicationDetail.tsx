'use client';
// One application: its members with their labels and roles, what it depends on and what uses
// it, and the edits people make to discovery's grouping (confirm, rename, merge, split).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshAfterChange } from '../api/refresh';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { apiSend } from '../api/client';
import { NextStep } from '../journey/NextStep';
import { EnforcementPanel, useApplicationEnforcement } from '../policy/Enforcement';
import type { ApplicationDetail as Detail, NeighbourRow } from '../data/apps';
import { bytes, compact, num, pct, utc } from '../format';
import { roleColor } from '../map/style';
import { QueryState } from '../ui/Query';
import { WindowPicker } from '../ui/WindowPicker';
import { useAnalysisQuery } from '../useAnalysisQuery';
import { useWindow } from '../url-state';
import { windowParams, type WindowSpec } from '../window';
import { count } from '../../lib/words';
import { applicationNext } from '../../lib/read/next-step';

/** `enforce`: whether the person may change enforcement states, for every application or for those they own. */
export type EnforceRight = { every: boolean; userId: string | null } | null;

export function ApplicationDetail({ id, canEdit, enforce = null }: { id: string; canEdit: boolean; enforce?: EnforceRight }) {
  const win = useWindow();
  const q = useAnalysisQuery<Detail>(['application', id], `/api/v1/applications/${encodeURIComponent(id)}`, windowParams(win));
  return (
    <>
      <div className="filters-row">
        <WindowPicker value={win} />
      </div>
      <QueryState q={q} what="Loading the application">
        {(d) => <Body d={d} canEdit={canEdit} enforce={enforce} win={win} />}
      </QueryState>
    </>
  );
}

const appId = (name: string, env: string | null) => (env ? `${name}@${env}` : name);

function Body({ d, canEdit, enforce, win }: { d: Detail; canEdit: boolean; enforce: EnforceRight; win: WindowSpec }) {
  const a = d.application;
  const wp = new URLSearchParams(windowParams(win)).toString();
  const qc = useQueryClient();
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [rename, setRename] = useState(a.name);
  const [splitName, setSplitName] = useState('');
  const [into, setInto] = useState('');
  const ids = useId();

  const edit = useMutation({
    mutationFn: ({ op, body }: { op: 'confirm' | 'rename' | 'merge' | 'split'; body: Record<string, unknown> }) =>
      apiSend<{ workloads: number; labelsChanged: number; application: string; keptOwnLabel?: number }>('POST', `/api/v1/applications/${encodeURIComponent(a.id)}/${op}`, { ...windowParams(win), ...body }),
    onSuccess: async (r, v) => {
      const verb = { confirm: 'Confirmed', rename: 'Renamed', merge: 'Merged', split: 'Split off' }[v.op];
      setMessage({ ok: true, text: `${verb}: ${num(r.workloads)} workloads now belong to ${r.application} (${num(r.labelsChanged)} labels written${r.keptOwnLabel ? `; ${num(r.keptOwnLabel)} kept an app label of their own` : ''}). Discovery runs again with the new labels.` });
      setPicked(new Set());
      await refreshAfterChange(qc, ['applications'], ['map']);
      if (v.op === 'rename') router.replace(`/applications/${encodeURIComponent(appId(r.application, a.environment))}?${wp}`);
      else if (v.op === 'merge') router.replace(`/applications/${encodeURIComponent(String(v.body.into))}?${wp}`);
      else await refreshAfterChange(qc, ['application']);
    },
    onError: (e) => setMessage({ ok: false, text: (e as Error).message }),
  });

  const confirmed = a.source === 'label' || a.record?.confirmed;
  const hasRecord = !!a.record && a.kind === 'application';
  const states = useApplicationEnforcement(hasRecord ? a.record!.id : null);
  // this page's environment, or all of the application's when the page is the whole application
  const envStates = (states.data?.enforcement ?? []).filter((r) => !a.environment || r.environment === a.environment);
  const toggle = (id: string) => {
    const s = new Set(picked);
    if (s.has(id)) s.delete(id);
    else s.add(id);
    setPicked(s);
  };

  return (
    <>
      <div className="page-head">
        <div>
          <p className="actions">
            {a.source === 'label' ? (
              <span className="tag ok">every member carries its app label</span>
            ) : confirmed ? (
              <span className="tag ok">confirmed</span>
            ) : (
              <span className="tag inferred">inferred from traffic, confidence {pct(a.confidence, 0)}</span>
            )}
            <span className="tag">{count(a.members, 'workload')}</span>
            <span className="tag">owners: {a.owners.length ? a.owners.map((o) => o.name).join(', ') : 'none'}</span>
          </p>
        </div>
        <div className="actions">
          <Link className="btn btn-secondary" href={`/map?${wp}&app=${encodeURIComponent(a.id)}&sel=${encodeURIComponent(`app:${a.id}`)}&level=workload`}>
            Show on the map
          </Link>
          <Link className="btn btn-secondary" href={`/rules?unit=${encodeURIComponent(a.id)}`}>
            {a.review ? `Rules in both directions (${num(a.review.approved + a.review.toReview)}, ${num(a.review.toReview)} to review)` : `Rules (${num(Object.values(a.rules).reduce((s, n) => s + n, 0))}, ${num(a.rules.proposed ?? 0)} to review)`}
          </Link>
          <Link className="btn btn-secondary" href={`/flows?${wp}&endpoint=${encodeURIComponent(`app:${a.id}`)}`}>
            Flows
          </Link>
        </div>
      </div>

      <p role="status" aria-live="polite" className={message ? (message.ok ? 'notice' : 'state state-error') : 'visually-hidden'}>
        {message?.text}
      </p>

      {/* states belong to an application record (its app label): inferred groups have none yet */}
      {a.record && a.kind === 'application' && (
        <EnforcementPanel
          application={{ id: a.record.id, name: a.name }}
          // as the route decides: admins and architects for any application, owners for their own
          canChange={!!enforce && (enforce.every || (!!enforce.userId && a.owners.some((o) => o.id === enforce.userId)))}
        />
      )}

      {a.evidence.length > 0 && !confirmed && a.source !== 'label' && (
        <section className="card" aria-labelledby={`${ids}-why`}>
          <h2 id={`${ids}-why`}>Why discovery grouped these</h2>
          <ul>
            {a.evidence.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </section>
      )}

      {canEdit && a.kind === 'application' && (
        <details className="card" id="grouping" open={!confirmed}>
          <summary>
            <h2 id={`${ids}-edit`} style={{ display: 'inline' }}>
              Correct the grouping
            </h2>
          </summary>
          <div className="grid-2">
            <div>
              <h3>Confirm</h3>
              <p className="muted">Make this grouping a fact: the members get the app label {a.name}{a.environment ? ` and env ${a.environment}` : ''} as user labels, which discovery keeps and imports never overwrite.</p>
              <button type="button" className="btn btn-ok" disabled={edit.isPending || !!confirmed} onClick={() => edit.mutate({ op: 'confirm', body: {} })}>
                {confirmed ? 'Already confirmed' : `Confirm ${a.name}`}
              </button>
            </div>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                edit.mutate({ op: 'rename', body: { name: rename } });
              }}
            >
              <h3>Rename</h3>
              <label className="field">
                New name
                <input value={rename} onChange={(e) => setRename(e.target.value)} required pattern="[A-Za-z0-9]([A-Za-z0-9._\-]*[A-Za-z0-9])?" />
              </label>
              <button type="submit" className="btn" disabled={edit.isPending || rename === a.name}>
                Rename
              </button>
            </form>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (into && window.confirm(`Move all ${a.members} workloads of ${a.id} into ${into}?`)) edit.mutate({ op: 'merge', body: { into } });
              }}
            >
              <h3>Merge into another application</h3>
              <label className="field">
                Target
                <select value={into} onChange={(e) => setInto(e.target.value)} required>
                  <option value="">choose…</option>
                  {d.others.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.id}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="btn" disabled={edit.isPending || !into}>
                Merge
              </button>
            </form>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                edit.mutate({ op: 'split', body: { name: splitName, workloads: [...picked] } });
              }}
            >
              <h3>Split off workloads</h3>
              <p className="muted">{picked.size ? `${picked.size} chosen in the members table below.` : 'Choose workloads in the members table below.'}</p>
              <label className="field">
                Name of the new application
                <input value={splitName} onChange={(e) => setSplitName(e.target.value)} required pattern="[A-Za-z0-9]([A-Za-z0-9._\-]*[A-Za-z0-9])?" />
              </label>
              <button type="submit" className="btn" disabled={edit.isPending || picked.size === 0 || !splitName}>
                Split off {picked.size || ''}
              </button>
            </form>
          </div>
        </details>
      )}

      <section className="card" aria-labelledby={`${ids}-members`}>
        <h2 id={`${ids}-members`}>Members ({num(d.members.length)})</h2>
        <div className="table-wrap" tabIndex={0}>
          <table className="data">
            <thead>
              <tr>
                {canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">Choose</span>
                  </th>
                )}
                <th scope="col">Workload</th>
                <th scope="col">Role</th>
                <th scope="col">Addresses</th>
                <th scope="col">Labels</th>
                <th scope="col">Serves</th>
                <th scope="col" className="num">
                  Confidence
                </th>
              </tr>
            </thead>
            <tbody>
              {d.members.map((m) => (
                <tr key={m.id}>
                  {canEdit && (
                    <td>
                      <input type="checkbox" checked={picked.has(m.id)} onChange={() => toggle(m.id)} aria-label={`Choose ${m.name}`} />
                    </td>
                  )}
                  <th scope="row">
                    <Link href={`/workloads/${encodeURIComponent(m.id)}?${wp}`}>{m.name}</Link>
                  </th>
                  <td className="nowrap">
                    <span className="swatch dot" style={{ background: roleColor(m.role) }} aria-hidden="true" /> {m.role}{' '}
                    <span className="muted">{m.roleSource === 'label' ? '(label)' : `(${pct(m.roleConfidence, 0)})`}</span>
                  </td>
                  <td>{m.addresses.join(', ')}</td>
                  <td>
                    {m.labels.map((l) => (
                      <span key={l.key} className={`tag${l.source === 'inferred' && !l.confirmed ? ' inferred' : ''}`} title={`${l.source}${l.confirmed ? '' : ', not confirmed'}`}>
                        {l.key}={l.value}
                      </span>
                    ))}
                  </td>
                  <td>{m.serves.slice(0, 6).join(', ')}</td>
                  <td className="num">{pct(m.confidence, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="grid-2">
        <Neighbours title="Depends on" rows={d.dependsOn} win={win} self={a.id} outgoing />
        <Neighbours title="Used by" rows={d.usedBy} win={win} self={a.id} outgoing={false} />
      </div>
      {d.internal > 0 && <p className="muted">{count(d.internal, 'dependency', 'dependencies')} between its own workloads (see them on the map at workload level).</p>}
      {(!hasRecord || states.data) && (
        <NextStep step={applicationNext({ id: a.id, name: a.name, hasRecord, rules: a.review ? { proposed: a.review.toReview, approved: a.review.approved } : { proposed: a.rules.proposed ?? 0, approved: a.rules.approved ?? 0 }, enforcement: envStates })} />
      )}
    </>
  );
}

function Neighbours({ title, rows, win, self, outgoing }: { title: string; rows: NeighbourRow[]; win: WindowSpec; self: string; outgoing: boolean }) {
  const wp = new URLSearchParams(windowParams(win)).toString();
  const hrefOf = (n: NeighbourRow) => (n.kind === 'application' ? `/applications/${encodeURIComponent(n.id)}?${wp}` : n.kind === 'workload' ? `/workloads/${encodeURIComponent(n.id)}?${wp}` : null);
  const sideOf = (n: NeighbourRow) => (n.kind === 'application' ? `app:${n.id}` : n.kind === 'workload' ? `w:${n.id}` : `ep:${n.id}`);
  return (
    <section className="card" aria-label={title}>
      <h2>
        {title} ({num(rows.length)})
      </h2>
      {rows.length === 0 ? (
        <p className="muted">Nothing in this window.</p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="data compact">
            <thead>
              <tr>
                <th scope="col">{outgoing ? 'Server' : 'Client'}</th>
                <th scope="col">Ports</th>
                <th scope="col" className="num">
                  Flows
                </th>
                <th scope="col" className="num">
                  Bytes
                </th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="visually-hidden">Flows</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 50).map((n) => {
                const h = hrefOf(n);
                const flows = `/flows?${wp}&client=${encodeURIComponent(outgoing ? `app:${self}` : sideOf(n))}&server=${encodeURIComponent(outgoing ? sideOf(n) : `app:${self}`)}`;
                return (
                  <tr key={n.id}>
                    <td>{h ? <Link href={h}>{n.name}</Link> : n.name}</td>
                    <td>{n.ports.slice(0, 5).join(', ') + (n.ports.length > 5 ? '…' : '')}</td>
                    <td className="num">{compact(n.flows)}</td>
                    <td className="num">{bytes(n.bytes)}</td>
                    <td className="nowrap">{utc(n.lastSeen)}</td>
                    <td>
                      <Link href={flows} aria-label={`Flows with ${n.name}`}>
                        flows
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
