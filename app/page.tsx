import Link from 'next/link';
import { FlowSeriesChart } from '../components/charts/FlowSeriesChart';
import { num, utc } from '../components/format';
import { NextStepLinks } from '../components/journey/NextStep';
import { NoDataNextSteps } from '../components/ui/States';
import { roleAllows } from '../lib/auth/permissions';
import { DISCOVERY_DAYS } from '../lib/analysis/window';
import { homeCounts, homeSummary } from '../lib/read/home';
import { overviewNext } from '../lib/read/next-step';
import { enforcementStates } from '../lib/policy/enforcement';
import { count } from '../lib/words';
import { exporterPortsText } from '../lib/flow/collector-status';
import { clickhouseStatus, databaseStatus } from '../lib/status';
import { VERSION } from '../lib/version';
import { requirePage } from './_lib/auth';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const a = await requirePage('map:read', '/');
  const rt = a.rt;
  const [ch, st] = await Promise.all([clickhouseStatus(rt.store), databaseStatus(rt.db)]);
  const flows = ch.flows ?? 0;
  const { confirmedApplications: apps, rulesByStatus: byStatus, baselines, series } = await homeSummary(rt, { flowStoreUp: ch.ok });
  const estate = flows > 0 && ch.ok ? await homeCounts(rt) : null;
  const live = rt.collectors?.status();
  // the listeners that are open, not the configured ports: 0 is off, and --no-collect opens none
  const exportTo = exporterPortsText(live?.listeners ?? []);
  const role = a.principal.role;
  const enforced = st.ok ? (await enforcementStates(rt.db.prisma)).filter((e) => e.state === 'enforced').length : 0;
  const step = overviewNext({
    flows,
    proposed: byStatus.proposed ?? 0,
    approved: byStatus.approved ?? 0,
    enforced,
    baselines,
    canPropose: roleAllows(role, 'rules:propose'),
    canExport: roleAllows(role, 'policy:export'),
  });

  return (
    <main>
      <h1>Bulkhead</h1>
      <p className="muted">Flow discovery and microsegmentation planning · version {VERSION}</p>

      <section className="card" aria-labelledby="next-heading">
        <h2 id="next-heading">What next</h2>
        <p>{step.say}</p>
        <NextStepLinks step={step} />
        {!flows ? (
          <NoDataNextSteps exportTo={exportTo} />
        ) : (
          <p className="muted">
            More traffic: {exportTo ? `${exportTo} of this host` : 'the flow collectors are not listening in this server'}; cloud flow logs with{' '}
            <code>npx bulkhead import aws|gcp|azure PATH</code>.
          </p>
        )}
      </section>

      {flows > 0 && (
        <div className="stats" aria-label="The estate">
          <div className="stat">
            <Link href="/workloads">
              <span className="value">{estate ? num(estate.counts.workloads) : '—'}</span>
              <span className="label">workloads, last {DISCOVERY_DAYS} days</span>
            </Link>
          </div>
          <div className="stat">
            <Link href="/applications">
              <span className="value">{estate ? num(estate.counts.applications) : '—'}</span>
              <span className="label">applications, {num(apps)} confirmed</span>
            </Link>
          </div>
          <div className="stat">
            <Link href="/map">
              <span className="value">{estate ? num(estate.counts.dependencies) : '—'}</span>
              <span className="label">dependencies{estate ? '' : ' (discovery is running: reload in a moment)'}</span>
            </Link>
          </div>
          <div className="stat">
            <Link href="/rules">
              <span className="value">{num(byStatus.proposed ?? 0)}</span>
              <span className="label">rules to review</span>
            </Link>
          </div>
          <div className="stat">
            <Link href="/rules?status=approved">
              <span className="value">{num(byStatus.approved ?? 0)}</span>
              <span className="label">approved rules</span>
            </Link>
          </div>
          <div className="stat">
            <Link href="/baselines">
              <span className="value">{num(baselines)}</span>
              <span className="label">baselines</span>
            </Link>
          </div>
          <div className="stat">
            <Link href="/discovery/exporters">
              <span className="value">{live ? num(live.exporters.length) : '—'}</span>
              <span className="label">{live ? 'exporters heard since start' : 'collectors not running here'}</span>
            </Link>
          </div>
        </div>
      )}

      {series.length > 0 && (
        <section className="card" aria-labelledby="traffic-heading">
          <h2 id="traffic-heading">Flows stored per hour, last 7 days</h2>
          <FlowSeriesChart series={series} bucket="hour" label="Flows stored per hour" height={160} />
        </section>
      )}

      <section className="card" aria-labelledby="stores-heading">
        <h2 id="stores-heading">Stores</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">Flows (ClickHouse)</th>
              <td className={ch.ok ? 'status-ok' : 'status-bad'}>{ch.ok ? 'answering' : 'not answering'}</td>
              <td>
                {ch.mode === 'embedded' ? 'embedded chDB' : 'ClickHouse server'} {ch.version}
                {ch.ok ? ` · ${flows.toLocaleString('en-US')} raw flow records` : ` · ${ch.error}`}
              </td>
            </tr>
            <tr>
              <th scope="row">State ({st.provider === 'sqlite' ? 'SQLite' : 'PostgreSQL'})</th>
              <td className={st.ok ? 'status-ok' : 'status-bad'}>{st.ok ? 'answering' : 'not answering'}</td>
              <td>{st.ok ? `${st.version} · ${count(st.workloads ?? 0, 'workload')} in the inventory · ${count(st.rules ?? 0, 'rule')}` : st.error}</td>
            </tr>
            <tr>
              <th scope="row">Collectors</th>
              <td className={exportTo ? 'status-ok' : 'status-warn'}>{exportTo ? 'listening' : 'off'}</td>
              <td>
                {!live
                  ? 'not running in this server (started with --no-collect)'
                  : exportTo
                    ? `${live.listeners.map((l) => `${l.kind} udp/${l.port}`).join(', ')} · since ${utc(live.startedAt)}`
                    : 'every collector port is set to 0'}
              </td>
            </tr>
          </tbody>
        </table>
      </section>
    </main>
  );
}
