// The fields the account and admin forms share: picking a role, and a new API token (name, role, expiry).
import type { ReactNode } from 'react';
import { ROLES, type Role } from '../../lib/auth/permissions';

/** A `role` select over `roles` (all of them by default), optionally led by an empty choice. */
export function RoleSelect({ roles = ROLES, defaultValue, label, emptyChoice }: { roles?: readonly Role[]; defaultValue: string; label?: string; emptyChoice?: string }) {
  return (
    <select name="role" defaultValue={defaultValue} aria-label={label}>
      {emptyChoice !== undefined && <option value="">{emptyChoice}</option>}
      {roles.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}

/**
 * The fields of a new API token (name, role, expiry), the same on a person's account page and
 * the admin's tokens page; `role` is the label and select of the form's role choice.
 */
export function TokenFields({ placeholder, roleLabel, role }: { placeholder: string; roleLabel: string; role: ReactNode }) {
  return (
    <>
      <label>
        Name (what it is for)
        <input name="name" required maxLength={100} placeholder={placeholder} />
      </label>
      <label>
        {roleLabel}
        {role}
      </label>
      <label>
        Expires after (days; empty = never)
        <input name="days" type="number" min={1} max={3650} defaultValue={90} />
      </label>
    </>
  );
}
