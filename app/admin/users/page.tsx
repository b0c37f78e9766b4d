import type { Metadata } from 'next';
import Link from 'next/link';
import { ROLE_DESCRIPTIONS, ROLES } from '../../../lib/auth/permissions';
import { listUsers } from '../../../lib/auth/users';
import { ActionForm } from '../../_lib/ActionForm';
import { requirePage } from '../../_lib/auth';
import { RoleSelect } from '../../_lib/AccountFields';
import styles from '../../_lib/forms.module.css';
import { addUser, changeUser, removeUser, resetPassword } from './actions';
import { utc } from '../../../components/format';

export const metadata: Metadata = { title: 'Users · Bulkhead' };
export const dynamic = 'force-dynamic';

const when = (iso: string | null) => (iso ? utc(iso) : 'never');

export default async function UsersPage() {
  const a = await requirePage('users:admin', '/admin/users');
  const users = await listUsers(a.rt.db.prisma);
  return (
    <main>
      <h1>Users</h1>
      <p className="muted">
        Who may use Bulkhead, with which role. Related: <Link href="/admin/tokens">API tokens</Link> · <Link href="/admin/owners">application owners</Link> ·{' '}
        <Link href="/audit?action=user.">user changes in the audit log</Link>
      </p>

      <section className="card" aria-labelledby="roles-heading">
        <h2 id="roles-heading">Roles</h2>
        <dl>
          {ROLES.map((r) => (
            <div key={r}>
              <dt>
                <strong>{r}</strong>
              </dt>
              <dd>{ROLE_DESCRIPTIONS[r]}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="card" aria-labelledby="users-heading">
        <h2 id="users-heading">{users.length} users</h2>
        <div className={styles.tableWrap}>
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Owns</th>
                <th scope="col">
                  <span className="muted">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    {u.email}
                    <br />
                    <span className="muted">
                      {u.name}
                      {u.sso ? ' · single sign-on' : ''}
                      {u.hasPassword ? '' : ' · no password'}
                    </span>
                  </th>
                  <td>
                    <ActionForm action={changeUser} csrf={a.csrf} submit="Change" inline label={`Role of ${u.email}`}>
                      <input type="hidden" name="user" value={u.id} />
                      <label>
                        <span className="muted">role</span>{' '}
                        <RoleSelect defaultValue={u.role} label={`Role of ${u.email}`} />
                      </label>
                    </ActionForm>
                  </td>
                  <td>
                    <span className={u.disabled ? 'status-bad' : 'status-ok'}>{u.disabled ? 'disabled' : 'active'}</span>
                    <br />
                    <span className="muted">
                      {u.sessions} session(s), {u.tokens} token(s)
                    </span>
                  </td>
                  <td className={styles.nowrap}>{when(u.lastLoginAt)}</td>
                  <td>{u.applications.map((x) => x.name).join(', ') || '—'}</td>
                  <td>
                    <ActionForm action={changeUser} csrf={a.csrf} submit={u.disabled ? 'Enable' : 'Disable'} inline danger={!u.disabled} label={`${u.disabled ? 'Enable' : 'Disable'} ${u.email}`}>
                      <input type="hidden" name="user" value={u.id} />
                      <input type="hidden" name="disabled" value={u.disabled ? 'false' : 'true'} />
                    </ActionForm>
                    {u.hasPassword && (
                      <ActionForm action={resetPassword} csrf={a.csrf} submit="Reset password" inline label={`Reset the password of ${u.email}`}>
                        <input type="hidden" name="user" value={u.id} />
                      </ActionForm>
                    )}
                    <details>
                      <summary>Delete…</summary>
                      <ActionForm action={removeUser} csrf={a.csrf} submit="Delete user" inline danger label={`Delete ${u.email}`}>
                        <input type="hidden" name="user" value={u.id} />
                        <label>
                          Type {u.email} to confirm <input name="confirm" autoComplete="off" />
                        </label>
                      </ActionForm>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="add-heading">
        <h2 id="add-heading">Add a user</h2>
        <p className="muted">Leave the password empty to generate one (shown once). People who sign in with single sign-on need no password.</p>
        <ActionForm action={addUser} csrf={a.csrf} submit="Add user" label="Add a user">
          <label>
            Email
            <input name="email" type="email" required autoComplete="off" />
          </label>
          <label>
            Name
            <input name="name" autoComplete="off" />
          </label>
          <label>
            Role
            <RoleSelect defaultValue="viewer" />
          </label>
          <label>
            Password (optional, at least 12 characters)
            <input name="password" type="password" autoComplete="new-password" minLength={12} maxLength={256} />
          </label>
        </ActionForm>
      </section>
    </main>
  );
}
