import type { Metadata } from 'next';
import Link from 'next/link';
import { listApiTokens } from '../../../lib/auth/tokens';
import { ActionForm } from '../../_lib/ActionForm';
import { requirePage } from '../../_lib/auth';
import { RoleSelect, TokenFields } from '../../_lib/AccountFields';
import styles from '../../_lib/forms.module.css';
import { createToken, revokeToken } from './actions';
import { utc } from '../../../components/format';

export const metadata: Metadata = { title: 'API tokens · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function TokensPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const q = await searchParams;
  const a = await requirePage('users:admin', '/admin/tokens');
  const db = a.rt.db.prisma;
  const all = q.all === '1';
  const [tokens, users] = await Promise.all([listApiTokens(db, { includeRevoked: all }), db.user.findMany({ where: { disabled: false }, orderBy: { email: 'asc' } })]);
  return (
    <main>
      <h1>API tokens</h1>
      <p className="muted">
        Tokens let scripts and remote <code>bulkhead</code> commands act as a user, with a role no higher than the user&apos;s. Only a hash is stored: a lost token
        is revoked and replaced, never shown again. People manage their own tokens on <Link href="/account">their account page</Link>.
      </p>
      <section className="card" aria-labelledby="list-heading">
        <h2 id="list-heading">{all ? 'All tokens' : 'Active tokens'}</h2>
        <p>{all ? <Link href="/admin/tokens">Show active only</Link> : <Link href="/admin/tokens?all=1">Show revoked too</Link>}</p>
        {tokens.length === 0 ? (
          <p>No tokens.</p>
        ) : (
          <div className={styles.tableWrap}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">Starts with</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="muted">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <th scope="row">{t.name}</th>
                    <td>{t.user}</td>
                    <td>{t.role}</td>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td className={styles.nowrap}>{utc(t.createdAt)}</td>
                    <td className={styles.nowrap}>{utc(t.lastUsedAt)}</td>
                    <td>{t.state === 'active' ? `active${t.expiresAt ? `, expires ${utc(t.expiresAt)}` : ''}` : t.state}</td>
                    <td>
                      {t.state !== 'revoked' && (
                        <ActionForm action={revokeToken} csrf={a.csrf} submit="Revoke" inline danger label={`Revoke token ${t.name} of ${t.user}`}>
                          <input type="hidden" name="token" value={t.id} />
                        </ActionForm>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="new-heading">
        <h2 id="new-heading">New token for a user</h2>
        <ActionForm action={createToken} csrf={a.csrf} submit="Create token" label="Create a token for a user">
          <label>
            User
            <select name="user" required>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.email} ({u.role})
                </option>
              ))}
            </select>
          </label>
          <TokenFields placeholder="CI policy export" roleLabel="Role (empty: the user's role)" role={<RoleSelect defaultValue="" emptyChoice="the user's role" />} />
        </ActionForm>
      </section>
    </main>
  );
}
