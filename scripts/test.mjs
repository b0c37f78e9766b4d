#!/usr/bin/env node
// `npm test`: type check, import boundaries (the layers of docs/architecture.md, and no import
// cycles: .dependency-cruiser.cjs), unit and integration tests (Vitest, real
// chDB/SQLite/PostgreSQL), then the browser tests (Playwright, real Chromium). Stops at the first
// stage that fails. `node scripts/test.mjs NAME...` runs only the stages whose names contain a NAME.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules/.bin', name);
const stages = [
  ['type check', bin('tsc'), ['--noEmit', '-p', root]],
  // every directory with code of ours; the config says what each may import
  ['import boundaries', bin('depcruise'), ['--config', '.dependency-cruiser.cjs', 'app', 'components', 'lib', 'cli', 'collectors', 'eval', 'bench', 'e2e', 'test', 'scripts', 'proxy.ts']],
  ['schema migrations in sync', process.execPath, [join(root, 'scripts/prisma.mjs'), 'check']],
  ['unit and integration tests', bin('vitest'), ['run']],
  ['browser tests', bin('playwright'), ['test']],
];
const only = process.argv.slice(2);
for (const [name, cmd, args] of stages) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  const t0 = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  const took = ((Date.now() - t0) / 1000).toFixed(0);
  if (r.status !== 0) {
    console.error(`\n=== ${name} FAILED after ${took} s ===`);
    process.exit(r.status ?? 1);
  }
  console.log(`=== ${name}: passed in ${took} s ===`);
}
