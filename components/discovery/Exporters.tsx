'use client';
// The flow exporters this server hears from, live: what each sends (datagrams, records, rate),
// what went wrong (decode errors, sequence gaps, records lost before or after us), and what the
// store received per source over the last hours.
import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { apiGet } from '../api/client';
import type { CollectorStatus, ExporterStatus } from '../../lib/flow/collector-status';
import { ago, bytes, compact, num, utc } from '../format';
import { ErrorBox, Loading } from '../ui/States';
import { numCol, TableHead } from '../ui/TableHead';

interface ExportersResponse {
  collecting: boolean;
  hint: string | null;
  startedAt: string | null;
  listeners: CollectorStatus['listeners'];
  exporters: ExporterStatus[];
  refused: Record<string, number>;
  stored: { hours: number; sources: Array<{ exporter: string; sourceKind: string; flows: number; bytes: number; firstSeen: string; lastSeen: string }> };
}

const POLL_MS = 3000;

export function Exporters() {
  const q = useQuery({ queryKey: ['exporters'], queryFn: ({ signal }) => apiGet<ExportersResponse>('/api/v1/exporters', { hours: 24 }, signal), refetchInterval: POLL_MS, staleTime: 0 });
  // records per second from the last two answers (the counters are totals since start)
  const prev = useRef<{ at: number; records: Map<string, number> } | null>(null);
  const rates = useRef<Map<string, number>>(new Map());
  if (q.data && q.dataUpdatedAt !== (prev.current?.at ?? 0)) {
    const now = q.dataUpdatedAt;
    const cur = new Map(q.data.exporters.map((e) => [`${e.exporter}|${e.version}`, e.records]));
    if (prev.current && now > prev.current.at) {
      const dt = (now - prev.current.at) / 1000;
      const next = new Map<string, number>();
      for (const [k, v] of cur) next.set(k, Math.max(0, (v - (prev.current.records.get(k) ?? v)) / dt));
      rates.current = next;
    }
    prev.current = { at: now, records: cur };
  }

  if (q.error) return <ErrorBox error={q.error} retry={() => void q.refetch()} />;
  if (!q.data) return <Loading what="Asking the collectors" />;
  const d = q.data;
  const port = (k: string) => d.listeners.find((l) => l.kind === k)?.port;
  return (
    <>
      <p className="muted" aria-live="polite">
        {d.collecting ? `Collectors running since ${utc(d.startedAt)}; this page refreshes every ${POLL_MS / 1000} s.` : d.hint}
      </p>
      {d.collecting && (
        <section className="card" aria-labelledby="lis-h">
          <h2 id="lis-h">Listeners</h2>
          <table className="data compact">
            <TableHead columns={['Protocol', 'Address', numCol('Datagrams'), numCol('Dropped by the kernel'), numCol('Waiting in the socket'), numCol('Receive buffer')]} />
            <tbody>
              {d.listeners.map((l) => (
                <tr key={`${l.kind}${l.port}`}>
                  <td>{l.kind}</td>
                  <td>
                    udp {l.address}:{l.port}
                  </td>
                  <td className="num">{num(l.datagrams)}</td>
                  <td className="num">{l.kernelDrops === null ? '—' : l.kernelDrops > 0 ? <span className="status-bad">{num(l.kernelDrops)}</span> : '0'}</td>
                  <td className="num">{l.receiveQueueBytes === null ? '—' : bytes(l.receiveQueueBytes)}</td>
                  <td className="num">{bytes(l.receiveBufferBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section className="card" aria-labelledby="exp-h">
        <h2 id="exp-h">Exporters ({num(d.exporters.length)})</h2>
        {d.exporters.length === 0 ? (
          <div className="state-empty state">
            <div>
              <p>
                <strong>No exporter has sent anything{d.startedAt ? ` since ${utc(d.startedAt)}` : ''}.</strong>
              </p>
              <p>
                Point routers, switches, hypervisors (vSphere vDS/NSX, Open vSwitch) or softflowd at this host: NetFlow v5/v9 to UDP <code>{port('netflow') ?? 2055}</code>, IPFIX to{' '}
                <code>{port('ipfix') ?? 4739}</code>, sFlow to <code>{port('sflow') ?? 6343}</code>. For example <code>softflowd -i eth0 -n THIS-HOST:{port('ipfix') ?? 4739} -v 10</code>.
                Exporters appear here within seconds of their first datagram.
              </p>
            </div>
          </div>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table className="data compact" aria-label="Exporters">
              <TableHead columns={['Exporter', 'Protocol', numCol('Datagrams'), numCol('Records'), numCol('Records/s'), numCol('Templates'), numCol('Decode errors'), numCol('Sequence gaps (lost)'), numCol('Dropped'), numCol('Quarantined'), 'Last heard']} />
              <tbody>
                {d.exporters.map((e) => {
                  const dropped = e.droppedRecords + e.noTemplateDrops;
                  return (
                    <tr key={`${e.exporter}|${e.version}`}>
                      <th scope="row">
                        {e.exporter}
                        {e.domains.length > 0 && <span className="muted"> · domains {e.domains.slice(0, 4).join(', ')}</span>}
                      </th>
                      <td>{e.version}</td>
                      <td className="num">{num(e.datagrams)}</td>
                      <td className="num">{num(e.records)}</td>
                      <td className="num">{compact(rates.current.get(`${e.exporter}|${e.version}`) ?? 0)}</td>
                      <td className="num">
                        {num(e.activeTemplates)}
                        {e.waitingForTemplate > 0 && <span className="status-warn"> ({num(e.waitingForTemplate)} waiting)</span>}
                        {e.templatesEvicted > 0 && <span className="status-warn" title="least recently used templates evicted to keep the collector's memory bounded"> ({num(e.templatesEvicted)} evicted)</span>}
                      </td>
                      <td className="num" title={e.lastError ?? undefined}>
                        {e.decodeErrors > 0 ? <span className="status-bad">{num(e.decodeErrors)}</span> : '0'}
                      </td>
                      <td className="num">{e.sequenceGaps > 0 ? <span className="status-warn">{`${num(e.sequenceGaps)} (${num(e.lost)} ${e.lostUnit})`}</span> : '0'}</td>
                      <td className="num" title="records the store could not take in time, and data without a template">
                        {dropped > 0 ? <span className="status-bad">{num(dropped)}</span> : '0'}
                      </td>
                      <td className="num" title="records dated far from this server's clock (a wrong clock on the exporter?): kept aside, not stored">
                        {e.quarantined > 0 ? <span className="status-warn">{num(e.quarantined)}</span> : '0'}
                      </td>
                      <td className="nowrap">{ago(e.lastSeen)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {d.exporters.some((e) => e.lastError) && (
          <>
            <h3>Last decode errors</h3>
            <ul>
              {d.exporters
                .filter((e) => e.lastError)
                .map((e) => (
                  <li key={e.exporter + e.version}>
                    {e.exporter} ({e.version}): {e.lastError}
                  </li>
                ))}
            </ul>
          </>
        )}
        {Object.keys(d.refused).length > 0 && (
          <p className="warning">
            Refused by the exporter allow-list (BULKHEAD_EXPORTER_ALLOW):{' '}
            {Object.entries(d.refused)
              .map(([a, n]) => `${a} (${num(n)} datagrams)`)
              .join(', ')}
          </p>
        )}
      </section>
      <section className="card" aria-labelledby="st-h">
        <h2 id="st-h">Stored in the last {d.stored.hours} hours</h2>
        {d.stored.sources.length === 0 ? (
          <p className="muted">No flows from network exporters stored in this time. Flow logs and the demo appear on the coverage page.</p>
        ) : (
          <table className="data compact">
            <TableHead columns={['Exporter', 'Source', numCol('Flows'), numCol('Bytes'), 'First', 'Last']} />
            <tbody>
              {d.stored.sources.map((s) => (
                <tr key={`${s.exporter}${s.sourceKind}`}>
                  <td>{s.exporter}</td>
                  <td>{s.sourceKind}</td>
                  <td className="num">{num(s.flows)}</td>
                  <td className="num">{bytes(s.bytes)}</td>
                  <td>{utc(s.firstSeen)}</td>
                  <td>{utc(s.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
