// The header of every page: the product's places (only those the signed-in role may open), who
// is signed in, and the account and administration pages.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { roleAllows } from '../../lib/auth/permissions';
import type { Principal } from '../../lib/auth/principal';
import { ADMIN_NAV, PRIMARY_NAV } from './nav';
import { NavLinks } from './NavLinks';

const plain = (items: typeof PRIMARY_NAV) => items.map((i) => ({ href: i.href, label: i.label, match: i.match?.source }));

/** `signOut`: the app's sign-out control (a form posting to its server action, which lives in app/). */
export function Header({ principal, signOut }: { principal: Principal | null; signOut: ReactNode }) {
  const primary = principal ? PRIMARY_NAV.filter((i) => roleAllows(principal.role, i.permission)) : [];
  const admin = principal ? ADMIN_NAV.filter((i) => roleAllows(principal.role, i.permission)) : [];
  return (
    <header className="app-header">
      <div className="app-header-row">
        <Link href="/" className="brand" aria-label="Bulkhead, overview">
          <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24">
            <rect x="2" y="4" width="6" height="16" rx="1.5" fill="currentColor" opacity="0.55" />
            <rect x="9" y="4" width="6" height="16" rx="1.5" fill="currentColor" opacity="0.8" />
            <rect x="16" y="4" width="6" height="16" rx="1.5" fill="currentColor" />
          </svg>
          Bulkhead
        </Link>
        {principal && <NavLinks items={plain(primary)} label="Main" className="primary-nav" />}
        {principal && (
          <details className="user-menu">
            <summary>
              <span className="user-name">{principal.name}</span> <span className="role-badge">{principal.role}</span>
            </summary>
            <div className="user-menu-panel">
              <NavLinks items={plain(admin)} label="Account and administration" />
              {signOut}
            </div>
          </details>
        )}
      </div>
    </header>
  );
}
