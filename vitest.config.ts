import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{lib,collectors,cli,app,components,bench,scripts,eval}/**/*.test.{ts,tsx}'],
    // Each test file runs in its own process: the embedded ClickHouse engine binds one data
    // directory per process (test/support.ts gives every process its own).
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
