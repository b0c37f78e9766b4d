#!/usr/bin/env node
// Entry point of the `bulkhead` command (npx bulkhead ... from a checkout).
import { ensureBuilt } from '../scripts/build-cli.mjs';

const { runCli } = await import(await ensureBuilt());
const code = await runCli(process.argv.slice(2));
// Stores and listeners are closed by now; exit even if a library left a timer behind.
process.exit(code);
