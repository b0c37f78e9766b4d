// Runs before the specs (Playwright project "setup"): creates one user per role with the CLI and
// signs each in through the sign-in form in Chromium, saving the signed-in browser state.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, test as setup } from '@playwright/test';
import { cli, emailOf, passwordsFile, ROLES, stateOf } from './accounts';

const passwords: Record<string, string> = {};

for (const role of ROLES) {
  setup(`create the ${role} user with the CLI and sign in`, async ({ page }) => {
    const made = cli(['users', 'add', emailOf(role), '--role', role, '--json']);
    expect(made.code, made.err).toBe(0);
    const { password } = JSON.parse(made.out) as { password: string };
    passwords[role] = password;

    await page.goto('/');
    await expect(page).toHaveURL(/\/signin$/);
    await page.getByLabel('Email', { exact: true }).fill(emailOf(role));
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { name: 'Bulkhead', level: 1 })).toBeVisible();

    mkdirSync(dirname(stateOf(role)), { recursive: true });
    await page.context().storageState({ path: stateOf(role) });
    writeFileSync(passwordsFile, JSON.stringify(passwords, null, 2), { mode: 0o600 });
  });
}
