// What each role may do. Every route handler, server action and forwarded CLI command names the
// permission it needs; the server checks it (the UI only hides what the server would refuse).
// App owners hold `rules:review` only for the applications they own: routes that act on one
// application name it (app/api/_lib/route.ts, option `application`), and the check happens
// before the handler runs.

export const ROLES = ['admin', 'architect', 'owner', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'everything, including users, API tokens of others and settings',
  architect: 'everything but user administration: inventory, rules, approvals, exports, application owners, audit log',
  owner: 'sees the map; reviews and approves rules of the applications they own, and sets their enforcement state',
  viewer: 'read-only: the map, applications and flows',
};

export const PERMISSIONS = {
  /** dependency map, applications, workloads, discovery, simulation results, exporters */
  'map:read': ['admin', 'architect', 'owner', 'viewer'],
  /** raw flows explorer */
  'flows:read': ['admin', 'architect', 'owner', 'viewer'],
  /** one's own account: password, sessions, own API tokens (never above one's role) */
  'account:manage': ['admin', 'architect', 'owner', 'viewer'],
  /** import flows and inventory, load the demo, edit labels and applications */
  'inventory:write': ['admin', 'architect'],
  /** run discovery proposals, create rules */
  'rules:propose': ['admin', 'architect'],
  /** approve, reject, narrow rules (owners: only of their applications) */
  'rules:review': ['admin', 'architect', 'owner'],
  /** approve rules widened past their evidence (security reviewers: lib/policy/duties.ts) */
  'rules:approve-wide': ['admin', 'architect'],
  /**
   * set an application's enforcement state per environment (owners: only of their applications).
   * Apart from rules:review because turning blocking on is a decision of its own, which a site may
   * want to keep from owners while they still review rules.
   */
  'policy:enforce': ['admin', 'architect', 'owner'],
  /** export policy files and baselines, create baselines */
  'policy:export': ['admin', 'architect'],
  /** assign application owners */
  'apps:owners': ['admin', 'architect'],
  /** read and export the audit log */
  'audit:read': ['admin', 'architect'],
  /** users, tokens of others, settings */
  'users:admin': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/** Permissions that app owners hold only for the applications they own. */
export const OWNER_SCOPED: readonly Permission[] = ['rules:review', 'policy:enforce'];

export function roleAllows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** How far a role holds a permission: everywhere, only for owned applications, or not at all. */
export function scopeOf(role: Role, permission: Permission): 'all' | 'owned' | null {
  if (!roleAllows(role, permission)) return null;
  return role === 'owner' && OWNER_SCOPED.includes(permission) ? 'owned' : 'all';
}

/** Roles from least to most: each holds every permission of the ones before it (tested). */
export const ROLE_ORDER: readonly Role[] = [...ROLES].reverse();
export const roleRank = (r: Role) => ROLE_ORDER.indexOf(r);
/** The lesser of two roles (a token never acts above its user). */
export const lesserRole = (a: Role, b: Role): Role => (roleRank(a) <= roleRank(b) ? a : b);
export const isRole = (s: unknown): s is Role => typeof s === 'string' && (ROLES as readonly string[]).includes(s);
