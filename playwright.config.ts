// Browser tests against `bulkhead serve` on the embedded stores, in real Chromium. On Debian
// machines Playwright cannot download its browsers, so the system Chromium is used when it is
// installed (PLAYWRIGHT_CHROMIUM overrides; elsewhere Playwright's own browser).
import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { E2E } from './e2e/env';

const systemChromium = process.env.PLAYWRIGHT_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    baseURL: E2E.baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath: systemChromium,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
      ],
    },
  },
  // "setup" creates a user per role and signs each in (e2e/auth.setup.ts); the specs start
  // signed in as admin unless they choose another role's state (e2e/accounts.ts).
  projects: [
    { name: 'setup', testMatch: /.*\.setup\.ts/ },
    { name: 'chromium', dependencies: ['setup'], testIgnore: [/.*\.setup\.ts/, /(map|review|journey)\.spec\.ts/], use: { storageState: 'test-results/e2e-auth/admin.json' } },
    // The map's layout spec and the review by application read the demo estate: they load it
    // when they run alone, and in a full run come after ui.spec.ts (which begins on an empty
    // estate). The five-minute journey enforces an application, so it comes last. With one
    // worker, projects run in this order.
    { name: 'on-the-demo', dependencies: ['setup'], testMatch: /(map|review)\.spec\.ts/, use: { storageState: 'test-results/e2e-auth/admin.json' } },
    { name: 'journey', dependencies: ['setup'], testMatch: /journey\.spec\.ts/, use: { storageState: 'test-results/e2e-auth/admin.json' } },
  ],
  webServer: {
    command: 'node e2e/serve.mjs',
    url: `${E2E.baseURL}/api/v1/health`,
    // The first start builds the web app.
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
  },
});
