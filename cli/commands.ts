// The commands of `bulkhead`: their usage and options, and where their code is. A command's
// module is imported only when it runs.
import type { Permission } from '../lib/auth/permissions';
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
  /**
   * What a caller with an API token (a CLI on another machine) needs to run this command; without
   * it, the command runs only for the local operator (docs/security.md).
   */
  permission?: Permission;
  /** Whether, with these options, the command reads standard input (sent along when forwarded). */
  readsStdin?: (opts: Record<string, unknown>) => boolean;
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
    permission: 'map:read',
    load: () => import('./commands/doctor'),
  },
  {
    name: 'users',
    usage: 'users <action> [args...]',
    summary: 'accounts: list, add (the first admin too), set role or name, disable/enable, reset a password, remove',
    details:
      'Actions:\n' +
      '  users list                          every user with role, state and owned applications\n' +
      '  users add EMAIL --role ROLE         create a user; prints a generated password once\n' +
      '  users add --admin EMAIL             the first admin (there is no default account or password)\n' +
      '  users set EMAIL --role ROLE | --name NAME | --disable | --enable\n' +
      '  users passwd EMAIL                  new generated password (or --password-stdin); signs them out\n' +
      '  users remove EMAIL --yes            delete the user, their sessions, tokens and ownerships\n' +
      'Roles: admin, architect, owner, viewer (docs/security.md). Run on the server machine, or with\n' +
      'BULKHEAD_URL + BULKHEAD_TOKEN of an admin.',
    options: [
      { flags: '--role <role>', description: 'admin | architect | owner | viewer', choices: ['admin', 'architect', 'owner', 'viewer'] },
      { flags: '--admin', description: 'same as --role admin' },
      { flags: '--name <name>', description: 'display name (default: the part of the email before @)' },
      { flags: '--password-stdin', description: 'read the password from standard input instead of generating one' },
      { flags: '--sso-only', description: 'no password: the user signs in with single sign-on only' },
      { flags: '--disable', description: 'users set: disable (signs them out everywhere; their tokens stop working)' },
      { flags: '--enable', description: 'users set: enable again' },
      { flags: '--yes', description: 'users remove: really delete' },
      { flags: '--json', description: 'print JSON' },
    ],
    store: 'shared',
    permission: 'users:admin',
    readsStdin: (o) => Boolean(o.passwordStdin),
    load: () => import('./commands/users'),
  },
  {
    name: 'tokens',
    usage: 'tokens <action> [args...]',
    summary: 'API tokens for automation and remote CLIs: create, list, revoke (stored hashed, scoped by role)',
    details:
      'Actions:\n' +
      '  tokens create NAME --user EMAIL [--role ROLE] [--expires-days N]   prints the token once\n' +
      '  tokens list [--user EMAIL] [--all]\n' +
      '  tokens revoke ID|PREFIX\n' +
      'Use a token from another machine: BULKHEAD_URL=https://bulkhead.example BULKHEAD_TOKEN=bh_... bulkhead doctor\n' +
      'With a token, people manage their own tokens; admins anyone\'s.',
    options: [
      { flags: '--user <email>', description: 'whose token (default with a token: your own)' },
      { flags: '--role <role>', description: 'role of the token (default: the user\'s; never above it)', choices: ['admin', 'architect', 'owner', 'viewer'] },
      { flags: '--expires-days <n>', description: 'expires after n days (default: never)' },
      { flags: '--all', description: 'tokens list: revoked and expired too' },
      { flags: '--json', description: 'print JSON' },
    ],
    store: 'shared',
    permission: 'account:manage',
    load: () => import('./commands/tokens'),
  },
  {
    name: 'audit',
    usage: 'audit <action>',
    summary: 'the audit log: list recent events, or export them as JSON lines for a SIEM',
    details:
      'Actions:\n' +
      '  audit list [filters] [--limit N]     newest first, one line each\n' +
      '  audit export [filters] > audit.jsonl oldest first, one JSON object per line\n' +
      'Filters: --from/--to (2026-03-01 or 2026-03-01T12:00Z; UTC), --action (rule.approve, or an area: auth.),\n' +
      '--actor (email contains), --outcome ok|failed|denied, --ip.',
    options: [
      { flags: '--from <time>', description: 'events at or after (UTC)' },
      { flags: '--to <time>', description: 'events before (a date alone: through that day)' },
      { flags: '--action <action>', description: 'an action, or an area ending in "." (auth.)' },
      { flags: '--actor <text>', description: 'actor name (email) contains' },
      { flags: '--outcome <outcome>', description: 'ok | failed | denied', choices: ['ok', 'failed', 'denied'] },
      { flags: '--ip <address>', description: 'from this address' },
      { flags: '--limit <n>', description: 'audit list: at most n events (default 50)' },
    ],
    store: 'shared',
    permission: 'audit:read',
    load: () => import('./commands/audit'),
  },
  {
    name: 'owners',
    usage: 'owners <action> [args...]',
    summary: 'application owners, who review and approve the rules of their applications',
    details:
      'Actions:\n' +
      '  owners list [APP]                   applications and their owners\n' +
      '  owners set APP EMAIL...             replace the owners (no emails: none)\n' +
      '  owners add APP EMAIL...  /  owners remove APP EMAIL...\n' +
      'APP is the application name or id. Changing owners needs the admin or architect role.',
    options: [{ flags: '--json', description: 'print JSON' }],
    store: 'shared',
    permission: 'map:read',
    load: () => import('./commands/owners'),
  },
];
