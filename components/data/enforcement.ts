// Enforcement states as the enforcement routes send them (lib/policy/enforcement.ts), and the
// states themselves from the database-free half (enforcement-states.ts), for the browser.
export type { EnforcementJson } from '../../lib/policy/enforcement';
export { ENFORCEMENT_STATES, type EnforcementState } from '../../lib/policy/enforcement-states';

/** What each state does, in the words the pages use. */
export const STATE_MEANING = {
  visibility: 'nothing is blocked',
  test: 'what the rules do not allow is logged and let through',
  enforced: 'what the rules do not allow is dropped',
} as const;

/** An environment as people read it ("" is the application's workloads without an env label). */
export const envName = (environment: string) => environment || 'no env label';
