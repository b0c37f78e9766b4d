// A sign-out button for any server-rendered place (navigation, account page): a real form, so it
// works without JavaScript, with the CSRF token the action checks.
import styles from '../_lib/forms.module.css';
import { signOut } from './actions';

export function SignOutButton({ csrf, label = 'Sign out' }: { csrf: string; label?: string }) {
  return (
    <form action={signOut} className={styles.inline}>
      <input type="hidden" name="csrf" value={csrf} />
      <button type="submit" className={styles.button}>
        {label}
      </button>
    </form>
  );
}
