#!/usr/bin/env node
// Keeps package-lock.json acceptable to `npm ci` when a dependency's optional per-platform
// packages are missing from the registry this machine reaches (chdb lists macOS and arm64
// builds of its engine that the registry mirror does not carry). `npm install` then writes a
// lock without them and `npm ci` refuses it as out of sync. This adds their entries (version,
// os/cpu, optional; no integrity), which npm skips on other platforms without fetching.
// npm keeps these entries on later installs; if one ever drops them, `node scripts/lock-optional.mjs`
// puts them back (scripts/lock.test.ts fails until it does).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const PLATFORMS = {
  'lib-darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'lib-darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'lib-linux-arm64-gnu': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
  'lib-linux-x64-gnu': { os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
};
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `${path ? `${path}/` : ''}node_modules/${name}`.replace(/^\//, '');
    const top = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[top]) continue;
    const platform = PLATFORMS[name.split('/').pop()];
    if (!platform) continue;
    lock.packages[top] = { version: spec, license: entry.license, optional: true, ...platform };
    added++;
  }
}
if (added) {
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(added ? `package-lock.json: added ${added} optional platform entries` : 'package-lock.json: optional platform entries present');
