// The enforcement states by themselves, apart from their storage (./enforcement.ts), so that the
// exporters and the baseline format use them without reaching the database.
//   visibility  nothing is blocked (the default: approving rules never shuts anything by itself)
//   test        the rules are in place, what they would block is logged and let through
//   enforced    what the rules do not allow is dropped
export const ENFORCEMENT_STATES = ['visibility', 'test', 'enforced'] as const;
export type EnforcementState = (typeof ENFORCEMENT_STATES)[number];
export const DEFAULT_ENFORCEMENT: EnforcementState = 'visibility';

export const isEnforcementState = (s: unknown): s is EnforcementState => typeof s === 'string' && (ENFORCEMENT_STATES as readonly string[]).includes(s);
