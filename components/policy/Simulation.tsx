'use client';
// Simulation: a policy (the approved rules, the proposals, a stored baseline or a file) against
// the traffic observed in a window: what it allows and what it would block, by flows and bytes,
// per application, the largest would-block dependencies with examples, rule coverage, and
// which rules nothing used. Monitor mode watches the approved policy: drift since approval,
// stale rules, expired exceptions.
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { apiGet, apiSend } from '../api/client';
import { Bars } from '../charts/Bars';
import { bytes, compact, duration, num, pct, portLabel, utc } from '../format';
import { count, endpointKindNote } from '../../lib/words';
import type { MonitorResult } from '../../lib/policy/monitor';
import type { EnforcementMode, SimulationResult } from '../../lib/policy/simulate';
import { NextStep } from '../journey/NextStep';
import { simulationNext } from '../../lib/read/next-step';
import { ErrorBox, Loading } from '../ui/States';
import { useUrlState } from '../url-state';
import { DISCOVERY_PRESET, isPreset, PRESETS, type Preset } from '../window';
import { numCol, TableHead } from '../ui/TableHead';


export function Simulation() {
  const url = useUrlState();
  const policy = url.get('policy') ?? 'proposed';
  const win = isPreset(url.get('window')) ? (url.get('window') as Preset) : DISCOVERY_PRESET;
  const days = PRESETS[win];
  const mode = url.get('mode') === 'monitor' ? 'monitor' : 'simulate';
  // as exported unless asked otherwise: only enforced applications block (docs/policy.md)
  const enforcement: EnforcementMode = url.get('enforcement') === 'all' ? 'all' : 'as-set';
  const baselines = useQuery({ queryKey: ['baselines'], queryFn: ({ signal }) => apiGet<{ baselines: Array<{ name: string; version: number; ruleCount: number }> }>('/api/v1/baselines', undefined, signal) });
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const q = useQuery({
    queryKey: ['simulation', policy, days, 20, enforcement],
    queryFn: ({ signal }) => apiGet<SimulationResult>('/api/v1/simulation', { policy, days: days, top: 20, enforcement }, signal),
    enabled: mode === 'simulate' && policy !== 'file',
    staleTime: 60_000,
  });
  const fileRun = useMutation({ mutationFn: () => apiSend<SimulationResult>('POST', '/api/v1/simulation', { document: file!.text, days: days, top: 20, enforcement }) });
  const monitor = useQuery({ queryKey: ['monitor'], queryFn: ({ signal }) => apiGet<MonitorResult>('/api/v1/simulation/monitor', { top: 20 }, signal), enabled: mode === 'monitor', staleTime: 60_000 });

  const data = policy === 'file' ? fileRun.data : q.data;
  const error = policy === 'file' ? fileRun.error : q.error;
  const running = policy === 'file' ? fileRun.isPending : q.isFetching && !q.data;

  return (
    <>
      <nav className="tabs" aria-label="Simulation">
        <Link href="/simulation" aria-current={mode === 'simulate' ? 'page' : undefined}>
          Simulate a policy
        </Link>
        <Link href="/simulation?mode=monitor" aria-current={mode === 'monitor' ? 'page' : undefined}>
          Monitor the approved policy
        </Link>
      </nav>
      {mode === 'monitor' ? (
        <Monitor q={monitor} />
      ) : (
        <>
          <form className="filters-row" aria-label="Simulation" onSubmit={(e) => e.preventDefault()}>
            <label>
              Policy
              <select value={policy} onChange={(e) => url.set({ policy: e.target.value })}>
                <option value="approved">approved rules</option>
                <option value="proposed">approved + proposed rules</option>
                {(baselines.data?.baselines ?? []).map((b) => (
                  <option key={`${b.name}@${b.version}`} value={`baseline:${b.name}@${b.version}`}>
                    baseline {b.name} v{b.version} ({b.ruleCount} rules)
                  </option>
                ))}
                <option value="file">a baseline file…</option>
              </select>
            </label>
            <fieldset>
              <legend>Observed traffic of the last</legend>
              <div className="segmented" role="group" aria-label="Window">
                {Object.keys(PRESETS).map((w) => (
                  <button key={w} type="button" aria-pressed={win === w} onClick={() => url.set({ window: w })}>
                    {w}
                  </button>
                ))}
              </div>
            </fieldset>
            <fieldset>
              <legend>Blocking where</legend>
              <div className="segmented" role="group" aria-label="Enforcement">
                <button type="button" aria-pressed={enforcement === 'as-set'} onClick={() => url.set({ enforcement: null })}>
                  enforced applications (as exported)
                </button>
                <button type="button" aria-pressed={enforcement === 'all'} onClick={() => url.set({ enforcement: 'all' })}>
                  every application
                </button>
              </div>
            </fieldset>
            {policy === 'file' && (
              <>
                <label>
                  Baseline file (YAML or JSON)
                  <input type="file" accept=".yaml,.yml,.json" onChange={async (e) => e.target.files?.[0] && setFile({ name: e.target.files[0].name, text: await e.target.files[0].text() })} />
                </label>
                <button type="button" className="btn" disabled={!file || fileRun.isPending} onClick={() => fileRun.mutate()}>
                  Simulate {file?.name ?? ''}
                </button>
              </>
            )}
            {policy !== 'file' && (
              <button type="button" className="btn btn-secondary" onClick={() => void q.refetch()} disabled={q.isFetching}>
                Run again
              </button>
            )}
          </form>
          {error ? (
            <ErrorBox error={error} />
          ) : running ? (
            <Loading what="Evaluating the policy against every observed connection" detail="In ClickHouse: each flow of the window is matched against the rules by the labels its workloads had then." />
          ) : data ? (
            <Result r={data} focus={url.get('app')} />
          ) : policy === 'file' ? (
            <p className="muted">Choose a baseline file to simulate it without storing it.</p>
          ) : null}
        </>
      )}
    </>
  );
}

/** `focus`: the application whose page opened the simulation (?app=), which the next step leads back to. */
function Result({ r, focus }: { r: SimulationResult; focus: string | null }) {
  const t = r.totals;
  const apps = [...r.applications].sort((a, b) => b.blockedFlows - a.blockedFlows);
  const hits = new Map(r.ruleHits.map((h) => [h.id, h]));
  const unused = r.ruleHits.filter((h) => h.flows === 0).length;
  return (
    <>
      <p className="muted" aria-live="polite">
        {r.policy.name}: {num(r.policy.rules)} rules against {utc(r.window.from)} – {utc(r.window.to)}, evaluated in {duration(r.timings.totalMs)}.{' '}
        {r.enforcement.mode === 'all'
          ? 'Every application enforced, whatever its state.'
          : `Enforced: ${r.enforcement.enforced.length ? r.enforcement.enforced.join(', ') : 'none, so nothing is blocked'}${r.enforcement.test.length ? `; in test (logged, let through): ${r.enforcement.test.join(', ')}` : ''}.`}
        {t.loggedFlows > 0 && ` ${num(t.loggedFlows)} of the allowed flows are only logged.`}
      </p>
      <div className="stats">
        <div className="stat">
          <span className="value status-ok">{pct(t.flows ? t.allowedFlows / t.flows : 0)}</span>
          <span className="label">
            of {num(t.flows)} flows allowed ({bytes(t.allowedBytes)})
          </span>
        </div>
        <div className="stat">
          <span className={`value ${t.blockedFlows ? 'status-bad' : 'status-ok'}`}>{num(t.blockedFlows)}</span>
          <span className="label">flows would be blocked ({bytes(t.blockedBytes)}); {num(t.blockedAnsweredFlows)} of them answered (real traffic that would break)</span>
        </div>
        <div className="stat">
          <span className="value">{pct(r.coverage.answered.ratio)}</span>
          <span className="label">
            rule coverage: {num(r.coverage.answered.covered)} of {num(r.coverage.answered.connections)} answered connections allowed
          </span>
        </div>
        <div className="stat">
          <span className="value">{num(r.blockedDependencies)}</span>
          <span className="label">would-block dependencies</span>
        </div>
        {r.scanners && r.scanners.flows > 0 && (
          <div className="stat" aria-label="Scanners set apart">
            <span className="value">{num(r.scanners.flows)}</span>
            <span className="label">
              flows from {count(r.scanners.sources, 'scanning source')} set apart (discovery found them sweeping): {num(r.scanners.blockedFlows)} would be blocked, which breaks nothing; not counted in the other figures
            </span>
          </div>
        )}
      </div>
      <div className="grid-2">
        <section className="card" aria-label="Allowed and would-block">
          <h2>Allowed and would-block</h2>
          <Bars
            label="Flows"
            stacked
            layout="vertical"
            height={140}
            data={[
              { name: 'flows', allowed: t.allowedFlows, answered: t.blockedAnsweredFlows, unanswered: t.blockedFlows - t.blockedAnsweredFlows },
            ]}
            series={[
              { key: 'allowed', label: 'allowed', color: '#2e8b57' },
              { key: 'answered', label: 'would block, answered', color: '#c0392b' },
              { key: 'unanswered', label: 'would block, refused or unanswered anyway', color: '#e6a39b' },
            ]}
          />
        </section>
        <section className="card" aria-label="Would-block per application">
          <h2>Would-block flows per application</h2>
          {apps.filter((a) => a.blockedFlows > 0).length === 0 ? (
            <p className="status-ok">No application would lose traffic.</p>
          ) : (
            <Bars
              label="Would-block flows per application"
              layout="vertical"
              height={Math.min(420, 40 + 24 * Math.min(12, apps.filter((a) => a.blockedFlows > 0).length))}
              data={apps
                .filter((a) => a.blockedFlows > 0)
                .slice(0, 12)
                .map((a) => ({ name: a.application, blocked: a.blockedFlows }))}
              series={[{ key: 'blocked', label: 'would-block flows', color: '#c0392b' }]}
            />
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="blocked-h">
        <h2 id="blocked-h">The largest would-block dependencies ({num(r.blocked.length)} of {num(r.blockedDependencies)})</h2>
        {r.blocked.length === 0 ? (
          <p className="status-ok">Nothing observed in the window would be blocked.</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table className="data compact" aria-label="Would-block dependencies">
              <TableHead columns={['Client', 'Server', 'Port', numCol('Flows'), numCol('Refused or unanswered'), 'Last seen', 'Examples']} />
              <tbody>
                {r.blocked.map((b, i) => (
                  <tr key={i}>
                    <td>
                      {b.from.name} <span className="muted">{endpointKindNote(b.from)}</span>
                    </td>
                    <td>
                      {b.to.name} <span className="muted">{endpointKindNote(b.to)}</span>
                    </td>
                    <td>{portLabel(b.protocol, b.port)}</td>
                    <td className="num">{compact(b.flows)}</td>
                    <td className="num">{b.failedFlows ? compact(b.failedFlows) : '0'}</td>
                    <td className="nowrap">{utc(b.lastSeen)}</td>
                    <td>
                      {b.examples
                        .slice(0, 2)
                        .map((x) => `${x.client} → ${x.server}`)
                        .join('; ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted">
          Blocked traffic that was answered is real and would break: add or widen a rule (<Link href="/rules">rules</Link>). Refused or unanswered attempts are often scans or misconfigurations.
        </p>
      </section>
      <section className="card" aria-labelledby="apps-h">
        <h2 id="apps-h">Per application</h2>
        <div className="table-wrap" tabIndex={0}>
          <table className="data compact">
            <TableHead columns={['Application', numCol('Flows'), numCol('Allowed'), numCol('Would block'), numCol('Would-block dependencies')]} />
            <tbody>
              {apps.slice(0, 100).map((a) => (
                <tr key={a.application}>
                  <td>{a.application}</td>
                  <td className="num">{compact(a.flows)}</td>
                  <td className="num">{pct(a.flows ? a.allowedFlows / a.flows : 0)}</td>
                  <td className="num">{a.blockedFlows ? <span className="status-bad">{compact(a.blockedFlows)}</span> : '0'}</td>
                  <td className="num">{num(a.blockedDependencies)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <p className="muted">
        {num(unused)} of {num(r.ruleHits.length)} rules allowed nothing in this window{unused ? ' (see monitor mode for rules without hits over a longer time)' : ''}.
        {hits.size === 0 && (r.enforcement.mode === 'all' ? ' This policy has no rules: everything would be blocked.' : ' This policy has no rules: everything to or from an enforced application would be blocked.')}
      </p>
      <NextStep step={simulationNext({ mode: r.enforcement.mode, enforced: r.enforcement.enforced, applications: r.applications, focus })} />
    </>
  );
}

function Monitor({ q }: { q: { data?: MonitorResult; error: unknown; refetch: () => unknown } }) {
  if (q.error) return <ErrorBox error={q.error} retry={() => void q.refetch()} />;
  if (!q.data) return <Loading what="Checking the approved policy against the traffic since approval" />;
  const m = q.data;
  if (m.approvedRules === 0)
    return (
      <div className="state state-empty">
        <p>
          No approved rules to monitor yet. <Link href="/rules">Review the proposals</Link>.
        </p>
      </div>
    );
  return (
    <>
      <div className="stats">
        <div className="stat">
          <span className={`value ${m.drift.blockedFlows ? 'status-bad' : 'status-ok'}`}>{num(m.drift.blockedFlows)}</span>
          <span className="label">
            flows since {utc(m.drift.since)} the approved policy would block (drift), in {num(m.drift.dependencies)} dependencies
          </span>
        </div>
        <div className="stat">
          <span className="value">{num(m.stale.rules.length)}</span>
          <span className="label">approved rules without a hit in {m.stale.days} days (stale)</span>
        </div>
        <div className="stat">
          <span className="value">{num(m.expired.total)}</span>
          <span className="label">exceptions past their expiry ({num(m.expired.now.length)} just now)</span>
        </div>
      </div>
      <section className="card" aria-label="Drift">
        <h2>New traffic the approved policy would block</h2>
        {m.drift.top.length === 0 ? (
          <p className="status-ok">None since approval.</p>
        ) : (
          <table className="data compact">
            <TableHead columns={['Client', 'Server', 'Port', numCol('Flows'), 'First seen']} />
            <tbody>
              {m.drift.top.map((b, i) => (
                <tr key={i}>
                  <td>{b.from.name}</td>
                  <td>{b.to.name}</td>
                  <td>{portLabel(b.protocol, b.port)}</td>
                  <td className="num">{compact(b.flows)}</td>
                  <td>{utc(b.firstSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-label="Stale rules">
        <h2>Stale rules</h2>
        {m.stale.rules.length === 0 ? (
          <p className="muted">Every approved rule allowed traffic recently.</p>
        ) : (
          <ul>
            {m.stale.rules.map((r) => (
              <li key={r.id}>
                <code>{r.rule}</code> — {r.intent} <span className="muted">(last hit {r.lastHit ? utc(r.lastHit) : 'never'})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
