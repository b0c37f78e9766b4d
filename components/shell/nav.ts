// The navigation: every product page and the account pages, with the permission each needs, so
// the header shows a person only the places the server would let them into.
import type { Permission } from '../../lib/auth/permissions';

export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
  /** other paths that count as this item (sub-pages) */
  match?: RegExp;
}

export const PRIMARY_NAV: NavItem[] = [
  { href: '/', label: 'Overview', permission: 'map:read', match: /^\/$/ },
  { href: '/map', label: 'Map', permission: 'map:read' },
  { href: '/applications', label: 'Applications', permission: 'map:read' },
  { href: '/workloads', label: 'Workloads', permission: 'map:read' },
  { href: '/discovery', label: 'Discovery', permission: 'map:read' },
  { href: '/flows', label: 'Flows', permission: 'flows:read' },
  { href: '/rules', label: 'Rules', permission: 'map:read' },
  { href: '/simulation', label: 'Simulation', permission: 'map:read' },
  { href: '/blast-radius', label: 'Blast radius', permission: 'map:read' },
  { href: '/baselines', label: 'Baselines & export', permission: 'map:read' },
];

/** Account and administration (the accounts pages), in the user menu. */
export const ADMIN_NAV: NavItem[] = [
  { href: '/admin/users', label: 'Users', permission: 'users:admin' },
  { href: '/admin/tokens', label: 'API tokens', permission: 'users:admin' },
  { href: '/admin/owners', label: 'Application owners', permission: 'apps:owners' },
  { href: '/audit', label: 'Audit log', permission: 'audit:read' },
  { href: '/account', label: 'Your account', permission: 'account:manage' },
];

export function isActive(item: NavItem, pathname: string): boolean {
  if (item.match) return item.match.test(pathname);
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}
