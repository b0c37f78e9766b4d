'use client';
// The flows explorer: raw flow records of a window filtered by who talks to whom on which port,
// with the workloads that held the addresses at the time and the traffic over time. Every
// filter is in the URL, so a link from the map or an application page opens the same view.
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useId, useState } from 'react';
import { apiGet } from '../api/client';
import { FlowSeriesChart } from '../charts/FlowSeriesChart';
import type { FlowsPage } from '../data/flows';
import { addressPort, bytes, duration, flowPortLabel, num, protocolNumber } from '../format';
import { ErrorBox, Loading } from '../ui/States';
import { WindowPicker } from '../ui/WindowPicker';
import { useUrlState, useWindow } from '../url-state';
import { FLOW_RECORDS_PRESET, windowLabel, windowParams } from '../window';
import { numCol, TableHead } from '../ui/TableHead';

const FIELDS = [
  ['client', 'Client', 'workload, app:<application>, address or CIDR'],
  ['server', 'Server', 'workload, app:<application>, address or CIDR'],
  ['endpoint', 'Either side', 'workload, address or CIDR'],
  ['port', 'Server port', '443, tcp/5432, 8000-8100'],
  ['protocol', 'Protocol', 'tcp, udp, icmp'],
] as const;

function tcpFlags(f: number): string {
  const names = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'];
  return names.filter((_, i) => f & (1 << i)).join(' ');
}

export function FlowsExplorer() {
  const url = useUrlState();
  const win = useWindow(FLOW_RECORDS_PRESET);
  const id = useId();
  const values = Object.fromEntries(FIELDS.map(([k]) => [k, url.get(k) ?? ''])) as Record<(typeof FIELDS)[number][0], string>;
  const [draft, setDraft] = useState(values);
  const key = JSON.stringify(values);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setDraft(values), [key]);
  const [metric, setMetric] = useState<'flows' | 'bytes'>('flows');
  const params = { ...windowParams(win), ...values };

  const q = useInfiniteQuery({
    queryKey: ['flows', params],
    queryFn: ({ pageParam, signal }) => apiGet<FlowsPage>('/api/v1/flows', { ...params, before: pageParam, limit: 200 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.rows.length === 200 ? last.rows[last.rows.length - 1]!.start : undefined),
  });
  const first = q.data?.pages[0];
  const rows = q.data?.pages.flatMap((p) => p.rows) ?? [];
  const active = FIELDS.filter(([k]) => values[k]);

  return (
    <>
      <form
        className="filters-row"
        aria-label="Filter flows"
        onSubmit={(e) => {
          e.preventDefault();
          url.set(draft);
        }}
      >
        <WindowPicker value={win} />
        {FIELDS.map(([k, label, hint]) => (
          <label key={k}>
            {label}
            <input id={`${id}-${k}`} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} placeholder={hint} size={k === 'protocol' ? 6 : k === 'port' ? 12 : 22} />
          </label>
        ))}
        <button type="submit" className="btn">
          Show flows
        </button>
        {active.length > 0 && (
          <button type="button" className="btn btn-secondary" onClick={() => url.set(Object.fromEntries(FIELDS.map(([k]) => [k, null])))}>
            Clear
          </button>
        )}
      </form>
      {q.error ? (
        <ErrorBox error={q.error} retry={() => void q.refetch()} />
      ) : !first ? (
        <Loading what="Reading flow records" detail="Raw flows of the window, joined with the workloads that held each address at the time." />
      ) : (
        <>
          <section className="card" aria-labelledby={`${id}-chart`}>
            <div className="page-head">
              <h2 id={`${id}-chart`}>
                {num(first.total)} flow records{active.length ? ' matching' : ''}, {windowLabel(win)}
              </h2>
              <div className="segmented" role="group" aria-label="Chart metric">
                <button type="button" aria-pressed={metric === 'flows'} onClick={() => setMetric('flows')}>
                  flows
                </button>
                <button type="button" aria-pressed={metric === 'bytes'} onClick={() => setMetric('bytes')}>
                  bytes
                </button>
              </div>
            </div>
            <FlowSeriesChart series={first.series} bucket={first.bucket} label={`Flows per ${first.bucket}`} metric={metric} height={200} />
            <p className="muted">
              Per {first.bucket}, UTC · read in {duration(first.tookMs)}
            </p>
          </section>
          {rows.length === 0 ? (
            <div className="state state-empty">
              <p>
                <strong>No flow records match.</strong> Widen the window, or check the names: a workload must be named as in the inventory, an application as on the map (
                <code>app:orders@prod</code>). Raw records are kept for the flow retention (the map reads hourly rollups, kept longer).
              </p>
            </div>
          ) : (
            <div className="table-wrap" tabIndex={0}>
              <table className="data compact" aria-label="Flow records">
                <TableHead columns={['Start (UTC)', 'Duration', 'Client', 'Server', 'Port', numCol('Bytes →'), numCol('Bytes ←'), numCol('Packets'), 'TCP flags', 'Source']} />
                <tbody>
                  {rows.map((f, i) => (
                    <tr key={`${f.start}${i}`}>
                      <td className="nowrap">{f.start.replace('T', ' ').slice(0, 23)}</td>
                      <td className="nowrap">{duration(new Date(f.end).getTime() - new Date(f.start).getTime())}</td>
                      <td>
                        {addressPort(f.client, protocolNumber(f.protocol) ?? 0, f.clientPort)}
                        {f.clientWorkload && (
                          <>
                            {' '}
                            <Link href={`/workloads/${encodeURIComponent(f.clientWorkload)}`} className="muted">
                              {f.clientWorkload}
                            </Link>
                          </>
                        )}
                      </td>
                      <td>
                        {addressPort(f.server, protocolNumber(f.protocol) ?? 0, f.serverPort)}
                        {f.serverWorkload && (
                          <>
                            {' '}
                            <Link href={`/workloads/${encodeURIComponent(f.serverWorkload)}`} className="muted">
                              {f.serverWorkload}
                            </Link>
                          </>
                        )}
                      </td>
                      <td className="nowrap">{flowPortLabel(protocolNumber(f.protocol) ?? 0, f.serverPort)}</td>
                      <td className="num">{bytes(f.bytesToServer)}</td>
                      <td className="num">{bytes(f.bytesToClient)}</td>
                      <td className="num">{num(f.packets)}</td>
                      <td className="nowrap">{f.protocol === 'tcp' ? tcpFlags(f.tcpFlags) : ''}</td>
                      <td className="nowrap" title={`oriented by ${f.orientation}${f.samplingRate > 1 ? `, sampled 1:${f.samplingRate}` : ''}${f.action !== 'unknown' ? `, ${f.action}` : ''}`}>
                        {f.sourceKind} {f.exporter}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {q.hasNextPage && (
            <p>
              <button type="button" className="btn btn-secondary" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
                {q.isFetchingNextPage ? 'Loading…' : 'Older records'}
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
