#!/usr/bin/env node
// Entry point of the `bulkhead` command (npx bulkhead ... from a checkout).
import { ensureBuilt } from '../scripts/build-cli.mjs';

const { runCli } = await import(await ensureBuilt());
const code = await runCli(process.argv.slice(2));
// Stores and listeners are closed by now; exit even if a library left a timer behind, but only
// once what was written has left: on a pipe (bulkhead analyze --json | jq) writes are
// asynchronous, and exiting at once would cut the output at a 64 KiB boundary.
const drained = (stream) => new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.write('', () => resolve())));
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
