'use client';
// One workload: its labels (where each comes from, editable), its address history, what
// discovery says of it, and its dependencies.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshAfterChange } from '../api/refresh';
import Link from 'next/link';
import { useId, useState } from 'react';
import { apiSend } from '../api/client';
import type { NeighbourRow, WorkloadDetail as Detail } from '../data/apps';
import { bytes, compact, num, pct, utc } from '../format';
import { roleColor } from '../map/style';
import { QueryState } from '../ui/Query';
import { WindowPicker } from '../ui/WindowPicker';
import { useAnalysisQuery } from '../useAnalysisQuery';
import { useWindow } from '../url-state';
import { windowParams } from '../window';
import { numCol, TableHead } from '../ui/TableHead';

const SOURCE_TEXT: Record<string, string> = { inventory: 'from inventory', user: 'set by a person', inferred: 'suggested by discovery' };

export function WorkloadDetail({ id, canEdit }: { id: string; canEdit: boolean }) {
  const win = useWindow();
  const wp = windowParams(win);
  const q = useAnalysisQuery<Detail>(['workload', id], `/api/v1/workloads/${encodeURIComponent(id)}`, wp);
  const qs = new URLSearchParams(wp).toString();
  return (
    <>
      <div className="filters-row">
        <WindowPicker value={win} />
      </div>
      <QueryState q={q} what="Loading the workload">
        {(d) => (
          <>
            <div className="grid-2">
              <section className="card" aria-label="Discovery">
                <h2>What discovery says</h2>
                <dl className="facts">
                  <dt>Application</dt>
                  <dd>{d.workload.application ? <Link href={`/applications/${encodeURIComponent(d.workload.application)}?${qs}`}>{d.workload.application}</Link> : 'none (no traffic and no app label)'}</dd>
                  <dt>Role</dt>
                  <dd>
                    {d.workload.role ? (
                      <>
                        <span className="swatch dot" style={{ background: roleColor(d.workload.role) }} aria-hidden="true" /> {d.workload.role} ({d.workload.roleSource})
                      </>
                    ) : (
                      '—'
                    )}
                  </dd>
                  <dt>Environment</dt>
                  <dd>{d.workload.environment ?? '—'}</dd>
                  <dt>Confidence</dt>
                  <dd>{d.workload.confidence === null ? '—' : pct(d.workload.confidence, 0)}</dd>
                  <dt>Serves</dt>
                  <dd>{d.workload.serves.join(', ') || '—'}</dd>
                  {d.workload.coreService && (
                    <>
                      <dt>Shared service</dt>
                      <dd>{d.workload.coreService}</dd>
                    </>
                  )}
                  {d.workload.management && (
                    <>
                      <dt>Management</dt>
                      <dd>opens management sessions to many workloads (a jump host)</dd>
                    </>
                  )}
                  {d.workload.scanner && (
                    <>
                      <dt>Scanner</dt>
                      <dd>its traffic is excluded from the graph and from rules</dd>
                    </>
                  )}
                </dl>
                <p className="actions">
                  <Link className="btn btn-small" href={`/map?${qs}&sel=${encodeURIComponent(`w:${d.workload.id}`)}&open=${encodeURIComponent(d.workload.application ? `app:${d.workload.application}` : '')}`}>
                    Show on the map
                  </Link>
                  <Link className="btn btn-small" href={`/flows?${qs}&endpoint=${encodeURIComponent(d.workload.name)}`}>
                    Its flows
                  </Link>
                  <Link className="btn btn-small" href={`/blast-radius?workload=${encodeURIComponent(d.workload.id)}`}>
                    Blast radius
                  </Link>
                </p>
              </section>
              <section className="card" aria-label="Inventory">
                <h2>Inventory</h2>
                <dl className="facts">
                  <dt>Kind</dt>
                  <dd>{d.workload.kind}</dd>
                  <dt>Reported by</dt>
                  <dd>{d.workload.source}</dd>
                  {d.workload.externalId && (
                    <>
                      <dt>External id</dt>
                      <dd>{d.workload.externalId}</dd>
                    </>
                  )}
                  <dt>Addresses now</dt>
                  <dd>{d.workload.addresses.join(', ') || '—'}</dd>
                  <dt>First seen</dt>
                  <dd>{utc(d.workload.createdAt)}</dd>
                  <dt>Updated</dt>
                  <dd>{utc(d.workload.updatedAt)}</dd>
                  {d.workload.attributes !== null && typeof d.workload.attributes === 'object' && (
                    <>
                      <dt>Attributes</dt>
                      <dd>
                        {Object.entries(d.workload.attributes as Record<string, unknown>).map(([k, v]) => (
                          <span key={k} className="tag">
                            {k}: {typeof v === 'string' ? v : JSON.stringify(v)}
                          </span>
                        ))}
                      </dd>
                    </>
                  )}
                </dl>
              </section>
            </div>
            <Labels d={d} canEdit={canEdit} />
            <section className="card" aria-label="Address history">
              <h2>Address history ({num(d.history.length)})</h2>
              <p className="muted">Which addresses this workload held when. Flows are attributed by the address and the time, so an address that moved gives each holder its own dependencies.</p>
              <table className="data compact">
                <TableHead columns={['Address', 'From', 'Until', 'Source']} />
                <tbody>
                  {d.history.map((h, i) => (
                    <tr key={i}>
                      <td>{h.ip}</td>
                      <td>{utc(h.validFrom)}</td>
                      <td>{h.validTo ? utc(h.validTo) : <span className="tag ok">still held</span>}</td>
                      <td>{h.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <div className="grid-2">
              <Deps title="Depends on" rows={d.dependsOn} qs={qs} />
              <Deps title="Used by" rows={d.usedBy} qs={qs} />
            </div>
          </>
        )}
      </QueryState>
    </>
  );
}

function Labels({ d, canEdit }: { d: Detail; canEdit: boolean }) {
  const id = useId();
  const qc = useQueryClient();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const edit = useMutation({
    mutationFn: (body: { set?: Record<string, string>; remove?: string[] }) => apiSend<{ after: Record<string, string> }>('PATCH', `/api/v1/workloads/${encodeURIComponent(d.workload.id)}/labels`, body),
    onSuccess: async (_r, body) => {
      setMessage({ ok: true, text: body.remove ? `Removed ${body.remove.join(', ')}.` : `Set ${Object.entries(body.set ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}.` });
      setKey('');
      setValue('');
      await refreshAfterChange(qc);
    },
    onError: (e) => setMessage({ ok: false, text: (e as Error).message }),
  });
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Labels</h2>
      <p className="muted">Rules select workloads by these labels. Suggestions from discovery count until a person or the inventory says otherwise; a label set here is a fact.</p>
      <table className="data compact">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
            <th scope="col">Where it comes from</th>
            {canEdit && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {d.workload.labels.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No labels yet.
              </td>
            </tr>
          )}
          {d.workload.labels.map((l) => (
            <tr key={l.key}>
              <td>{l.key}</td>
              <td>{l.value}</td>
              <td>
                {SOURCE_TEXT[l.source] ?? l.source}
                {l.source === 'inferred' && !l.confirmed && <span className="tag inferred">not confirmed</span>}
              </td>
              {canEdit && (
                <td className="nowrap">
                  {l.source === 'inferred' && !l.confirmed && (
                    <button type="button" className="btn btn-small" disabled={edit.isPending} onClick={() => edit.mutate({ set: { [l.key]: l.value } })}>
                      Confirm
                    </button>
                  )}{' '}
                  <button type="button" className="btn btn-small btn-danger" disabled={edit.isPending} onClick={() => edit.mutate({ remove: [l.key] })} aria-label={`Remove label ${l.key}`}>
                    Remove
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit && (
        <form
          className="filters-row"
          onSubmit={(e) => {
            e.preventDefault();
            edit.mutate({ set: { [key.trim()]: value.trim() } });
          }}
        >
          <label>
            Key
            <input value={key} onChange={(e) => setKey(e.target.value)} required list={`${id}-keys`} placeholder="app, role, env, loc…" />
          </label>
          <datalist id={`${id}-keys`}>
            {['app', 'role', 'env', 'loc', 'owner', 'tier'].map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
          <label>
            Value
            <input value={value} onChange={(e) => setValue(e.target.value)} required />
          </label>
          <button type="submit" className="btn" disabled={edit.isPending}>
            Set label
          </button>
        </form>
      )}
      <p role="status" aria-live="polite" className={message ? (message.ok ? 'notice' : 'state state-error') : 'visually-hidden'}>
        {message?.text}
      </p>
    </section>
  );
}

function Deps({ title, rows, qs }: { title: string; rows: NeighbourRow[]; qs: string }) {
  return (
    <section className="card" aria-label={title}>
      <h2>
        {title} ({num(rows.length)})
      </h2>
      {rows.length === 0 ? (
        <p className="muted">Nothing in this window.</p>
      ) : (
        <table className="data compact">
          <TableHead columns={['Peer', 'Ports', numCol('Flows'), numCol('Bytes'), 'Rhythm']} />
          <tbody>
            {rows.slice(0, 50).map((n) => (
              <tr key={n.id}>
                <td>{n.kind === 'workload' ? <Link href={`/workloads/${encodeURIComponent(n.id)}?${qs}`}>{n.name}</Link> : n.name}</td>
                <td>{n.ports.join(', ')}</td>
                <td className="num">{compact(n.flows)}</td>
                <td className="num">{bytes(n.bytes)}</td>
                <td>{n.periodicity}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
