// Builds the CLI (cli/main.ts and what it imports from lib/ and collectors/) with esbuild, and
// rebuilds it when a source is newer than the build, so `npx bulkhead` always runs the code in
// the checkout and still starts in a fraction of a second (no TypeScript at run time).
//
// Each build goes to its own directory, dist/cli/<build>/, and dist/cli/current.json names the
// live one (replaced atomically). A process that is running an older build keeps loading its
// lazily imported chunks from its own directory, so a rebuild never pulls files from under it;
// builds older than an hour that are not current are removed.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/cli');
const pointer = join(outdir, 'current.json');
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

/** The live build's entry module, or null when there is none. */
function currentEntry() {
  try {
    const { dir } = JSON.parse(readFileSync(pointer, 'utf8'));
    const entry = join(outdir, dir, 'main.mjs');
    return existsSync(entry) ? entry : null;
  } catch {
    return null;
  }
}

export function isStale() {
  const entry = currentEntry();
  if (!entry) return true;
  const built = statSync(pointer).mtimeMs;
  return SOURCES.some((s) => newest(join(root, s)) > built);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function build() {
  const esbuild = await import('esbuild');
  const dir = `b${Date.now().toString(36)}-${process.pid}`;
  // Sources may change while esbuild reads them; the pointer's mtime must not claim a later state.
  const started = Date.now();
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'cli/main.ts' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: join(outdir, dir),
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    logLevel: 'error',
    // Generated Prisma clients read __dirname/require, which ESM output does not define.
    banner: { js: "import { createRequire as __bulkheadCreateRequire } from 'node:module'; const require = __bulkheadCreateRequire(import.meta.url);" },
  });
  const tmp = `${pointer}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ dir, builtAt: new Date(started).toISOString() }));
  const { utimesSync } = await import('node:fs');
  utimesSync(tmp, started / 1000, started / 1000);
  renameSync(tmp, pointer);
  for (const e of readdirSync(outdir, { withFileTypes: true })) {
    if (e.name === dir || e.name === 'current.json' || e.name.endsWith('.tmp')) continue;
    const p = join(outdir, e.name);
    if (Date.now() - statSync(p).mtimeMs > 3600_000) rmSync(p, { recursive: true, force: true });
  }
  return join(outdir, dir, 'main.mjs');
}

/** Build when stale, one process at a time (others wait for it). Returns the entry module path. */
export async function ensureBuilt() {
  if (!isStale()) return currentEntry();
  mkdirSync(outdir, { recursive: true });
  const lock = join(root, 'dist/.build-lock');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than a minute belongs to a build that died.
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age > 60_000 || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      else await sleep(100);
    }
  }
  try {
    if (isStale()) await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return currentEntry();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`built ${await build()}`);
}
