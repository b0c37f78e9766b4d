// Who is acting: a signed-in user (browser session), an API token, or the local operator (a CLI
// on this machine that can read BULKHEAD_HOME, and so could open the stores anyway).
import type { Role } from './permissions';

export type PrincipalType = 'user' | 'token' | 'local';

export interface Principal {
  type: PrincipalType;
  /** user id; "local" for the local operator */
  id: string;
  /** what people see in the audit log: the user's email, or "local operator" */
  name: string;
  /** the role this principal acts with (a token's role is never more than its user's) */
  role: Role;
  /** the account behind it; null for the local operator */
  userId: string | null;
  sessionId?: string;
  tokenId?: string;
  /** a token's name, shown beside the user in the audit log */
  tokenName?: string;
}

/** The caller who can read BULKHEAD_HOME (a CLI without a server, or one forwarded with the server's local secret). */
export function localOperator(detail?: string): Principal {
  return { type: 'local', id: 'local', name: detail ? `local operator (${detail})` : 'local operator', role: 'admin', userId: null };
}
