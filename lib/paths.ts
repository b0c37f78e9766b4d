// Where the project's own files are (migrations, the web app), whatever the working directory
// and whichever bundle (the CLI's or Next's) this code was compiled into.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

function isProjectRoot(dir: string): boolean {
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return false;
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'bulkhead';
  } catch {
    return false;
  }
}

/** The directory holding Bulkhead's package.json. */
export function projectRoot(): string {
  if (cached) return cached;
  const starts: string[] = [];
  if (process.env.BULKHEAD_ROOT) starts.push(process.env.BULKHEAD_ROOT);
  try {
    starts.push(dirname(fileURLToPath(import.meta.url)));
  } catch {
    // not a file: URL (bundled for a non-file target); fall back to the working directory
  }
  starts.push(process.cwd());
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      if (isProjectRoot(dir)) return (cached = dir);
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error('Cannot find the Bulkhead project directory (package.json named "bulkhead"); set BULKHEAD_ROOT');
}
