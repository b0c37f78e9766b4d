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
  {
    name: 'collect',
    usage: 'collect',
    summary: 'run the UDP flow collectors (NetFlow v5/v9 2055, IPFIX 4739, sFlow 6343) into the flow store, without the web app',
    details:
      'Any listener takes any of the four protocols; the ports only say where exporters send by default.\n' +
      'Every --status seconds one line: flows/s, exporters, decode errors, loss reported by exporters,\n' +
      'records dropped by the collector, kernel socket drops. Ctrl-C stores what is buffered and prints\n' +
      'the per-exporter summary. Like serve, it holds the embedded store; run it instead of serve, or\n' +
      'use serve, which runs the same collectors.',
    options: [
      { flags: '--listen <address>', description: 'listen address (default $BULKHEAD_LISTEN or 0.0.0.0, all interfaces)' },
      { flags: '--netflow-port <port>', description: 'NetFlow v5/v9 port (default 2055; 0 = off)' },
      { flags: '--ipfix-port <port>', description: 'IPFIX port (default 4739; 0 = off)' },
      { flags: '--sflow-port <port>', description: 'sFlow port (default 6343; 0 = off)' },
      { flags: '--allow <cidrs>', description: 'only these exporter addresses/CIDRs, comma separated (default $BULKHEAD_EXPORTER_ALLOW or all)' },
      { flags: '--receive-buffer <MiB>', description: 'socket receive buffer per listener (default 32; capped by net.core.rmem_max)' },
      { flags: '--status <seconds>', description: 'status line interval (default 10; 0 = none)' },
      { flags: '--duration <seconds>', description: 'stop after this long (default: until Ctrl-C)' },
      { flags: '--json', description: 'print the final statistics as JSON on stdout' },
    ],
    store: 'owner',
    load: () => import('./commands/collect'),
  },
  {
    name: 'decode',
    usage: 'decode <files...>',
    summary: 'print the flow records in pcap/pcapng captures of NetFlow/IPFIX/sFlow traffic, one JSON object per line',
    details:
      'Files are read in order with one template state: give the capture with the templates first.\n' +
      'A summary (per exporter: datagrams, records, templates, errors) goes to stderr. Needs no store.\n' +
      'Example: bulkhead decode templates.pcap data.pcap | jq -c \'select(.dstPort == 443)\'',
    options: [
      { flags: '--port <ports>', description: 'only UDP datagrams to these ports, comma separated (default: whatever looks like flow telemetry)' },
      { flags: '--limit <n>', description: 'stop after n records' },
      { flags: '--no-summary', description: 'no summary on stderr' },
    ],
    store: 'none',
    load: () => import('./commands/decode'),
  },
  {
    name: 'ingest',
    usage: 'ingest <source> <files...>',
    summary: 'store the flow records of pcap/pcapng captures (bulkhead ingest pcap FILE...)',
    details:
      'The same decoding as decode, stored like the UDP collectors store flows. Files are read in order\n' +
      'with one template state (templates first). A capture ingested before is read again only for its\n' +
      'templates, unless --force. Cloud flow logs and inventory: bulkhead import.',
    options: [
      { flags: '--port <ports>', description: 'only UDP datagrams to these ports, comma separated' },
      { flags: '--force', description: 'store captures that were ingested before again' },
    ],
    store: 'shared',
    load: () => import('./commands/ingest'),
  },
  {
    name: 'import',
    usage: 'import <what> [paths...]',
    summary: 'import cloud flow logs (aws, gcp, azure: files, directories, .gz) or inventory (JSON, CSV, vCenter, Kubernetes, EC2)',
    details:
      'Flow logs:\n' +
      '  import aws PATH...       VPC/Transit Gateway flow logs: S3 objects (header line), CloudWatch Logs JSON\n' +
      '                           or exports; versions 2-8; --fields for files without a header line\n' +
      '  import gcp PATH...       VPC Flow Logs exported from Cloud Logging (JSON, JSON lines)\n' +
      '  import azure PATH...     NSG flow logs (v1, v2) and VNet flow logs (v4), PT1H.json blobs\n' +
      '  import aws --watch DIR   and keep importing files as they arrive (Ctrl-C stops)\n' +
      'Directories are read recursively; files imported before (same content) are skipped; the same\n' +
      'traffic logged at two interfaces counts once. docs/cloud-flow-logs.md.\n' +
      'Inventory:\n' +
      '  import inventory FILE...  format by content: json, csv, vcenter (govc/PowerCLI JSON), kubernetes\n' +
      '                           (kubectl get pods,services,nodes -A -o json), aws (ec2 describe-instances,\n' +
      '                           describe-network-interfaces); --stdin reads standard input\n' +
      '  import inventory --from-flows [--since 7d]   VM identity the flows carry (VMware, AWS, GCP)\n' +
      'docs/inventory.md.',
    options: [
      { flags: '--fields <format>', description: 'aws: the fields of files without a header line ("version account-id ..." or "${version} ...")' },
      { flags: '--at <time>', description: 'inventory: when it was true (default now); aws: time for formats without start/end' },
      { flags: '--watch <dir>', description: 'flow logs: import new files as they arrive in this directory' },
      { flags: '--interval <seconds>', description: 'with --watch: seconds between looks (default 5)' },
      { flags: '--force', description: 'flow logs: import files again that were imported before' },
      { flags: '--errors <n>', description: 'rejected lines to list in the summary (default 20)' },
      { flags: '--json', description: 'flow logs: print the summary as JSON' },
      { flags: '--format <format>', description: 'inventory: json | csv | vcenter | kubernetes | aws (default: from the content)' },
      { flags: '--source <name>', description: 'inventory: source name recorded on bindings (default: the format), e.g. vcenter-east' },
      { flags: '--prune', description: 'inventory: the file is the complete inventory of its source; release addresses of workloads it no longer lists' },
      { flags: '--dry-run', description: 'inventory: report the changes without writing them' },
      { flags: '--stdin', description: 'inventory: read the file from standard input' },
      { flags: '--from-flows', description: 'inventory: VM identity seen in the flows' },
      { flags: '--since <when>', description: 'with --from-flows: 7d, 12h or a time (default 7d)' },
    ],
    store: 'shared',
    permission: 'inventory:write',
    readsStdin: (o) => Boolean(o.stdin),
    load: () => import('./commands/import'),
  },
  {
    name: 'networks',
    usage: 'networks [action] [args...]',
    summary: 'named networks for addresses that are not workloads, address lookup over time, reverse DNS',
    details:
      'Actions:\n' +
      '  networks list                                   named networks (built-in: private (unnamed), internet, ...)\n' +
      '  networks add NAME CIDR... [--kind K] [--replace] kinds: user, internet, partner, datacenter, cloud, other\n' +
      '  networks remove NAME\n' +
      '  networks lookup ADDRESS [--at TIME]             the workload that held it then, or its network\n' +
      '  networks dns [--since 7d] [--limit 500]         reverse DNS of busy addresses no inventory names\n' +
      'docs/identity.md.',
    options: [
      { flags: '--kind <kind>', description: 'add: user | internet | partner | datacenter | cloud | other (default user)' },
      { flags: '--replace', description: 'add: replace the CIDRs of an existing network (default: add to them)' },
      { flags: '--at <time>', description: 'lookup: at this time (default now)' },
      { flags: '--since <when>', description: 'dns: addresses seen since (7d, 12h or a time; default 7d)' },
      { flags: '--limit <n>', description: 'dns: at most n addresses, busiest first (default 500)' },
      { flags: '--server <ip>', description: 'dns: DNS server to ask (default: the system resolver)' },
      { flags: '--concurrency <n>', description: 'dns: lookups in parallel (default 16)' },
      { flags: '--json', description: 'list, lookup: print JSON' },
    ],
    store: 'shared',
    permission: 'map:read',
    load: () => import('./commands/networks'),
  },
];
