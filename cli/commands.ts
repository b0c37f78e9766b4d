// The commands of `bulkhead`: their usage and options, and where their code is. A command's
// module is imported only when it runs.
import type { CommandContext } from './context';

export interface CommandModule {
  run(ctx: CommandContext, opts: Record<string, unknown>, args: string[]): Promise<number | void>;
}

export interface CommandSpec {
  name: string;
  /** name and arguments as commander reads them, e.g. "decode <files...>" */
  usage: string;
  summary: string;
  /** more help text, shown by `bulkhead help NAME` */
  details?: string;
  options?: Array<{ flags: string; description: string; default?: unknown; choices?: string[] }>;
  /**
   * none: needs no store. shared: needs the stores; goes through a running server that holds the
   * embedded store. owner: opens and holds the stores itself (serve, collect).
   */
  store: 'none' | 'shared' | 'owner';
  load(): Promise<CommandModule>;
}

export const COMMANDS: CommandSpec[] = [
  {
    name: 'serve',
    usage: 'serve',
    summary: 'run the web app, the flow collectors and the stores in one process (what `npm start` runs)',
    details:
      'On the embedded defaults one process must own the ClickHouse data directory, so the web app,\n' +
      'the UDP listeners and every query live here; other bulkhead commands go through this server.',
    options: [
      { flags: '-p, --port <port>', description: 'web port (default $BULKHEAD_PORT or 3000)' },
      { flags: '--host <address>', description: 'web listen address (default $BULKHEAD_HOST or 0.0.0.0)' },
      { flags: '--no-collect', description: 'do not start the UDP flow listeners' },
      { flags: '--dev', description: 'run the web app in development mode (hot reload)' },
    ],
    store: 'owner',
    load: () => import('./commands/serve'),
  },
  {
    name: 'doctor',
    usage: 'doctor',
    summary: 'check the configuration and whether the stores answer',
    options: [
      { flags: '--json', description: 'print the report as JSON' },
      { flags: '--env', description: 'list the environment variables Bulkhead reads' },
    ],
    store: 'shared',
    load: () => import('./commands/doctor'),
  },
];
