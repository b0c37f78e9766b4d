'use client';
// What was imported (flow-log files, captures, inventory): status, counts and the first
// rejected lines with where they were, so people know whether their files arrived whole.
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client';
import { duration, num, utc } from '../format';
import { ErrorBox, Loading } from '../ui/States';
import { numCol, TableHead } from '../ui/TableHead';

interface ImportsResponse {
  totals: Array<{ kind: string; status: string; runs: number; records: number; rejected: number; duplicates: number }>;
  runs: Array<{ id: string; kind: string; path: string; status: string; startedAt: string; finishedAt: string | null; records: number; rejected: number; duplicates: number; errors: unknown; summary: unknown }>;
  hint: string | null;
}

export function Imports() {
  const q = useQuery({
    queryKey: ['imports'],
    queryFn: ({ signal }) => apiGet<ImportsResponse>('/api/v1/imports', { limit: 200 }, signal),
    // a running import changes its counters: ask again while one runs
    refetchInterval: (x) => (x.state.data?.runs.some((r) => r.status === 'running') ? 2000 : false),
  });
  if (q.error) return <ErrorBox error={q.error} retry={() => void q.refetch()} />;
  if (!q.data) return <Loading what="Loading the imports" />;
  const d = q.data;
  if (!d.runs.length) {
    return (
      <div className="state state-empty">
        <h2>Nothing imported yet</h2>
        <p>
          Import cloud flow logs with <code>npx bulkhead import aws|gcp|azure PATH…</code> (files, directories, .gz; <code>--watch DIR</code> picks up new files), captures with{' '}
          <code>npx bulkhead ingest FILE.pcap</code>, and inventory with <code>npx bulkhead import inventory FILE</code> or <a href="/workloads?import=1">the upload on the workloads page</a>.
        </p>
      </div>
    );
  }
  return (
    <>
      <div className="stats">
        {d.totals.map((t) => (
          <div className="stat" key={`${t.kind}${t.status}`}>
            <span className="value">{num(t.records)}</span>
            <span className="label">
              {t.kind} records in {num(t.runs)} {t.status} imports{t.rejected ? `, ${num(t.rejected)} rejected` : ''}
              {t.duplicates ? `, ${num(t.duplicates)} duplicates folded` : ''}
            </span>
          </div>
        ))}
      </div>
      <div className="table-wrap" tabIndex={0}>
        <table className="data compact" aria-label="Imports">
          <TableHead columns={['Started', 'Kind', 'File', 'Status', numCol('Records'), numCol('Rejected'), numCol('Duplicates'), 'Took', 'Problems']} />
          <tbody>
            {d.runs.map((r) => {
              const errors = Array.isArray(r.errors) ? (r.errors as Array<{ where?: string; line?: number; file?: string; reason?: string }>) : [];
              return (
                <tr key={r.id}>
                  <td className="nowrap">{utc(r.startedAt)}</td>
                  <td>{r.kind}</td>
                  <td style={{ overflowWrap: 'anywhere' }}>{r.path}</td>
                  <td>
                    <span className={`tag ${r.status === 'done' ? 'ok' : r.status === 'failed' ? 'bad' : 'warn'}`}>{r.status}</span>
                  </td>
                  <td className="num">{num(r.records)}</td>
                  <td className="num">{r.rejected ? <span className="status-warn">{num(r.rejected)}</span> : '0'}</td>
                  <td className="num">{num(r.duplicates)}</td>
                  <td className="nowrap">{r.finishedAt ? duration(new Date(r.finishedAt).getTime() - new Date(r.startedAt).getTime()) : '…'}</td>
                  <td>
                    {errors.length > 0 && (
                      <details>
                        <summary>{num(errors.length)} shown</summary>
                        <ul className="plain">
                          {errors.slice(0, 20).map((e, i) => (
                            <li key={i}>
                              {[e.file, e.line, e.where].filter((x) => x !== undefined && x !== null).join(':')} {e.reason}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
