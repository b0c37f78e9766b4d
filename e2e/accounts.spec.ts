// Accounts, roles and audit in a real browser against `bulkhead serve`: nobody reads the map
// without signing in, each role sees exactly its pages and API, sign-in is throttled, sign-out
// ends the session on the server, and every page sends its security headers.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { cli, emailOf, passwordsFile, ROLES, stateOf, type Role } from './accounts';
import { E2E } from './env';

const anonymous = { storageState: { cookies: [], origins: [] } };

async function noAxeViolations(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test.describe('without signing in', () => {
  test.use(anonymous);

  test('pages send people to the sign-in page, which says how to get an account; the API answers 401', async ({ page }) => {
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/signin\?next=%2Faudit$/);
    await expect(page.getByRole('heading', { name: 'Sign in to Bulkhead' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'No account?' })).toContainText('bulkhead users add --admin');
    await page.screenshot({ path: 'test-results/screenshots/signin.png', fullPage: true });
    await noAxeViolations(page);
    const api = await page.request.get('/api/v1/account');
    expect(api.status()).toBe(401);
    expect((await api.json()).error).toMatch(/^sign in first/);
  });

  test('a wrong password says only that; after 5 failures the account is throttled even with the right password', async ({ page }) => {
    const made = cli(['users', 'add', 'throttled@e2e.test', '--role', 'viewer', '--json']);
    expect(made.code, made.err).toBe(0);
    const { password } = JSON.parse(made.out);
    const message = page.getByRole('form', { name: 'Sign in with email and password' }).getByRole('alert');
    for (let i = 0; i < 5; i++) {
      await signIn(page, 'throttled@e2e.test', `not the password ${i}`);
      await expect(message).toHaveText('Wrong email or password.');
    }
    await signIn(page, 'throttled@e2e.test', password);
    await expect(message).toHaveText(/Too many failed sign-ins\. Try again in 1[45] minutes\./);
    await expect(page).toHaveURL(/\/signin$/);

    const log = cli(['audit', 'export', '--action', 'auth.signin', '--actor', 'throttled@e2e.test']);
    const events = log.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.outcome)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'denied']);
    expect(events[0]).toMatchObject({ ip: '127.0.0.1', via: 'web', summary: 'sign-in failed: wrong-password' });
  });

  test('sign-in returns to the page asked for; sign-out ends the session on the server', async ({ page, context }) => {
    const passwords = JSON.parse(readFileSync(passwordsFile, 'utf8')) as Record<Role, string>;
    await page.goto('/account');
    await page.getByLabel('Email', { exact: true }).fill(emailOf('viewer'));
    await page.getByLabel('Password', { exact: true }).fill(passwords.viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
    const session = (await context.cookies()).find((c) => c.name === 'bulkhead_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await expect(page).toHaveURL(/\/signin\?signedOut=1$/);
    await expect(page.getByText('You signed out.')).toBeVisible();
    // The old cookie, replayed, is worth nothing: the session is gone from the server.
    await context.addCookies([session]);
    await page.goto('/account');
    await expect(page).toHaveURL(/\/signin\?next=%2Faccount&ended=1$/);
    await expect(page.getByText('Your session ended.')).toBeVisible();
  });

  test('a state-changing request from another site is refused', async ({ request }) => {
    const res = await request.post('/api/v1/account/tokens', { headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, data: { name: 'x' } });
    expect(res.status()).toBe(403);
    expect((await res.json()).error).toContain('cross-site request refused');
  });
});

// What each role may open: the matrix of lib/auth/permissions.ts, as pages and as API calls.
const PAGES: Array<{ path: string; heading: string; roles: Role[] }> = [
  { path: '/', heading: 'Bulkhead', roles: ['admin', 'architect', 'owner', 'viewer'] },
  { path: '/account', heading: 'Your account', roles: ['admin', 'architect', 'owner', 'viewer'] },
  { path: '/admin/users', heading: 'Users', roles: ['admin'] },
  { path: '/admin/tokens', heading: 'API tokens', roles: ['admin'] },
  { path: '/admin/owners', heading: 'Application owners', roles: ['admin', 'architect'] },
  { path: '/audit', heading: 'Audit log', roles: ['admin', 'architect'] },
];
const API: Array<{ path: string; roles: Role[] }> = [
  { path: '/api/v1/account', roles: ['admin', 'architect', 'owner', 'viewer'] },
  { path: '/api/v1/users', roles: ['admin'] },
  { path: '/api/v1/tokens', roles: ['admin'] },
  { path: '/api/v1/audit', roles: ['admin', 'architect'] },
];

for (const role of ROLES) {
  test.describe(`signed in as ${role}`, () => {
    test.use({ storageState: stateOf(role) });

    test(`${role} sees exactly the pages and API of the role`, async ({ page }) => {
      for (const p of PAGES) {
        await page.goto(p.path);
        if (p.roles.includes(role)) {
          await expect(page, `${role} opens ${p.path}`).toHaveURL(new RegExp(`${p.path.replace(/\//g, '\\/')}$`));
          await expect(page.getByRole('heading', { name: p.heading, level: 1 })).toBeVisible();
        } else {
          await expect(page, `${role} is refused ${p.path}`).toHaveURL(/\/forbidden\?need=/);
          await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
          await expect(page.getByText(`with the role ${role}`)).toBeVisible();
        }
      }
      for (const a of API) {
        const res = await page.request.get(a.path);
        expect(res.status(), `${role} GET ${a.path}`).toBe(a.roles.includes(role) ? 200 : 403);
      }
      await page.goto('/account');
      await expect(page.getByRole('cell', { name: emailOf(role), exact: true })).toBeVisible();
      await expect(page.getByRole('row', { name: /^Role/ })).toContainText(role);
    });
  });
}

test.describe('signed in as admin', () => {
  test('creates a user on the Users page, who signs in with the generated password shown once', async ({ page, browser }) => {
    await page.goto('/admin/users');
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Email', { exact: true }).fill('new.architect@e2e.test');
    await form.getByLabel('Role').selectOption('architect');
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect(form.getByRole('status')).toContainText('Created new.architect@e2e.test (architect)');
    const password = await form.getByLabel(/Copy it now/).inputValue();
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
    await page.reload();
    await expect(page.getByRole('rowheader', { name: /new\.architect@e2e\.test/ })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/admin-users.png', fullPage: true });
    await noAxeViolations(page);

    const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const p2 = await other.newPage();
    await signIn(p2, 'new.architect@e2e.test', password);
    await expect(p2).toHaveURL(/\/$/);
    await p2.goto('/audit');
    await expect(p2.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await other.close();
  });

  test('creates an API token on the account page that works for the JSON API, then revokes it', async ({ page, playwright }) => {
    await page.goto('/account');
    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Name (what it is for)').fill('e2e script');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Create token' }).click();
    const token = await form.getByLabel(/Copy it now/).inputValue();
    expect(token).toMatch(/^bh_[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: 'test-results/screenshots/account.png', fullPage: true });
    await noAxeViolations(page);

    const api = await playwright.request.newContext({ baseURL: E2E.baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const me = await api.get('/api/v1/account');
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email: emailOf('admin') }, actingAs: { type: 'token', role: 'viewer', token: 'e2e script' } });
    expect((await api.get('/api/v1/users')).status()).toBe(403);

    await page.reload();
    const row = page.getByRole('row').filter({ hasText: 'e2e script' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    // Revoked tokens leave the list at once.
    await expect(row).toHaveCount(0);
    expect((await api.get('/api/v1/account')).status()).toBe(401);
    await api.dispose();
  });

  test('state-changing API calls from the page need the CSRF token', async ({ page, context }) => {
    await page.goto('/account');
    // Sent like the page's own fetch() would be: same origin, session cookie.
    const origin = { origin: E2E.baseURL };
    const without = await page.request.post('/api/v1/account/tokens', { data: { name: 'no csrf' }, headers: origin });
    expect(without.status()).toBe(403);
    expect((await without.json()).error).toContain('CSRF');
    const csrf = (await context.cookies()).find((c) => c.name === 'bulkhead_csrf')!.value;
    const ok = await page.request.post('/api/v1/account/tokens', { data: { name: 'with csrf', role: 'viewer', expiresInDays: 1 }, headers: { ...origin, 'x-csrf-token': csrf } });
    expect(ok.status()).toBe(200);
    // Without Origin or Sec-Fetch-Site (no browser sends such a POST), the proxy refuses before the API sees it.
    const bare = await page.request.post('/api/v1/account/tokens', { data: { name: 'no origin' }, headers: { 'x-csrf-token': csrf } });
    expect(bare.status()).toBe(403);
    expect((await bare.json()).error).toContain('cross-site request refused');
  });

  test('the audit log page shows sign-ins and user changes, and exports them as JSON lines', async ({ page }) => {
    await page.goto('/audit?action=auth.signin');
    const table = page.getByRole('table');
    await expect(table.getByRole('row').filter({ hasText: emailOf('owner') }).first()).toContainText('auth.signin');
    await page.getByLabel('Action').selectOption('user.');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/action=user\./);
    await expect(table).toContainText(`created ${emailOf('viewer')} (viewer)`);
    await page.screenshot({ path: 'test-results/screenshots/audit.png', fullPage: true });
    await noAxeViolations(page);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export these events as JSON lines' }).click();
    const file = await (await download).path();
    const events = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThan(3);
    expect(events.every((e) => e.action.startsWith('user.'))).toBe(true);
    expect(events[0]).toMatchObject({ action: 'user.create', actor: { type: 'local' }, via: 'cli' });
  });

  test('pages carry the security headers: CSP with a fresh nonce, no framing, same-origin referrers', async ({ page }) => {
    const first = await page.goto('/account');
    const second = await page.goto('/account');
    const csp = first!.headers()['content-security-policy']!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(second!.headers()['content-security-policy']).not.toBe(csp);
    expect(first!.headers()).toMatchObject({ 'referrer-policy': 'same-origin', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
    // The page's own scripts run under that policy: React hydrates, and the form answers in
    // place (no page load: a marker set on window survives the submission).
    const violations: string[] = [];
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && violations.push(m.text()));
    await page.reload();
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Name (what it is for)').fill('csp check');
    await form.getByRole('button', { name: 'Create token' }).click();
    await expect(form.getByRole('status')).toContainText('Token "csp check" created');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(violations).toEqual([]);
    const api = await page.request.get('/api/v1/account');
    expect(api.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(api.headers()['cache-control']).toBe('no-store');
  });
});
