// The `bulkhead` command. Thin: it parses arguments, decides where the command runs (here, or
// inside a running server that holds the embedded store) and calls the command's module, which
// is loaded only when that command runs so that `--help` and `--version` start at once.
import { Command, CommanderError, Option } from 'commander';
import { hostname, userInfo } from 'node:os';
import { roleAllows } from '../lib/auth/permissions';
import { localOperator, type Principal } from '../lib/auth/principal';
import { loadConfig, type Config } from '../lib/config';
import { isBulkheadError, type ErrorKind } from '../lib/errors';
import { VERSION } from '../lib/version';
import { COMMANDS, type CommandSpec } from './commands';
import { UserError, type CommandContext, type RunOptions } from './context';
import { terminalIO, type CommandIO } from './io';

export type { RunOptions };

/** The local operator: whoever runs the CLI on a machine where they can read BULKHEAD_HOME. */
export function localActor(): Principal {
  let user = 'unknown user';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep the placeholder
  }
  return localOperator(`${user}@${hostname()}`);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.length > 1 << 20) throw new UserError('standard input is larger than 1 MiB');
  }
  return text;
}

interface GlobalOptions {
  config?: string;
  home?: string;
}

function configFor(g: GlobalOptions, opts: RunOptions): Config {
  return loadConfig({ env: opts.env, cwd: opts.cwd, configFile: g.config, overrides: g.home ? { home: g.home } : undefined });
}

function buildProgram(io: CommandIO, run: (spec: CommandSpec, cmd: Command) => Promise<void>): Command {
  const program = new Command('bulkhead')
    .description('Flow discovery and microsegmentation planning.\nCollect flows, map what depends on what, propose the allow-list policy that breaks nothing.')
    .version(VERSION, '-v, --version', 'print the version')
    .option('-c, --config <file>', 'config file, YAML or JSON (default $BULKHEAD_HOME/bulkhead.yaml)')
    .option('--home <dir>', 'directory for embedded state (default $BULKHEAD_HOME or ./.bulkhead)')
    .showHelpAfterError('(run bulkhead --help for the commands, or bulkhead help COMMAND)')
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .exitOverride()
    .addHelpText(
      'after',
      '\nStart here:\n  npm start                 run the web app, the collectors and the stores (bulkhead serve)\n  bulkhead doctor           check the stores and the configuration\n\nEnvironment: BULKHEAD_HOME, CLICKHOUSE_URL, DATABASE_URL, ... (bulkhead doctor --env lists them all)',
    );
  for (const spec of COMMANDS) {
    const cmd = program.command(spec.usage).description(spec.summary);
    if (spec.details) cmd.addHelpText('after', `\n${spec.details}`);
    for (const o of spec.options ?? []) {
      const opt = new Option(o.flags, o.description);
      if (o.default !== undefined) opt.default(o.default);
      if (o.choices) opt.choices(o.choices);
      cmd.addOption(opt);
    }
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
    cmd.action(async function (this: Command) {
      await run(spec, this);
    });
  }
  return program;
}

/** Run the CLI with argv (without node and script). Returns the exit code; never calls process.exit. */
export async function runCli(argv: string[], opts: RunOptions = {}): Promise<number> {
  const io = opts.io ?? terminalIO();
  const cwd = opts.cwd ?? process.cwd();
  const signal = opts.signal ?? new AbortController().signal;
  let code = 0;
  const program = buildProgram(io, async (spec, cmd) => {
    const globals = program.opts<GlobalOptions>();
    const config = configFor(globals, opts);
    const actor = opts.actor ?? localActor();
    // Read once: sent along when the command is forwarded, handed to it when it runs here.
    let stdin = opts.stdin;
    if (!opts.forwardedRuntime && spec.store === 'shared') {
      const { forwardIfServerRunning, forwardRemote } = await import('./forward');
      if (spec.readsStdin?.(cmd.opts())) stdin = await readStdin();
      const forwarded = config.client.url
        ? await forwardRemote(config, argv, cwd, io, signal, stdin)
        : await forwardIfServerRunning(config, argv, cwd, io, signal, { operator: actor.name, stdin });
      if (forwarded !== null) {
        code = forwarded;
        return;
      }
    }
    if (spec.store === 'owner') {
      if (opts.forwardedRuntime) {
        throw new UserError(`\`bulkhead ${spec.name}\` cannot run through the server: it opens the stores itself and the server already holds them.`);
      }
      // Say so before doing anything (such as rebuilding the web app under a running server).
      const { readServerInfo, describeHolder } = await import('../lib/server-info');
      const holder = config.clickhouse.mode === 'embedded' ? readServerInfo(config.home) : null;
      if (holder) {
        const { StoreBusyError } = await import('../lib/store/connection');
        throw new StoreBusyError(config.clickhouse.mode === 'embedded' ? config.clickhouse.dataDir : '', describeHolder(holder));
      }
    }
    let runtime: Awaited<ReturnType<CommandContext['runtime']>> | null = null;
    const getRuntime: CommandContext['runtime'] =
      opts.forwardedRuntime ??
      (async () => {
        if (!runtime) {
          const { openRuntime } = await import('../lib/runtime');
          const { createLogger } = await import('../lib/log');
          runtime = await openRuntime(config, { log: createLogger(config.log.level) });
        }
        return runtime;
      });
    const record: CommandContext['audit'] = async (event) => {
      const { audit } = await import('../lib/audit');
      await audit((await getRuntime()).db.prisma, { actor, via: 'cli', ip: opts.clientIp ?? null, userAgent: `bulkhead ${spec.name}`, ...event });
    };
    const authorize = async (permission: Parameters<CommandContext['authorize']>[0]) => {
      if (roleAllows(actor.role, permission)) return;
      await record({ action: 'auth.denied', target: { type: 'command', id: spec.name }, summary: `bulkhead ${spec.name}: needs ${permission}`, outcome: 'denied' });
      throw new UserError(`${actor.name} (${actor.role}) may not do this: it needs ${permission}`, 3);
    };
    const ctx: CommandContext = {
      io,
      cwd,
      config,
      forwarded: Boolean(opts.forwardedRuntime),
      signal,
      runtime: getRuntime,
      actor,
      authorize,
      audit: record,
      stdin: async () => (stdin ??= opts.forwardedRuntime ? '' : await readStdin()),
      runCommand: runCli,
    };
    try {
      // A command sent with an API token runs only if it declares a permission the token holds;
      // the local operator (who can read BULKHEAD_HOME anyway) runs everything.
      if (actor.type !== 'local') {
        if (!spec.permission) throw new UserError(`\`bulkhead ${spec.name}\` runs only on the server's machine, not with an API token`, 3);
        await authorize(spec.permission);
      }
      const mod = await spec.load();
      code = (await mod.run(ctx, cmd.opts(), cmd.args)) ?? 0;
    } finally {
      if (runtime) await (runtime as { close(): Promise<void> }).close();
    }
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    return reportError(e, io);
  }
}

/** The one mapping of lib's error kinds (lib/errors.ts) to exit codes: 4 says "no such thing" to scripts. */
export const EXIT_CODE_OF_KIND: Record<ErrorKind, number> = {
  invalid: 1,
  forbidden: 1,
  'not-found': 4,
  conflict: 1,
  'too-many': 1,
  busy: 1,
  unavailable: 1,
};

function reportError(e: unknown, io: CommandIO): number {
  if (e instanceof CommanderError) {
    // help and version end here too, with exit code 0
    return e.exitCode;
  }
  if (e instanceof UserError) {
    io.err(e.message);
    return e.exitCode;
  }
  // anything lib/ refused for a person: its message as is, the exit code by kind
  if (isBulkheadError(e)) {
    io.err(e.message);
    return EXIT_CODE_OF_KIND[e.kind];
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.err(`bulkhead: ${err.message}`);
  if (process.env.BULKHEAD_DEBUG) io.err(err.stack ?? '');
  else io.err('(set BULKHEAD_DEBUG=1 for the stack trace)');
  return 1;
}
