import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '../../_lib/ActionForm';
import { requirePage } from '../../_lib/auth';
import styles from '../../_lib/forms.module.css';
import { setOwners } from './actions';
import { TableHead } from '../../../components/ui/TableHead';
import { count } from '../../../lib/words';

export const metadata: Metadata = { title: 'Application owners · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function OwnersPage() {
  const a = await requirePage('apps:owners', '/admin/owners');
  const db = a.rt.db.prisma;
  const [apps, users] = await Promise.all([
    db.application.findMany({ orderBy: { name: 'asc' }, include: { owners: { include: { user: true } } } }),
    db.user.findMany({ where: { disabled: false }, orderBy: { email: 'asc' } }),
  ]);
  return (
    <main>
      <h1>Application owners</h1>
      <p className="muted">
        Owners review and approve the rules of their applications. People with the <strong>owner</strong> role may approve only there; admins and architects
        approve everywhere. Give someone the owner role on the <Link href="/admin/users">Users</Link> page (admins).
      </p>
      {apps.length === 0 ? (
        <section className="card" aria-labelledby="none-heading">
          <h2 id="none-heading">No applications yet</h2>
          <p>Applications appear once inventory is imported or discovery groups workloads; then assign their owners here.</p>
        </section>
      ) : (
        <section className="card" aria-labelledby="apps-heading">
          <h2 id="apps-heading">{count(apps.length, 'application')}</h2>
          <div className={styles.tableWrap}>
            <table>
              <TableHead columns={['Application', 'Owners']} />
              <tbody>
                {apps.map((app) => (
                  <tr key={app.id}>
                    <th scope="row">
                      {app.name}
                      {app.environment ? <span className="muted"> · {app.environment}</span> : null}
                    </th>
                    <td>
                      <ActionForm action={setOwners} csrf={a.csrf} submit="Save owners" inline label={`Owners of ${app.name}`}>
                        <input type="hidden" name="application" value={app.id} />
                        <select name="owners" multiple size={Math.min(6, Math.max(2, users.length))} defaultValue={app.owners.map((o) => o.userId)} aria-label={`Owners of ${app.name}`}>
                          {users.map((u) => (
                            <option key={u.id} value={u.id}>
                              {u.email} ({u.role})
                            </option>
                          ))}
                        </select>
                      </ActionForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </main>
  );
}
