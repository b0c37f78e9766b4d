// Accounts of the browser tests: one user per role, created through the real CLI (which goes
// through the running server with its local secret), signed in through the real sign-in form by
// e2e/auth.setup.ts; specs reuse the saved browser state of the role they need.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { E2E, e2eEnv } from './env';

export const ROLES = ['admin', 'architect', 'owner', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const emailOf = (role: Role) => `${role}@e2e.test`;
/** Saved browser state (cookies) of a signed-in role. */
export const stateOf = (role: Role) => join(E2E.root, 'test-results/e2e-auth', `${role}.json`);
/** Where the setup keeps the generated passwords for specs that sign in through the form again. */
export const passwordsFile = join(E2E.root, 'test-results/e2e-auth/passwords.json');

export function cli(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, [join(E2E.root, 'bin/bulkhead.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...e2eEnv() },
    timeout: 60_000,
    input: stdin,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
