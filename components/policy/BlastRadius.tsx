'use client';
// Blast radius: how far a compromised workload reaches under the flat network, the proposed and
// the approved policy, in one hop and by lateral movement, overall, per application, and for one
// workload with the paths it could take.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { apiGet } from '../api/client';
import { Bars } from '../charts/Bars';
import type { BlastReport } from '../data/overlay';
import { num, pct } from '../format';
import { ErrorBox, Loading } from '../ui/States';
import { useUrlState } from '../url-state';
import { numCol, TableHead } from '../ui/TableHead';

const one = (n: number) => n.toFixed(n < 10 ? 1 : 0);

export function BlastRadius() {
  const url = useUrlState();
  const workload = url.get('workload') ?? '';
  const [draft, setDraft] = useState(workload);
  useEffect(() => setDraft(workload), [workload]);
  const q = useQuery({
    queryKey: ['blast-radius', workload || null],
    queryFn: ({ signal }) => apiGet<BlastReport>('/api/v1/blast-radius', { workload: workload || undefined }, signal),
    staleTime: 60_000,
  });
  return (
    <>
      <form
        className="filters-row"
        onSubmit={(e) => {
          e.preventDefault();
          url.set({ workload: draft.trim() });
        }}
      >
        <label>
          A workload (name or id)
          <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="orders-api-01" size={30} />
        </label>
        <button type="submit" className="btn">
          Show its reach
        </button>
        {workload && (
          <button type="button" className="btn btn-secondary" onClick={() => url.set({ workload: null })}>
            Whole estate
          </button>
        )}
      </form>
      {q.error ? (
        <ErrorBox error={q.error} />
      ) : !q.data ? (
        <Loading what="Computing reach under each policy" detail="Transitive closure over every workload, for the flat network, the proposed and the approved policy." />
      ) : (
        <Report r={q.data} />
      )}
    </>
  );
}

function Report({ r }: { r: BlastReport }) {
  const w = r.proposed.workload && r.approved.workload ? { proposed: r.proposed.workload, approved: r.approved.workload } : null;
  const apps = r.proposed.applications.map((p) => ({ p, a: r.approved.applications.find((x) => x.application === p.application) }));
  if (r.workloads === 0)
    return (
      <div className="state state-empty">
        <p>No workloads with an address yet. Import inventory or load the demo (<code>npx bulkhead demo</code>).</p>
      </div>
    );
  return (
    <>
      {w && (
        <section className="card" aria-labelledby="wl-h">
          <h2 id="wl-h">If {w.proposed.name} were compromised</h2>
          <div className="stats">
            <div className="stat">
              <span className="value">{num(r.workloads - 1)}</span>
              <span className="label">workloads it reaches on a flat network</span>
            </div>
            <div className="stat">
              <span className="value">
                {num(w.proposed.oneHop.length)} / {num(w.proposed.multiHop.length)}
              </span>
              <span className="label">under the proposed policy: directly / by lateral movement</span>
            </div>
            <div className="stat">
              <span className="value">
                {num(w.approved.oneHop.length)} / {num(w.approved.multiHop.length)}
              </span>
              <span className="label">under the approved policy: directly / by lateral movement</span>
            </div>
          </div>
          <p className="actions">
            <Link className="btn btn-small" href={`/map?overlay=blast&bw=${encodeURIComponent(w.proposed.id)}&sel=${encodeURIComponent(`w:${w.proposed.id}`)}`}>
              Show on the map
            </Link>
            <Link className="btn btn-small" href={`/workloads/${encodeURIComponent(w.proposed.id)}`}>
              Workload page
            </Link>
          </p>
          <div className="grid-2">
            {(['proposed', 'approved'] as const).map((k) => (
              <div key={k}>
                <h3>
                  Directly, under the {k} policy ({num(w[k].oneHop.length)})
                </h3>
                {w[k].oneHop.length === 0 ? (
                  <p className="muted">Nothing: no {k} rule lets it open a connection.</p>
                ) : (
                  <ul className="link-list">
                    {w[k].oneHop.slice(0, 40).map((x) => (
                      <li key={x.id}>
                        {x.name} <span className="muted">{x.ports.join(', ')}</span>
                      </li>
                    ))}
                    {w[k].oneHop.length > 40 && <li className="muted">and {w[k].oneHop.length - 40} more</li>}
                  </ul>
                )}
                {w[k].multiHop.length > w[k].oneHop.length && (
                  <>
                    <h3>Further, by moving from workload to workload ({num(w[k].multiHop.length - w[k].oneHop.length)} more)</h3>
                    <ul className="link-list">
                      {w[k].multiHop
                        .filter((x) => x.hops > 1)
                        .slice(0, 20)
                        .map((x) => (
                          <li key={x.id}>
                            {x.name} <span className="muted">in {x.hops} hops: {x.path.join(' → ')}</span>
                          </li>
                        ))}
                    </ul>
                  </>
                )}
              </div>
            ))}
          </div>
        </section>
      )}
      <section className="card" aria-labelledby="all-h">
        <h2 id="all-h">The whole estate ({num(r.workloads)} workloads)</h2>
        <div className="grid-2">
          <Bars
            label="Mean workloads a compromised workload reaches"
            data={[
              { name: 'flat network', oneHop: r.flat.oneHop, multiHop: r.flat.multiHop },
              { name: `proposed (${r.proposed.rules} rules)`, oneHop: r.proposed.oneHop.mean, multiHop: r.proposed.multiHop.mean },
              { name: `approved (${r.approved.rules} rules)`, oneHop: r.approved.oneHop.mean, multiHop: r.approved.multiHop.mean },
              { name: 'approved, as enforced now', oneHop: r.enforced.oneHop.mean, multiHop: r.enforced.multiHop.mean },
            ]}
            series={[
              { key: 'oneHop', label: 'one hop', color: '#e67e22' },
              { key: 'multiHop', label: 'lateral movement', color: '#8e44ad' },
            ]}
            format={one}
          />
          <div className="stats" style={{ alignContent: 'start' }}>
            <div className="stat">
              <span className="value status-ok">{pct(r.proposed.reduction.oneHop)}</span>
              <span className="label">one-hop reduction with the proposals (lateral: {pct(r.proposed.reduction.multiHop)})</span>
            </div>
            <div className="stat">
              <span className="value">{pct(r.approved.reduction.oneHop)}</span>
              <span className="label">one-hop reduction with the approved rules, were every application enforced (lateral: {pct(r.approved.reduction.multiHop)})</span>
            </div>
            <div className="stat" data-testid="blast-enforced">
              <span className={`value ${r.enforced.reduction.oneHop > 0 ? '' : 'status-warn'}`}>{pct(r.enforced.reduction.oneHop)}</span>
              <span className="label">
                one-hop reduction today: the approved rules where they are enforced ({num(r.enforced.applicationsEnforced)} application{r.enforced.applicationsEnforced === 1 ? '' : 's'}; the others drop nothing) (lateral:{' '}
                {pct(r.enforced.reduction.multiHop)}) · <Link href="/applications">enforcement</Link>
              </span>
            </div>
            <div className="stat">
              <span className="value">{one(r.proposed.oneHop.median)}</span>
              <span className="label">median one-hop reach under the proposals (max {num(r.proposed.oneHop.max)})</span>
            </div>
          </div>
        </div>
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="widest-h">
          <h2 id="widest-h">Who reaches the most (proposed)</h2>
          <p className="muted">Jump hosts and the collectors of monitoring and backup agents usually: guard them first.</p>
          <table className="data compact">
            <TableHead columns={['Workload', numCol('One hop'), numCol('Lateral')]} />
            <tbody>
              {r.proposed.widest.slice(0, 15).map((x) => (
                <tr key={x.id}>
                  <td>
                    <Link href={`/blast-radius?workload=${encodeURIComponent(x.id)}`}>{x.name}</Link>
                  </td>
                  <td className="num">{num(x.oneHop)}</td>
                  <td className="num">{num(x.multiHop)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="ext-h">
          <h2 id="ext-h">Outside sources (proposed)</h2>
          {r.proposed.external.length === 0 ? (
            <p className="muted">No rule lets anything outside the estate in.</p>
          ) : (
            <table className="data compact">
              <TableHead columns={['Source', numCol('Workloads it reaches')]} />
              <tbody>
                {r.proposed.external.map((x) => (
                  <tr key={x.source}>
                    <td>{x.source}</td>
                    <td className="num">{num(x.reach)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="apps-h">
        <h2 id="apps-h">Per application: mean one-hop reach of its workloads</h2>
        <div className="table-wrap" tabIndex={0}>
          <table className="data compact">
            <TableHead columns={['Application', numCol('Workloads'), numCol('Proposed'), 'Reduction (proposed)', numCol('Approved'), numCol('Reduction (approved)')]} />
            <tbody>
              {apps
                .sort((x, y) => x.p.reductionOneHop - y.p.reductionOneHop)
                .map(({ p, a }) => (
                  <tr key={p.application}>
                    <td>{p.application}</td>
                    <td className="num">{num(p.workloads)}</td>
                    <td className="num">{one(p.oneHop)}</td>
                    <td>
                      <span className="bar ok" style={{ width: `${Math.max(2, p.reductionOneHop * 120)}px` }} aria-hidden="true" /> {pct(p.reductionOneHop)}
                    </td>
                    <td className="num">{a ? one(a.oneHop) : '—'}</td>
                    <td className="num">{a ? pct(a.reductionOneHop) : '—'}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
