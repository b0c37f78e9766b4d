'use client';
import { useActionState } from 'react';
import styles from '../_lib/forms.module.css';
import { signIn } from './actions';

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signIn, null);
  return (
    <form action={action} className={styles.form} aria-label="Sign in with email and password">
      <input type="hidden" name="next" value={next} />
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required maxLength={256} />
      </label>
      <button type="submit" className={styles.button} disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      <p role="alert" className={state && !state.ok ? styles.error : styles.empty}>
        {state && !state.ok ? state.message : ''}
      </p>
    </form>
  );
}
