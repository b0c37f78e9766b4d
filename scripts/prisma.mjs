#!/usr/bin/env node
// Prisma tooling that works offline (docs/data-model.md explains the choice).
//
//   node scripts/prisma.mjs generate          derive the PostgreSQL schema, generate both clients
//   node scripts/prisma.mjs migration NAME    write the SQL migration of both providers for the
//                                             changes since the last migration
//   node scripts/prisma.mjs check             exit 1 when the schema has changes no migration holds
//
// prisma/schema.prisma is the only schema people edit. prisma/migrations/schema.snapshot.prisma
// is the schema as of the last migration: diffing it against the current schema gives the next
// migration without a shadow database (which the offline WebAssembly engine cannot provide).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schema = join(root, 'prisma/schema.prisma');
const snapshot = join(root, 'prisma/migrations/schema.snapshot.prisma');
const derivedDir = join(root, 'prisma/.generated');
export const PROVIDERS = ['sqlite', 'postgresql'];

// The Prisma 6 CLI insists on locating a native query engine even when the generated client does
// not use one (engineType "client"); pointing it at an empty file stops the download attempt.
const dummyEngine = join(mkdtempSync(join(tmpdir(), 'bulkhead-prisma-')), 'no-engine');
writeFileSync(dummyEngine, '');
const env = {
  ...process.env,
  PRISMA_QUERY_ENGINE_LIBRARY: dummyEngine,
  PRISMA_SCHEMA_ENGINE_BINARY: dummyEngine,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};

function prisma(args, { capture = false } = {}) {
  const bin = join(root, 'node_modules/prisma/build/index.js');
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  if (r.status !== 0 && !(capture && r.status === 2)) {
    if (capture) process.stderr.write(r.stdout + r.stderr);
    throw new Error(`prisma ${args.join(' ')} failed with status ${r.status}`);
  }
  return r;
}

/** The schema text for a provider: only the provider and the client's output path differ. */
function schemaFor(provider, text = readFileSync(schema, 'utf8')) {
  if (provider === 'sqlite') return text;
  return text
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./unused.db"', 'url      = "postgresql://unused"')
    .replace('output     = "../lib/db/generated/sqlite"', 'output     = "../../lib/db/generated/postgresql"');
}

function writeDerived(provider, text, name) {
  mkdirSync(derivedDir, { recursive: true });
  const file = join(derivedDir, `${name}.${provider}.prisma`);
  writeFileSync(file, schemaFor(provider, text));
  return file;
}

function generate() {
  const pg = writeDerived('postgresql', readFileSync(schema, 'utf8'), 'schema');
  if (!readFileSync(pg, 'utf8').includes('provider = "postgresql"')) {
    throw new Error('could not derive the PostgreSQL schema: the datasource block changed shape');
  }
  prisma(['generate', '--schema', schema]);
  prisma(['generate', '--schema', pg]);
}

/** SQL that takes a database from the snapshot to the current schema, for one provider. */
function diff(provider) {
  const to = writeDerived(provider, readFileSync(schema, 'utf8'), 'schema');
  const args = ['migrate', 'diff', '--to-schema-datamodel', to, '--script'];
  if (existsSync(snapshot)) {
    args.push('--from-schema-datamodel', writeDerived(provider, readFileSync(snapshot, 'utf8'), 'snapshot'));
  } else {
    args.push('--from-empty');
  }
  const out = prisma(args, { capture: true }).stdout;
  const empty = !/^(CREATE|ALTER|DROP|PRAGMA|INSERT|UPDATE|DELETE)/m.test(out);
  return { sql: out.trim() + '\n', empty };
}

function migration(name) {
  if (!/^[a-z0-9_]+$/.test(name ?? '')) throw new Error('usage: migration NAME (lower case, digits, _)');
  const diffs = PROVIDERS.map((p) => [p, diff(p)]);
  if (diffs.every(([, d]) => d.empty)) {
    console.log('The schema has no changes since the last migration.');
    return;
  }
  for (const [provider, d] of diffs) {
    const dir = join(root, 'prisma/migrations', provider);
    mkdirSync(dir, { recursive: true });
    const n = readdirSync(dir).filter((f) => /^\d{4}_/.test(f)).length + 1;
    const target = join(dir, `${String(n).padStart(4, '0')}_${name}`);
    mkdirSync(target);
    writeFileSync(join(target, 'migration.sql'), d.sql);
    console.log(`wrote ${target}/migration.sql`);
  }
  copyFileSync(schema, snapshot);
}

function check() {
  const pending = PROVIDERS.filter((p) => !diff(p).empty);
  if (pending.length) {
    console.error(`prisma/schema.prisma has changes that no migration holds (${pending.join(', ')}).`);
    console.error('Run: node scripts/prisma.mjs migration <name>');
    process.exit(1);
  }
  console.log('Migrations hold every change of prisma/schema.prisma.');
}

const [cmd, arg] = process.argv.slice(2);
try {
  if (cmd === 'generate') generate();
  else if (cmd === 'migration') migration(arg);
  else if (cmd === 'check') check();
  else {
    console.error('usage: node scripts/prisma.mjs generate | migration NAME | check');
    process.exit(2);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
