import type { Metadata } from 'next';
import Link from 'next/link';
import { ROLE_DESCRIPTIONS } from '../../lib/auth/permissions';
import { requestAuth, safeNext } from '../_lib/auth';
import styles from '../_lib/forms.module.css';
import { SignOutButton } from '../signout/SignOutButton';
import { SignInForm } from './SignInForm';

export const metadata: Metadata = { title: 'Sign in · Bulkhead' };
export const dynamic = 'force-dynamic';

const OIDC_ERRORS: Record<string, string> = {
  'oidc-failed': 'Single sign-on did not complete. Try again, or ask an admin to check the identity provider settings.',
  'oidc-no-account': 'Your single sign-on account has no Bulkhead user yet. Ask an admin to add you.',
  'oidc-disabled': 'Your Bulkhead account is disabled. Ask an admin.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = await searchParams;
  const next = safeNext(q.next);
  const a = await requestAuth();
  const oidc = a.rt.config.oidc;
  const error = typeof q.error === 'string' ? OIDC_ERRORS[q.error] : undefined;

  return (
    <main>
      <h1>Sign in to Bulkhead</h1>
      <p className="muted">Flow discovery and microsegmentation planning</p>
      {q.ended && <p className={styles.notice}>Your session ended. Sign in again to continue.</p>}
      {q.signedOut && <p className={styles.notice}>You signed out.</p>}
      {error && <p className={styles.alert}>{error}</p>}

      {a.principal ? (
        <section className="card" aria-labelledby="already-heading">
          <h2 id="already-heading">You are signed in</h2>
          <p>
            As <strong>{a.principal.name}</strong>, role {a.principal.role} ({ROLE_DESCRIPTIONS[a.principal.role]}).
          </p>
          <p>
            <Link href={next}>Continue</Link> · <Link href="/account">Your account</Link>
          </p>
          <SignOutButton csrf={a.csrf} />
        </section>
      ) : (
        <section className="card" aria-labelledby="signin-heading">
          <h2 id="signin-heading">Your account</h2>
          {oidc && (
            <p>
              <a className={styles.button} href={`/auth/oidc/start?next=${encodeURIComponent(next)}`}>
                Sign in with {oidc.name}
              </a>
            </p>
          )}
          {a.rt.config.auth.passwordSignIn ? <SignInForm next={next} /> : <p>Password sign-in is turned off here.</p>}
        </section>
      )}

      <section className="card" aria-labelledby="help-heading">
        <h2 id="help-heading">No account?</h2>
        <p>An admin creates accounts on the Users page, or from a terminal on the server:</p>
        <pre>
          <code>npx bulkhead users add you@example.com --role viewer</code>
        </pre>
        <p>
          First start: create the first admin with <code>npx bulkhead users add --admin you@example.com</code>; it prints a generated
          password once. There is no default password.
        </p>
      </section>
    </main>
  );
}
