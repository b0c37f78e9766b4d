// Builds the CLI (cli/main.ts and what it imports from lib/ and collectors/) into dist/cli/ with
// esbuild, and rebuilds it when a source is newer than the build, so `npx bulkhead` always runs
// the code in the checkout and still starts in a fraction of a second (no TypeScript at run time).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/cli');
export const entry = join(outdir, 'main.mjs');
const SOURCES = ['cli', 'lib', 'collectors', 'package.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return /\.(ts|tsx|mjs|json|sql)$/.test(path) ? st.mtimeMs : 0;
  let m = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const t = newest(join(path, e.name));
    if (t > m) m = t;
  }
  return m;
}

export function isStale() {
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  return SOURCES.some((s) => newest(join(root, s)) > built);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function build() {
  const esbuild = await import('esbuild');
  const tmp = `${outdir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'cli/main.ts' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    logLevel: 'error',
    // Generated Prisma clients read __dirname/require, which ESM output does not define.
    banner: { js: "import { createRequire as __bulkheadCreateRequire } from 'node:module'; const require = __bulkheadCreateRequire(import.meta.url);" },
  });
  rmSync(outdir, { recursive: true, force: true });
  renameSync(tmp, outdir);
}

/** Build when stale, one process at a time (others wait for it). Returns the entry module path. */
export async function ensureBuilt() {
  if (!isStale()) return entry;
  mkdirSync(join(root, 'dist'), { recursive: true });
  const lock = join(root, 'dist/.build-lock');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than a minute belongs to a build that died.
      if (Date.now() - statSync(lock).mtimeMs > 60_000 || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      else await sleep(100);
    }
  }
  try {
    if (isStale()) await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return entry;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build();
  console.log(`built ${entry}`);
}
