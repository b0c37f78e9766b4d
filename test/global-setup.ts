// Starts one PostgreSQL server for the whole unit-test run (tests create their own databases in
// it) and passes its URL on in BULKHEAD_TEST_PG_URL. With BULKHEAD_REQUIRE_PG=1 (set by .ci/run)
// a missing server fails the run instead of leaving the PostgreSQL cases out.
import type { TestProject } from 'vitest/node';
import { startPostgres, unavailableReason, type PgServer } from './postgres';

let server: PgServer | null = null;

export async function setup(project: TestProject) {
  if (process.env.BULKHEAD_TEST_PG_URL) {
    console.log(`PostgreSQL tests use the server at BULKHEAD_TEST_PG_URL`);
    project.provide('pgUrl', process.env.BULKHEAD_TEST_PG_URL);
    project.provide('pgSkipReason', '');
    return;
  }
  const why = unavailableReason();
  if (why) {
    if (process.env.BULKHEAD_REQUIRE_PG === '1') throw new Error(`BULKHEAD_REQUIRE_PG=1 but ${why}`);
    console.log(`PostgreSQL tests will not run: ${why}`);
    project.provide('pgUrl', '');
    project.provide('pgSkipReason', why);
    return;
  }
  server = await startPostgres();
  project.provide('pgUrl', server.url);
  project.provide('pgSkipReason', '');
  console.log(`PostgreSQL tests run against a real server: ${server.version} at ${server.url.replace(/\/postgres$/, '')}`);
}

export async function teardown() {
  server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** base URL of the test PostgreSQL server ('' when none) */
    pgUrl: string;
    /** why there is none */
    pgSkipReason: string;
  }
}
