// `bulkhead serve` (npm start): the stores, the flow collectors and the web app in one process.
// On the embedded defaults this process owns the chDB data directory; other commands reach the
// stores through it (cli/forward.ts, POST /api/v1/cli), which is why it writes its card to
// server.json when ready.
import { startCollectors, type Collectors } from '../../collectors';
import { projectRoot } from '../../lib/paths';
import { shareRuntime } from '../../lib/runtime';
import { removeServerInfo, writeServerInfo } from '../../lib/server-info';
import { VERSION } from '../../lib/version';
import { UserError, type CommandContext } from '../context';
import { commandRunner } from '../forwarded';
import { buildNeeded, buildWebApp, startWebServer, type WebServer } from '../web';
import { processAlive } from '../../lib/process';

const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;

interface ServeOptions {
  port?: string;
  host?: string;
  collect?: boolean;
  dev?: boolean;
}

/**
 * Under npx (and `npm start` before its script exec'd node), the parent is the `sh -c` npm runs
 * commands in, and npm passes SIGTERM to that shell only: the shell dies and this process would
 * serve on, orphaned. So when npm started it (npm_command is set), the parent's exit stops it
 * as SIGTERM would. Other parents (a shell under nohup, systemd) are not watched.
 */
function watchNpmParent(stopping: AbortController) {
  if (!process.env.npm_command || process.ppid <= 1) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (!processAlive(parent)) stopping.abort('npm exited');
  }, 500);
  timer.unref();
  stopping.signal.addEventListener('abort', () => clearInterval(timer));
}

export async function run(ctx: CommandContext, opts: ServeOptions) {
  const { io, config } = ctx;
  const port = opts.port !== undefined ? Number(opts.port) : config.web.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port: "${opts.port}" is not a port number`);
  const host = opts.host ?? config.web.host;
  const root = projectRoot();

  // Signals are taken from the start so that Ctrl-C during the build or start-up also ends cleanly.
  const stopping = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => stopping.abort(sig);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  ctx.signal.addEventListener('abort', () => stopping.abort('abort'));
  const stopped = new Promise<string>((resolve) => stopping.signal.addEventListener('abort', () => resolve(String(stopping.signal.reason))));
  watchNpmParent(stopping);

  if (!opts.dev) {
    const why = buildNeeded(root);
    if (why) {
      io.err(`Building the web app (${why}); this takes a minute or two the first time...`);
      await buildWebApp(root, io, stopping.signal);
    }
  }
  if (stopping.signal.aborted) return 130;

  const t0 = Date.now();
  const rt = await ctx.runtime();
  shareRuntime(rt);
  const ch = config.clickhouse;
  io.err(`flow store   ${ch.mode === 'embedded' ? `embedded chDB in ${ch.dataDir}` : `ClickHouse at ${ch.url}`} (database ${ch.database})`);
  io.err(`state        ${config.database.provider === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL (DATABASE_URL)'}`);

  let collectors: Collectors | null = null;
  let web: WebServer | null = null;
  // The endpoint (app/api/v1/cli) is in the Next.js bundle and reaches the runner through the
  // shared runtime, as it reaches the stores: importing the CLI from there would bundle it twice
  // and close an import cycle. The secret is filled in once server.json is written.
  const commands = { run: commandRunner(ctx.runCommand, rt), secret: '' };
  rt.commands = commands;
  const shutdown = async (signal: string) => {
    io.err(`\n${signal}: stopping (flushing buffered flows)...`);
    removeServerInfo(config.home);
    await web?.close();
    await collectors?.close();
    rt.collectors = undefined;
    rt.commands = undefined;
    await rt.close();
    io.err('stopped.');
  };
  try {
    if (opts.collect !== false) {
      collectors = await startCollectors(config, rt.sink, rt.log, { history: rt.store });
      rt.collectors = collectors;
      for (const l of collectors.listeners) {
        const asked = config.collect.receiveBufferBytes;
        const capped = l.receiveBufferBytes < asked ? `; asked for ${mib(asked)}, the kernel's net.core.rmem_max caps it` : '';
        io.err(`listening    ${l.kind.padEnd(8)} udp ${l.address}:${l.port} (receive buffer ${mib(l.receiveBufferBytes)}${capped})`);
      }
      if (config.collect.allow.length) io.err(`exporters    only from ${config.collect.allow.join(', ')}`);
    }
    web = await startWebServer({
      root,
      dev: Boolean(opts.dev),
      host,
      port,
    });
  } catch (e) {
    await collectors?.close();
    await rt.close();
    throw e;
  }
  const bound = web.server.address();
  const actualPort = typeof bound === 'object' && bound ? bound.port : port;
  const localHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const info = writeServerInfo(config.home, { url: `http://${localHost}:${actualPort}`, version: VERSION, command: 'bulkhead serve' });
  commands.secret = info.secret;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : localHost;
  io.err(`web          http://${shown}:${actualPort}${opts.dev ? ' (development mode)' : ''}`);
  io.err(`Bulkhead ${VERSION} is ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: open http://${shown}:${actualPort}  (Ctrl-C stops it)`);
  // What next, from what the stores hold: an account to sign in with, then data to look at.
  const [users, workloads] = await Promise.all([rt.db.prisma.user.count(), rt.db.prisma.workload.count()]);
  if (users === 0) io.err('next         no accounts yet: in another terminal, `npx bulkhead users add --admin you@example.com` (prints a password once)');
  if (workloads === 0) io.err('next         no inventory or flows yet: `npx bulkhead demo` loads a generated estate; or point exporters at the UDP ports above');

  await shutdown(await stopped);
  return 0;
}
