// `npm ci` on a fresh clone refuses a lock that lacks any optional dependency (see
// scripts/lock-optional.mjs): every optional dependency must have an entry.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

it('package-lock.json has an entry for every optional dependency, so npm ci accepts it', () => {
  const lock = JSON.parse(readFileSync(join(resolve(import.meta.dirname, '..'), 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { optionalDependencies?: Record<string, string> }>;
  };
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      if (!lock.packages[`${path}/node_modules/${name}`.replace(/^\//, '')] && !lock.packages[`node_modules/${name}`]) missing.push(`${name} (of ${path || 'the project'})`);
    }
  }
  expect(missing, 'run node scripts/lock-optional.mjs').toEqual([]);
});
