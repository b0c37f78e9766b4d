'use client';
// Every workload of the inventory with what discovery says of it; filters and paging in the URL;
// the bulk import of inventory in Bulkhead's JSON format.
import Link from 'next/link';
import { useState } from 'react';
import type { WorkloadsList } from '../data/apps';
import { num, pct } from '../format';
import { roleColor } from '../map/style';
import { QueryState } from '../ui/Query';
import { Empty, NoDataNextSteps } from '../ui/States';
import { WindowPicker } from '../ui/WindowPicker';
import { useAnalysisQuery } from '../useAnalysisQuery';
import { useUrlState, useWindow } from '../url-state';
import { windowParams } from '../window';
import { InventoryImport } from './InventoryImport';
import { numCol, TableHead } from '../ui/TableHead';
import { count } from '../../lib/words';

const PAGE = 100;

export function WorkloadsTable({ canEdit }: { canEdit: boolean }) {
  const url = useUrlState();
  const win = useWindow();
  const wp = windowParams(win);
  const [search, setSearch] = useState(url.get('q') ?? '');
  const offset = Number(url.get('offset') ?? 0) || 0;
  const params = { ...wp, q: url.get('q') ?? undefined, app: url.get('app') ?? undefined, role: url.get('role') ?? undefined, env: url.get('env') ?? undefined, unconfirmed: url.get('unconfirmed') ?? undefined, offset, limit: PAGE };
  const q = useAnalysisQuery<WorkloadsList>(['workloads'], '/api/v1/workloads', params);
  const qs = new URLSearchParams(wp).toString();
  const importing = url.get('import') === '1';

  return (
    <>
      <div className="filters-row">
        <WindowPicker value={win} />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            url.set({ q: search, offset: null });
          }}
        >
          <label>
            Find (name, address, label)
            <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </label>
        </form>
        <label>
          Role
          <select value={url.get('role') ?? ''} onChange={(e) => url.set({ role: e.target.value, offset: null })}>
            <option value="">any</option>
            {['web', 'api', 'worker', 'queue', 'cache', 'db', 'client', 'core', 'management', 'unknown'].map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="check" style={{ alignSelf: 'center' }}>
          <input type="checkbox" checked={url.get('unconfirmed') === '1'} onChange={(e) => url.set({ unconfirmed: e.target.checked ? '1' : null, offset: null })} /> only with unconfirmed
          suggestions
        </label>
        {canEdit && (
          <button type="button" className="btn btn-secondary" aria-expanded={importing} onClick={() => url.set({ import: importing ? null : '1' })}>
            Import inventory
          </button>
        )}
      </div>
      {url.get('app') && (
        <p className="chips">
          <button type="button" className="chip" onClick={() => url.set({ app: null })}>
            application {url.get('app')} ×
          </button>
        </p>
      )}
      {importing && canEdit && <InventoryImport onDone={() => void q.refetch()} />}
      <QueryState q={q} what="Loading the workloads">
        {(d) =>
          d.total === 0 && !params.q && !params.role && !params.unconfirmed ? (
            <Empty title="No workloads yet">
              <p>Workloads come from inventory imports, and from flows for addresses no inventory names.</p>
              <NoDataNextSteps />
            </Empty>
          ) : (
            <>
              <p className="muted">
                {count(d.total, 'workload')}{d.total > PAGE && `, ${num(offset + 1)}–${num(Math.min(d.total, offset + PAGE))} shown`}.
              </p>
              <div className="table-wrap" tabIndex={0}>
                <table className="data" aria-label="Workloads">
                  <TableHead columns={['Workload', 'Application', 'Role', 'Addresses', 'Labels', 'Source', numCol('Dependencies')]} />
                  <tbody>
                    {d.workloads.map((w) => (
                      <tr key={w.id}>
                        <th scope="row">
                          <Link href={`/workloads/${encodeURIComponent(w.id)}?${qs}`}>{w.name}</Link>
                        </th>
                        <td>{w.application ? <Link href={`/applications/${encodeURIComponent(w.application)}?${qs}`}>{w.application}</Link> : <span className="muted">—</span>}</td>
                        <td className="nowrap">
                          {w.role ? (
                            <>
                              <span className="swatch dot" style={{ background: roleColor(w.role) }} aria-hidden="true" /> {w.role}
                              {w.roleSource === 'inferred' && <span className="muted"> (inferred)</span>}
                            </>
                          ) : (
                            <span className="muted">no traffic</span>
                          )}
                        </td>
                        <td>{w.addresses.slice(0, 3).join(', ') + (w.addresses.length > 3 ? ` +${w.addresses.length - 3}` : '')}</td>
                        <td>
                          {w.labels.map((l) => (
                            <span key={l.key} className={`tag${l.source === 'inferred' && !l.confirmed ? ' inferred' : ''}`} title={`${l.source}${l.confirmed ? '' : ', not confirmed'}`}>
                              {l.key}={l.value}
                            </span>
                          ))}
                        </td>
                        <td>{w.source}</td>
                        <td className="num">
                          {num(w.degree)}
                          {w.confidence !== null && w.confidence < 1 && <span className="muted"> · {pct(w.confidence, 0)}</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {d.total > PAGE && (
                <nav className="actions" aria-label="Pages">
                  <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => url.set({ offset: Math.max(0, offset - PAGE) || null })}>
                    Previous
                  </button>
                  <button type="button" className="btn btn-small" disabled={offset + PAGE >= d.total} onClick={() => url.set({ offset: offset + PAGE })}>
                    Next
                  </button>
                </nav>
              )}
            </>
          )
        }
      </QueryState>
    </>
  );
}
