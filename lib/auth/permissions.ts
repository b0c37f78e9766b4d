// What each role may do. Every route handler and server action names the permission it needs;
// the server checks it (the UI only hides what the server would refuse anyway).
// App owners get `rules:review` only for applications they own: handlers that act on one
// application pass its id as the scope (see app/api/_lib/route.ts).

export const ROLES = ['admin', 'architect', 'owner', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** dependency map, applications, workloads, discovery, simulation results, exporters */
  'map:read': ['admin', 'architect', 'owner', 'viewer'],
  /** raw flows explorer */
  'flows:read': ['admin', 'architect', 'owner', 'viewer'],
  /** import flows and inventory, load the demo, edit labels and applications */
  'inventory:write': ['admin', 'architect'],
  /** run discovery proposals, create rules */
  'rules:propose': ['admin', 'architect'],
  /** approve, reject, narrow rules (owners: only of their applications) */
  'rules:review': ['admin', 'architect', 'owner'],
  /** export policy files and baselines, create baselines */
  'policy:export': ['admin', 'architect'],
  /** assign application owners */
  'apps:owners': ['admin', 'architect'],
  /** read the audit log */
  'audit:read': ['admin', 'architect'],
  /** users, tokens of others, settings */
  'users:admin': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleAllows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
