import { getRuntime } from '../lib/runtime';
import { clickhouseStatus, databaseStatus } from '../lib/status';
import { VERSION } from '../lib/version';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const rt = await getRuntime();
  const [ch, db] = await Promise.all([clickhouseStatus(rt.store), databaseStatus(rt.db)]);
  const flows = ch.flows ?? 0;
  return (
    <main>
      <h1>Bulkhead</h1>
      <p className="muted">Flow discovery and microsegmentation planning · version {VERSION}</p>

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
              <th scope="row">State ({db.provider === 'sqlite' ? 'SQLite' : 'PostgreSQL'})</th>
              <td className={db.ok ? 'status-ok' : 'status-bad'}>{db.ok ? 'answering' : 'not answering'}</td>
              <td>{db.ok ? `${db.version} · ${db.workloads} workloads · ${db.rules} rules` : db.error}</td>
            </tr>
          </tbody>
        </table>
      </section>

      {flows === 0 && (
        <section className="card" aria-labelledby="next-heading">
          <h2 id="next-heading">What next</h2>
          <p>No flows yet. Give Bulkhead traffic to learn from:</p>
          <ul>
            <li>
              Point NetFlow v5/v9 exporters at UDP port <code>{rt.config.collect.netflowPort}</code>, IPFIX at{' '}
              <code>{rt.config.collect.ipfixPort}</code> and sFlow at <code>{rt.config.collect.sflowPort}</code> of this host.
            </li>
            <li>
              Or check the setup from a terminal: <code>npx bulkhead doctor</code>.
            </li>
          </ul>
        </section>
      )}
    </main>
  );
}
