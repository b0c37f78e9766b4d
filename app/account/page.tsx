import type { Metadata } from 'next';
import { ROLE_DESCRIPTIONS, ROLE_ORDER, roleRank } from '../../lib/auth/permissions';
import { listSessions } from '../../lib/auth/sessions';
import { listApiTokens } from '../../lib/auth/tokens';
import { ActionForm } from '../_lib/ActionForm';
import { requirePage } from '../_lib/auth';
import { RoleSelect, TokenFields } from '../_lib/AccountFields';
import styles from '../_lib/forms.module.css';
import { SignOutButton } from '../signout/SignOutButton';
import { changePassword, createMyToken, endMySession, revokeMyToken } from './actions';
import { utc } from '../../components/format';

export const metadata: Metadata = { title: 'Your account · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function AccountPage() {
  const a = await requirePage('account:manage', '/account');
  const db = a.rt.db.prisma;
  const me = await db.user.findUniqueOrThrow({ where: { id: a.principal.userId! }, include: { ownedApps: { include: { application: true } } } });
  const [sessions, tokens] = await Promise.all([listSessions(db, me.id), listApiTokens(db, { userId: me.id })]);
  const roles = ROLE_ORDER.filter((r) => roleRank(r) <= roleRank(a.principal.role));

  return (
    <main>
      <h1>Your account</h1>
      <section className="card" aria-labelledby="me-heading">
        <h2 id="me-heading">{me.name}</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">Email</th>
              <td>{me.email}</td>
            </tr>
            <tr>
              <th scope="row">Role</th>
              <td>
                {me.role}: {ROLE_DESCRIPTIONS[a.principal.role]}
              </td>
            </tr>
            <tr>
              <th scope="row">Applications you own</th>
              <td>{me.ownedApps.length ? me.ownedApps.map((o) => o.application.name).join(', ') : 'none'}</td>
            </tr>
            <tr>
              <th scope="row">This session ends</th>
              <td>{utc(a.expiresAt)} at the latest, or after {a.rt.config.auth.idleMinutes} minutes idle</td>
            </tr>
          </tbody>
        </table>
        <SignOutButton csrf={a.csrf} />
      </section>

      {me.passwordHash !== null && (
        <section className="card" aria-labelledby="password-heading">
          <h2 id="password-heading">Change your password</h2>
          <p className="muted">At least 12 characters; a phrase of several words is easy to type and hard to guess. Your other sessions are signed out.</p>
          <ActionForm action={changePassword} csrf={a.csrf} submit="Change password" label="Change password">
            <input type="text" name="username" autoComplete="username" defaultValue={me.email} hidden readOnly />
            <label>
              Current password
              <input name="current" type="password" autoComplete="current-password" required />
            </label>
            <label>
              New password
              <input name="password" type="password" autoComplete="new-password" minLength={12} maxLength={256} required />
            </label>
            <label>
              New password again
              <input name="confirm" type="password" autoComplete="new-password" minLength={12} maxLength={256} required />
            </label>
          </ActionForm>
        </section>
      )}

      <section className="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are signed in</h2>
        <div className={styles.tableWrap}>
          <table>
            <thead>
              <tr>
                <th scope="col">Signed in</th>
                <th scope="col">Last seen</th>
                <th scope="col">From</th>
                <th scope="col">Browser</th>
                <th scope="col">
                  <span className="muted">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td className={styles.nowrap}>
                    {utc(s.createdAt)} ({s.method})
                  </td>
                  <td className={styles.nowrap}>{utc(s.lastSeenAt)}</td>
                  <td>{s.ip ?? 'unknown'}</td>
                  <td>{s.userAgent ?? '—'}</td>
                  <td>
                    {s.id === a.principal.sessionId ? (
                      'this browser'
                    ) : (
                      <ActionForm action={endMySession} csrf={a.csrf} submit="End session" inline danger label={`End session from ${s.ip ?? 'unknown'}`}>
                        <input type="hidden" name="session" value={s.id} />
                      </ActionForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">Your API tokens</h2>
        <p className="muted">
          For scripts and for the <code>bulkhead</code> command on another machine: <code>BULKHEAD_URL=… BULKHEAD_TOKEN=bh_… bulkhead doctor</code>. A token acts
          with its role, never above yours.
        </p>
        {tokens.length === 0 ? (
          <p>No tokens yet.</p>
        ) : (
          <div className={styles.tableWrap}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Starts with</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="muted">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td>{t.role}</td>
                    <td className={styles.nowrap}>{utc(t.createdAt)}</td>
                    <td className={styles.nowrap}>{utc(t.lastUsedAt)}</td>
                    <td className={styles.nowrap}>{t.state === 'expired' ? 'expired' : utc(t.expiresAt)}</td>
                    <td>
                      <ActionForm action={revokeMyToken} csrf={a.csrf} submit="Revoke" inline danger label={`Revoke token ${t.name}`}>
                        <input type="hidden" name="token" value={t.id} />
                      </ActionForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>New token</h3>
        <ActionForm action={createMyToken} csrf={a.csrf} submit="Create token" label="Create an API token">
          <TokenFields placeholder="nightly policy export" roleLabel="Role" role={<RoleSelect roles={roles} defaultValue={a.principal.role} />} />
        </ActionForm>
      </section>
    </main>
  );
}
