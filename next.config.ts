import type { NextConfig } from 'next';

const config: NextConfig = {
  // Native and engine-bound packages stay outside the bundle so that the web app and the CLI in
  // the same process (bulkhead serve) share one instance of each, chDB above all.
  serverExternalPackages: ['chdb', '@clickhouse/client', '@clickhouse/client-common', 'better-sqlite3', 'pg', '@prisma/client', '@prisma/adapter-better-sqlite3', '@prisma/adapter-pg', 'pino', 'pino-pretty'],
  poweredByHeader: false,
  // cli/web.ts compresses every answer itself: Next's compression skips route handlers.
  compress: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole project with tsc; doing it again inside every build would
  // double the build time of the first `npm start`.
  typescript: { ignoreBuildErrors: true },
};

export default config;
