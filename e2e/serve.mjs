// Starts `bulkhead serve` for the browser tests on a fresh home (see e2e/env.ts).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const { E2E, e2eEnv } = await tsImport('./env.ts', import.meta.url);
rmSync(E2E.home, { recursive: true, force: true });
const child = spawn(process.execPath, [join(E2E.root, 'bin/bulkhead.mjs'), 'serve'], { stdio: 'inherit', env: { ...process.env, ...e2eEnv() } });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
