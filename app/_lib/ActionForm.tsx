'use client';
// A form bound to a server action: carries the CSRF token, disables its button while the
// action runs, and announces the result (and a secret shown once) in a live region.
import { useActionState, useId, type ReactNode } from 'react';
import type { ActionState } from './auth';
import styles from './forms.module.css';

export function ActionForm(props: {
  action: (prev: ActionState | null, form: FormData) => Promise<ActionState>;
  csrf: string;
  submit: string;
  children?: ReactNode;
  /** lay the fields out in one row (table cells, short forms) */
  inline?: boolean;
  /** name of the form for assistive technology */
  label?: string;
  danger?: boolean;
}) {
  const [state, formAction, pending] = useActionState(props.action, null);
  const id = useId();
  return (
    <form action={formAction} className={props.inline ? styles.inline : styles.form} aria-label={props.label}>
      <input type="hidden" name="csrf" value={props.csrf} />
      {props.children}
      <button type="submit" disabled={pending} className={props.danger ? styles.danger : styles.button}>
        {pending ? 'Working…' : props.submit}
      </button>
      <p role="status" aria-live="polite" id={`${id}-status`} className={state ? (state.ok ? styles.ok : styles.error) : styles.empty}>
        {state?.message}
      </p>
      {state?.secret && (
        <div className={styles.secret}>
          <label htmlFor={`${id}-secret`}>Copy it now; it is not shown again:</label>
          <input id={`${id}-secret`} readOnly value={state.secret} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
    </form>
  );
}
