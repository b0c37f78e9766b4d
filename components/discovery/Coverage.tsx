'use client';
// How complete the picture is: days and sources with data, gaps, what was excluded, and whether
// new dependencies still appear (convergence): the page that says when it is safe to move on to
// policy.
import Link from 'next/link';
import { ConvergenceChart } from '../charts/ConvergenceChart';
import type { CoverageReport } from '../data/discovery';
import { compact, count, num, pct, utc } from '../format';
import { QueryState } from '../ui/Query';
import { Empty, NoDataNextSteps } from '../ui/States';
import { WindowPicker } from '../ui/WindowPicker';
import { useAnalysisQuery } from '../useAnalysisQuery';
import { useWindow } from '../url-state';
import { windowParams } from '../window';
import { numCol, TableHead } from '../ui/TableHead';
import { SuggestedNetworks } from './SuggestedNetworks';

const SWEEPS: Record<string, string> = {
  'port-sweep': 'port sweep (many ports of many hosts, briefly)',
  'ping-sweep': 'ping sweep',
  'dark-sweep': 'sweep of unused addresses',
  unanswered: 'probes mostly unanswered',
  'many-ports': 'probes on a hundred ports or more',
};

/** Cell shade for a share of the day's hours with data. */
function shade(hours: number): string {
  if (hours === 0) return '#f6d4cf';
  if (hours < 12) return '#cfe3f5';
  if (hours < 24) return '#8dbbe6';
  return '#3f7fc0';
}

export function Coverage() {
  const win = useWindow();
  const q = useAnalysisQuery<CoverageReport>(['coverage'], '/api/v1/discovery/coverage', windowParams(win));
  return (
    <>
      <div className="filters-row">
        <WindowPicker value={win} />
      </div>
      <QueryState q={q} what="Measuring coverage">
        {(c) =>
          c.sources.length === 0 ? (
            <Empty title="No flows in this window">
              <NoDataNextSteps />
            </Empty>
          ) : (
            <>
              <div className="stats">
                <div className="stat">
                  <span className="value">
                    {num(c.daysWithData)} / {num(c.days.length)}
                  </span>
                  <span className="label">days with data (cycle: {c.cycleDays} days)</span>
                </div>
                <div className="stat">
                  <span className="value">{num(c.sources.length)}</span>
                  <span className="label">sources (exporters and flow-log feeds)</span>
                </div>
                <div className="stat">
                  <span className={`value ${c.converged ? 'status-ok' : 'status-warn'}`}>{c.converged ? 'converged' : 'not yet'}</span>
                  <span className="label">discovery convergence</span>
                </div>
                <div className="stat">
                  <span className="value">{num(c.totals.dependencies)}</span>
                  <span className="label">
                    {c.totals.dependencies === 1 ? 'dependency' : 'dependencies'} between {count(c.totals.workloads, 'workload')} in {count(c.totals.applications, 'application')}
                  </span>
                </div>
              </div>
              {c.notes.length > 0 && (
                <ul className={c.shorterThanCycle || !c.converged ? 'warning' : 'notice'} aria-label="Notes">
                  {c.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              )}
              <p>
                {c.converged ? (
                  <>
                    The last week added almost no new dependencies: the map is complete enough to propose rules. <Link href="/rules">Go to the rules</Link>.
                  </>
                ) : (
                  <>New dependencies still appear every day: wait for more data (monthly jobs and patch cycles need weeks) before approving rules.</>
                )}
              </p>

              <section className="card" aria-labelledby="conv-h">
                <h2 id="conv-h">Convergence: new dependencies per day</h2>
                <ConvergenceChart days={c.convergence} />
              </section>

              <section className="card" aria-labelledby="cov-h">
                <h2 id="cov-h">Coverage per source and day</h2>
                <p className="muted">Each cell is a UTC day: darker means more hours with flows; red means none. Hover or focus a cell for its numbers.</p>
                <div className="table-wrap" tabIndex={0}>
                  <table className="data compact coverage-grid">
                    <thead>
                      <tr>
                        <th scope="col">Source</th>
                        <th scope="col" className="num">
                          Flows
                        </th>
                        <th scope="col" className="num">
                          Silent hours
                        </th>
                        {c.days.map((d) => (
                          <th key={d} scope="col" className="day" title={d}>
                            <span aria-hidden="true">{d.slice(8)}</span>
                            <span className="visually-hidden">{d}</span>
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {c.sources.map((s) => (
                        <tr key={`${s.sourceKind}|${s.exporter}`}>
                          <th scope="row" className="nowrap">
                            {s.sourceKind} <span className="muted">{s.exporter}</span>
                          </th>
                          <td className="num">{compact(s.flows)}</td>
                          <td className="num">{s.missingHours ? <span className="status-warn">{num(s.missingHours)}</span> : '0'}</td>
                          {s.perDay.map((d) => (
                            <td key={d.day} className="cell" style={{ background: shade(d.hours) }} title={`${d.day}: ${num(d.flows)} flows in ${d.hours} hours`}>
                              <span className="visually-hidden">
                                {d.day}: {num(d.flows)} flows in {d.hours} hours
                              </span>
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {c.sources.some((s) => s.gaps.length) && (
                  <>
                    <h3>Gaps</h3>
                    <ul>
                      {c.sources.flatMap((s) =>
                        s.gaps.slice(0, 5).map((g) => (
                          <li key={`${s.exporter}${g.from}`}>
                            {s.sourceKind} {s.exporter}: silent {num(g.hours)} hours from {utc(g.from)}
                          </li>
                        )),
                      )}
                    </ul>
                  </>
                )}
              </section>

              <section className="card" aria-labelledby="ex-h">
                <h2 id="ex-h">Left out of the graph</h2>
                <p>
                  {num(c.excluded.ephemeralConversations)} one-off conversations on ephemeral ports ({compact(c.excluded.ephemeralFlows)} flows): orientation noise, not dependencies.
                </p>
                {c.excluded.scanners.length > 0 ? (
                  <table className="data compact" aria-label="Scanners">
                    <TableHead columns={['Scanner', 'Seen as', numCol('Hosts'), numCol('Ports'), numCol('Unanswered'), numCol('Probes')]} />
                    <tbody>
                      {c.excluded.scanners.map((s) => (
                        <tr key={s.name}>
                          <td>{s.name}</td>
                          <td>
                            {SWEEPS[s.reason] ?? s.reason}
                            {s.scope === 'probes' ? ' (a shared service: only its probes are set apart)' : ''}
                          </td>
                          <td className="num">{num(s.hosts)}</td>
                          <td className="num">{num(s.ports)}</td>
                          <td className="num">{pct(s.failedRatio, 0)}</td>
                          <td className="num">{num(s.targets)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <p className="muted">No scanners seen.</p>
                )}
                {c.excluded.scanners.length > 0 && (
                  <p className="muted">Nothing a scanner probes becomes a dependency, and no rule is proposed from a scanner: allowing one is a decision for a person (Rules, add a rule).</p>
                )}
              </section>

              <SuggestedNetworks networks={c.networks} />
            </>
          )
        }
      </QueryState>
    </>
  );
}
