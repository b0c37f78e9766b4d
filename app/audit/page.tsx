import type { Metadata } from 'next';
import Link from 'next/link';
import { AUDIT_ACTIONS, auditQuerySchema, queryAudit, type AuditRecord } from '../../lib/audit';
import { requirePage } from '../_lib/auth';
import styles from '../_lib/forms.module.css';
import { TableHead } from '../../components/ui/TableHead';

export const metadata: Metadata = { title: 'Audit log · Bulkhead' };
export const dynamic = 'force-dynamic';

const AREAS = [...new Set(Object.keys(AUDIT_ACTIONS).map((a) => `${a.split('.')[0]}.`))];
const FILTER_KEYS = ['from', 'to', 'action', 'actor', 'outcome', 'ip', 'targetType', 'targetId'] as const;

function target(e: AuditRecord) {
  return e.target ? `${e.target.type}${e.target.id ? ` ${e.target.id}` : ''}` : '—';
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const a = await requirePage('audit:read', '/audit');
  const given = Object.fromEntries(FILTER_KEYS.map((k) => [k, typeof raw[k] === 'string' ? raw[k] : '']));
  const parsed = auditQuerySchema.safeParse(given);
  const cursor = typeof raw.cursor === 'string' ? raw.cursor : null;
  let page: Awaited<ReturnType<typeof queryAudit>> | null = null;
  let problem: string | null = null;
  if (parsed.success) {
    try {
      page = await queryAudit(a.rt.db.prisma, parsed.data, { limit: 100, cursor });
    } catch (e) {
      problem = (e as Error).message;
    }
  } else problem = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  const filterQuery = new URLSearchParams(Object.entries(given).filter(([, v]) => v) as Array<[string, string]>);
  const exportHref = `/api/v1/audit/export${filterQuery.size ? `?${filterQuery}` : ''}`;

  return (
    <main>
      <h1>Audit log</h1>
      <p className="muted">
        Who did what, when and from where: sign-ins (and failed ones), rule and label changes, approvals, exports, user and token changes. Append-only: nobody can
        edit or delete an entry from Bulkhead, and the database refuses it too.
      </p>

      <section className="card" aria-labelledby="filter-heading">
        <h2 id="filter-heading">Filter</h2>
        <form method="get" action="/audit" className={styles.filters} aria-label="Filter the audit log">
          <label>
            From (UTC)
            <input name="from" type="date" defaultValue={given.from} />
          </label>
          <label>
            To (UTC, inclusive)
            <input name="to" type="date" defaultValue={given.to} />
          </label>
          <label>
            Action
            <select name="action" defaultValue={given.action}>
              <option value="">any</option>
              <optgroup label="Areas">
                {AREAS.map((p) => (
                  <option key={p} value={p}>
                    {p}*
                  </option>
                ))}
              </optgroup>
              <optgroup label="Actions">
                {Object.entries(AUDIT_ACTIONS).map(([k, v]) => (
                  <option key={k} value={k} title={v}>
                    {k}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <label>
            Who (email contains)
            <input name="actor" defaultValue={given.actor} />
          </label>
          <label>
            Outcome
            <select name="outcome" defaultValue={given.outcome}>
              <option value="">any</option>
              <option value="ok">ok</option>
              <option value="failed">failed</option>
              <option value="denied">denied</option>
            </select>
          </label>
          <label>
            From address
            <input name="ip" defaultValue={given.ip} size={16} />
          </label>
          <button type="submit" className={styles.button}>
            Show
          </button>
          <Link href="/audit">Clear</Link>
        </form>
        <p>
          <a href={exportHref} download="bulkhead-audit.jsonl">
            Export these events as JSON lines
          </a>{' '}
          <span className="muted">(for a SIEM; or from a terminal: <code>bulkhead audit export</code>)</span>
        </p>
      </section>

      {problem && (
        <p role="alert" className={styles.alert}>
          {problem}
        </p>
      )}

      {page && (
        <section className="card" aria-labelledby="events-heading">
          <h2 id="events-heading">{page.events.length === 0 ? 'No events' : `Events, newest first${page.next ? ' (first 100)' : ''}`}</h2>
          {page.events.length > 0 && (
            <div className={styles.tableWrap}>
              <table>
                <TableHead columns={['When (UTC)', 'Who', 'Action', 'Target', 'What', 'Outcome', 'From']} />
                <tbody>
                  {page.events.map((e) => (
                    <tr key={e.id}>
                      <td className={styles.nowrap}>{e.at.replace('T', ' ').slice(0, 19)}</td>
                      <td>
                        {e.actor.name}
                        <br />
                        <span className="muted">
                          {e.actor.type}
                          {e.actor.role ? `, ${e.actor.role}` : ''}
                        </span>
                      </td>
                      <td>
                        <code>{e.action}</code>
                      </td>
                      <td>{target(e)}</td>
                      <td>
                        {e.summary ?? ''}
                        {(e.before != null || e.after != null) && (
                          <details>
                            <summary>before / after</summary>
                            <pre>{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                          </details>
                        )}
                      </td>
                      <td className={e.outcome === 'ok' ? 'status-ok' : 'status-bad'}>{e.outcome}</td>
                      <td>
                        {e.ip ?? '—'}
                        <br />
                        <span className="muted">{e.via ?? ''}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {page.next && (
            <p>
              <Link href={`/audit?${new URLSearchParams([...filterQuery, ['cursor', page.next]])}`}>Older events →</Link>
            </p>
          )}
        </section>
      )}
    </main>
  );
}
