'use client';
// The applications discovery found: members per role, how sure it is, who owns them, what is
// confirmed, and how many rules wait for review.
import Link from 'next/link';
import { useMemo, useState } from 'react';
import type { ApplicationsList, AppRow } from '../data/apps';
import { count, num, pct } from '../format';
import { roleColor } from '../map/style';
import { QueryState } from '../ui/Query';
import { Empty, NoDataNextSteps } from '../ui/States';
import { WindowPicker } from '../ui/WindowPicker';
import { useAnalysisQuery } from '../useAnalysisQuery';
import { useUrlState, useWindow } from '../url-state';
import { windowParams } from '../window';

type SortKey = 'name' | 'members' | 'confidence' | 'dependsOn' | 'usedBy' | 'pending';
const KIND_LABEL: Record<AppRow['kind'], string> = { application: 'application', 'core-service': 'shared service', management: 'management', scanner: 'scanners' };

export function ApplicationsTable() {
  const url = useUrlState();
  const win = useWindow();
  const wp = windowParams(win);
  const q = useAnalysisQuery<ApplicationsList>(['applications'], '/api/v1/applications', wp);
  const [search, setSearch] = useState(url.get('q') ?? '');
  const env = url.get('env') ?? '';
  const kind = url.get('kind') ?? 'application';
  const status = url.get('status') ?? '';
  const sort = (url.get('sort') as SortKey | null) ?? 'name';
  const desc = url.get('dir') === 'desc';
  const qs = new URLSearchParams(wp).toString();

  return (
    <>
      <div className="filters-row">
        <WindowPicker value={win} />
        <label>
          Find
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} onBlur={() => url.set({ q: search })} placeholder="name" />
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => url.set({ kind: e.target.value })}>
            <option value="application">applications</option>
            <option value="core-service">shared services</option>
            <option value="management">management</option>
            <option value="all">everything</option>
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => url.set({ status: e.target.value })}>
            <option value="">any</option>
            <option value="unconfirmed">inferred, not confirmed</option>
            <option value="confirmed">confirmed or labelled</option>
            <option value="review">rules waiting for review</option>
            <option value="unowned">without an owner</option>
          </select>
        </label>
      </div>
      <QueryState q={q} what="Loading the applications">
        {(data) => {
          const envs = [...new Set(data.applications.map((a) => a.environment ?? ''))].sort();
          return (
            <AppsBody
              data={data}
              envs={envs}
              env={env}
              setEnv={(v) => url.set({ env: v })}
              filter={(a) =>
                (kind === 'all' || a.kind === kind) &&
                (!env || (a.environment ?? '') === env) &&
                (!search || a.id.toLowerCase().includes(search.toLowerCase())) &&
                (status === '' ||
                  (status === 'unconfirmed' && a.source === 'inferred' && !a.record?.confirmed) ||
                  (status === 'confirmed' && (a.source === 'label' || a.record?.confirmed)) ||
                  (status === 'review' && (a.review?.toReview ?? 0) > 0) ||
                  (status === 'unowned' && a.owners.length === 0))
              }
              sort={sort}
              desc={desc}
              setSort={(k) => url.set({ sort: k, dir: sort === k && !desc ? 'desc' : null })}
              qs={qs}
            />
          );
        }}
      </QueryState>
    </>
  );
}

function AppsBody(props: { data: ApplicationsList; envs: string[]; env: string; setEnv(v: string): void; filter(a: AppRow): boolean; sort: SortKey; desc: boolean; setSort(k: SortKey): void; qs: string }) {
  const { data, sort, desc } = props;
  const rows = useMemo(() => {
    const val = (a: AppRow): string | number =>
      sort === 'members' ? a.members : sort === 'confidence' ? a.confidence : sort === 'dependsOn' ? a.dependsOn : sort === 'usedBy' ? a.usedBy : sort === 'pending' ? (a.review?.toReview ?? 0) : a.id;
    return data.applications.filter(props.filter).sort((a, b) => {
      const x = val(a);
      const y = val(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return desc ? -c : c;
    });
  }, [data, props.filter, sort, desc]);
  if (data.applications.length === 0) {
    return (
      <Empty title="No applications in this window">
        <p>Applications are found from the flows between workloads. Give Bulkhead traffic and inventory:</p>
        <NoDataNextSteps />
      </Empty>
    );
  }
  const th = (k: SortKey, label: string, num = false) => (
    <th scope="col" className={num ? 'num' : undefined} aria-sort={sort === k ? (desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="btn-link" onClick={() => props.setSort(k)}>
        {label}
        {sort === k ? (desc ? ' ↓' : ' ↑') : ''}
      </button>
    </th>
  );
  const unconfirmed = data.applications.filter((a) => a.kind === 'application' && a.source === 'inferred' && !a.record?.confirmed).length;
  return (
    <>
      <p className="muted">
        {count(data.counts.applications, 'application')} and {count(data.counts.groups, 'shared-service, management or scanner group', 'shared-service, management and scanner groups')} over{' '}
        {count(data.counts.workloads, 'workload')} and {count(data.counts.dependencies, 'dependency')}; {num(rows.length)} shown.{' '}
        {unconfirmed > 0 && `${count(unconfirmed, 'application is', 'applications are')} inferred from traffic and wait for someone who knows them to confirm, rename, merge or split them.`}
      </p>
      <div className="segmented" role="group" aria-label="Environment">
        <button type="button" aria-pressed={props.env === ''} onClick={() => props.setEnv('')}>
          all environments
        </button>
        {props.envs.map((e) => (
          <button key={e || 'none'} type="button" aria-pressed={props.env === e} onClick={() => props.setEnv(e)}>
            {e || 'none'}
          </button>
        ))}
      </div>
      <div className="table-wrap" tabIndex={0}>
        <table className="data" aria-label="Applications">
          <thead>
            <tr>
              {th('name', 'Application')}
              <th scope="col">Environment</th>
              {th('members', 'Workloads', true)}
              <th scope="col">Roles</th>
              {th('confidence', 'Grouping')}
              <th scope="col">Owners</th>
              {th('dependsOn', 'Depends on', true)}
              {th('usedBy', 'Used by', true)}
              {th('pending', 'Rules to review', true)}
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <Link href={`/applications/${encodeURIComponent(a.id)}?${props.qs}`}>{a.name}</Link>
                  {a.kind !== 'application' && <span className="tag">{KIND_LABEL[a.kind]}</span>}
                </th>
                <td>{a.environment ?? '—'}</td>
                <td className="num">{num(a.members)}</td>
                <td>
                  {Object.entries(a.roles)
                    .sort((x, y) => y[1] - x[1])
                    .map(([r, n]) => (
                      <span key={r} className="tag">
                        <span className="swatch dot" style={{ background: roleColor(r) }} aria-hidden="true" />
                        {r} {n}
                      </span>
                    ))}
                </td>
                <td>
                  {a.source === 'label' ? (
                    <span className="tag ok">labelled</span>
                  ) : a.record?.confirmed ? (
                    <span className="tag ok">confirmed</span>
                  ) : (
                    <span className="tag inferred">inferred {pct(a.confidence, 0)}</span>
                  )}
                </td>
                <td>{a.owners.length ? a.owners.map((o) => o.name).join(', ') : <span className="muted">none</span>}</td>
                <td className="num">{num(a.dependsOn)}</td>
                <td className="num">{num(a.usedBy)}</td>
                <td className="num">{a.review?.toReview ? <Link href={`/rules?unit=${encodeURIComponent(a.id)}`}>{num(a.review.toReview)}</Link> : <span className="muted">0</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
