// Configuration for the Prisma CLI, used only at development time by scripts/prisma.mjs to
// generate the clients and to diff schemas into migrations. `engine: "js"` makes the CLI use
// its bundled WebAssembly schema engine, so nothing is downloaded (see docs/data-model.md).
// The adapter is never asked to connect for a schema-to-schema diff; the CLI only requires one.
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  async adapter() {
    return new PrismaBetterSQLite3({ url: ':memory:' });
  },
});
