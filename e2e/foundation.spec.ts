// The foundation journey: the server runs on the embedded stores, the page says so, and CLI
// commands in other processes go through the server that holds the store. The browser is signed
// in as admin (e2e/auth.setup.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { E2E, e2eEnv } from './env';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(E2E.root, 'bin/bulkhead.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...e2eEnv() }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the home page shows both stores answering and says what to do next', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Bulkhead' })).toBeVisible();
  const stores = page.getByRole('region', { name: 'Stores' });
  await expect(stores.getByRole('row', { name: /Flows \(ClickHouse\)/ })).toContainText('answering');
  await expect(stores.getByRole('row', { name: /State \(SQLite\)/ })).toContainText('answering');
  await expect(page.getByRole('region', { name: 'What next' })).toContainText(String(E2E.ipfixPort));
  await page.screenshot({ path: 'test-results/screenshots/home.png', fullPage: true });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test('the health endpoint reports the embedded stores to signed-in callers, and only ok to anyone', async ({ page, playwright }) => {
  const res = await page.request.get('/api/v1/health');
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ ok: true, clickhouse: { ok: true, mode: 'embedded' }, database: { ok: true, provider: 'sqlite' } });
  const anonymous = await playwright.request.newContext({ baseURL: E2E.baseURL, storageState: { cookies: [], origins: [] } });
  const bare = await anonymous.get('/api/v1/health');
  expect(bare.status()).toBe(200);
  expect(await bare.json()).toEqual({ ok: true });
  await anonymous.dispose();
});

test('CLI commands in another process go through the server holding the store', () => {
  const r = cli(['doctor', '--json']);
  expect(r.code, r.err).toBe(0);
  const report = JSON.parse(r.out);
  expect(report.answeredBy).toMatch(/^the running server \(pid \d+\)$/);
  expect(report.server).toMatchObject({ url: E2E.baseURL });
  expect(report.clickhouse).toMatchObject({ ok: true, kind: 'embedded chDB' });
});

test('a second server on the same home stops with a message naming the first', () => {
  const r = cli(['serve', '--port', String(E2E.port + 1), '--no-collect']);
  expect(r.code).toBe(1);
  expect(r.err).toContain('is in use by `bulkhead serve`');
  expect(r.err).toContain(E2E.baseURL);
});
