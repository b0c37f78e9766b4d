import type { Metadata } from 'next';
import { requestAuth } from '../_lib/auth';
import styles from '../_lib/forms.module.css';
import { SignOutButton } from './SignOutButton';

export const metadata: Metadata = { title: 'Sign out · Bulkhead' };
export const dynamic = 'force-dynamic';

export default async function SignOutPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const q = await searchParams;
  const a = await requestAuth();
  return (
    <main>
      <h1>Sign out</h1>
      {q.stale && <p className={styles.alert}>That sign-out form was out of date. Use the button below.</p>}
      <section className="card" aria-labelledby="signout-heading">
        <h2 id="signout-heading">{a.principal ? `Signed in as ${a.principal.name}` : 'You are not signed in'}</h2>
        <p>Signing out ends this browser&apos;s session on the server at once. Your API tokens keep working until you revoke them.</p>
        {a.principal && <SignOutButton csrf={a.csrf} />}
      </section>
    </main>
  );
}
