// The Next.js web app inside the serve process: built on first start (and again when its
// sources change), then served by Next's request handler behind our own HTTP server, which
// writes the peer address every request carries and compresses what Next answers.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import compression from 'compression';
import type { CommandIO } from './io';

const SOURCES = ['app', 'components', 'lib', 'public', 'next.config.ts', 'package.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (e.name === 'generated' || e.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, e.name)));
  }
  return newest;
}

/** Why the production build must be (re)made, or null when it is current. */
export function buildNeeded(root: string): string | null {
  const id = join(root, '.next/BUILD_ID');
  if (!existsSync(id)) return 'no build yet';
  const built = statSync(id).mtimeMs;
  const changed = SOURCES.find((s) => newestMtime(join(root, s)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

export async function buildWebApp(root: string, io: CommandIO, signal?: AbortSignal): Promise<void> {
  const t0 = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/next/dist/bin/next'), 'build'], {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('error', (e) => (signal?.aborted ? resolve() : reject(e)));
    child.on('exit', (code) => {
      if (code === 0 || signal?.aborted) resolve();
      else {
        const errors = log.split('\n').filter((l) => /error|failed/i.test(l)).slice(0, 20).join('\n');
        reject(new Error(`next build failed (exit ${code}):\n${errors || log.slice(-3000)}\n(run \`npx next build\` in ${root} for the whole output)`));
      }
    });
  });
  if (!signal?.aborted) io.err(`web app built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/**
 * Brotli or gzip, whichever the browser offers, for everything Next.js answers. Next's own compression (next.config `compress`, off in
 * next.config.ts) never applies to route handlers: it copies their headers with appendHeader,
 * so Content-Type arrives as a one-element array that the compression filter calls
 * incompressible (vercel/next.js#98007, fix pending in #98044). The map, flows and analysis
 * answers are route handlers and the largest responses we send, so this filter reads the
 * array form before the usual compressible-type check.
 */
export const compressResponses = compression({
  filter: (req, res) => {
    const type = res.getHeader('Content-Type');
    if (Array.isArray(type)) res.setHeader('Content-Type', type.join(', '));
    return compression.filter(req, res);
  },
});

export interface WebServer {
  server: Server;
  close(): Promise<void>;
}

export async function startWebServer(opts: {
  root: string;
  dev: boolean;
  host: string;
  port: number;
}): Promise<WebServer> {
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  const { default: next } = await import('next');
  const app = next({ dev: opts.dev, dir: opts.root, hostname: opts.host === '0.0.0.0' ? 'localhost' : opts.host, port: opts.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    // The peer address as the app sees it (lib/auth/address.ts): set here, replacing whatever a
    // client sent under that name, so that it can be trusted for audit and sign-in throttling.
    req.headers['x-bulkhead-peer'] = req.socket.remoteAddress ?? '';
    // the middleware is typed for Express's request and response, which extend these
    compressResponses(req as never, res as never, () => {
      handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(`internal error: ${(e as Error).message}`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        void app.close?.();
      }),
  };
}
