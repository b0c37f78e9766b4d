// The commands of `bulkhead`: their usage and options, and where their code is. A command's
// module is imported only when it runs.
import type { Permission } from '../lib/auth/permissions';
import type { CommandContext } from './context';
import { DISCOVERY_DAYS, FLOW_RECORDS_DAYS } from '../lib/analysis/window';

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
      { flags: '--extras <policy>', description: 'decoded extras to store: identity (VM/app/NAT/VRF identity; default), all, none' },
      { flags: '--batch <records>', description: 'records per insert (default 50000); up to three batches wait before records are dropped' },
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
      { flags: '--extras <policy>', description: 'decoded extras to store: identity (default), all, none' },
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
      'docs/inventory.md.\n' +
      'Policy:\n' +
      '  import baseline FILE     rules of a Bulkhead baseline (YAML/JSON, docs/baseline.schema.json); --stdin reads stdin',
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
      '  networks list                                   named networks, and those discovery suggests for unknown clients\n' +
      '  networks add NAME CIDR... [--kind K] [--replace] kinds: user, internet, partner, datacenter, cloud, other\n' +
      '  networks accept NAME [--as NEW] [--cidr CIDR]   accept a suggested network, renamed or narrowed\n' +
      '  networks remove NAME                            a network; a suggestion is declined (not suggested again)\n' +
      '  networks lookup ADDRESS [--at TIME]             the workload that held it then, or its network\n' +
      '  networks dns [--since 7d] [--limit 500]         reverse DNS of busy addresses no inventory names\n' +
      'docs/identity.md.',
    options: [
      { flags: '--kind <kind>', description: 'add, accept: user | internet | partner | datacenter | cloud | other (default user)' },
      { flags: '--replace', description: 'add: replace the CIDRs of an existing network (default: add to them)' },
      { flags: '--as <name>', description: 'accept: the name to give the suggested network' },
      { flags: '--cidr <cidr>', description: 'accept: a narrower range inside the suggestion' },
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
  {
    name: 'analyze',
    usage: 'analyze',
    summary: 'discover applications and dependencies over a window (default: the last 30 days)',
    details:
      'Prints coverage, dependencies, shared core services, management paths, scanners left out,\n' +
      'applications with roles, and whether discovery has converged; --json prints the stable JSON\n' +
      'form (docs/discovery.md). Inferred applications, roles and environments are saved as\n' +
      'suggestions (labels with source "inferred", unconfirmed) unless --no-save; labels from\n' +
      'inventory or people always win.',
    options: [
      { flags: '--from <time>', description: 'start of the window (ISO 8601, e.g. 2026-03-01 or 2026-03-01T00:00:00Z)' },
      { flags: '--to <time>', description: 'end of the window, exclusive (default now)' },
      { flags: '--days <n>', description: `window length when --from is not given (default ${DISCOVERY_DAYS})` },
      { flags: '--json', description: 'print the analysis as JSON (docs/discovery.md)' },
      { flags: '--level <level>', description: 'print the graph at one level: environment, application, role or workload' },
      { flags: '--application <id>', description: 'with --level: only edges touching this application (e.g. orders@prod)' },
      { flags: '--no-save', description: 'do not save inferred labels and applications as suggestions' },
      { flags: '--no-labels', description: 'ignore existing labels (measures what structure and names alone find; nothing is saved)' },
      { flags: '--no-names', description: 'ignore hostnames as evidence' },
    ],
    store: 'shared',
    permission: 'map:read',
    load: () => import('./commands/analyze'),
  },
  {
    name: 'map',
    usage: 'map',
    summary: 'the dependency map of a window: its size, or with --policy the verdict of every dependency (the map\'s policy overlay)',
    details:
      '--json prints the map data the map page folds (GET /api/v1/map, decoded), or with --policy the\n' +
      'overlay (GET /api/v1/map/policy): allowed, proposed (approval pending), blocked (the server is under\n' +
      'approved policy and nothing approved allows it), norule. The same readers as the map page (docs/ui.md).',
    options: [
      { flags: '--from <time>', description: 'window start (ISO 8601; default: --days before --to)' },
      { flags: '--to <time>', description: 'window end (default now)' },
      { flags: '--days <n>', description: `window length when --from is not given (default ${DISCOVERY_DAYS})` },
      { flags: '--policy', description: 'the policy verdict of every dependency' },
      { flags: '--top <n>', description: 'with --policy: dependencies to list per verdict (default 20)' },
      { flags: '--json', description: 'print JSON' },
    ],
    store: 'shared',
    permission: 'map:read',
    load: () => import('./commands/map'),
  },
  {
    name: 'flows',
    usage: 'flows',
    summary: 'raw flow records of a window, newest first, filtered by client, server, port and protocol (the flows page)',
    details:
      'Filters (several values separated by commas): a workload name or id (w:ID), app:APPLICATION,\n' +
      'role:APP/ROLE, env:NAME, ep:CIDR (a network endpoint of the map), an address or a CIDR. Each\n' +
      'side shows the workload that held the address when the flow was seen. Pages: the output ends\n' +
      'with the --before value of the next page. The same reader as the flows page (docs/ui.md).',
    options: [
      { flags: '--from <time>', description: 'window start (ISO 8601; default: --days before --to)' },
      { flags: '--to <time>', description: 'window end (default now)' },
      { flags: '--days <n>', description: `window length when --from is not given (default ${FLOW_RECORDS_DAYS})` },
      { flags: '--client <filter>', description: 'the client side' },
      { flags: '--server <filter>', description: 'the server side' },
      { flags: '--endpoint <filter>', description: 'either side' },
      { flags: '--port <ports>', description: 'server ports: 443, tcp/443, 8000-8100, udp (comma separated)' },
      { flags: '--protocol <protocol>', description: 'tcp, udp, icmp or a protocol number' },
      { flags: '--limit <n>', description: 'rows per page, 1 to 1000 (default 50)' },
      { flags: '--before <time>', description: 'the next page: rows that started before this time' },
      { flags: '--json', description: 'print the page as JSON (as GET /api/v1/flows sends it)' },
    ],
    store: 'shared',
    permission: 'flows:read',
    load: () => import('./commands/flows'),
  },
  {
    name: 'edge',
    usage: 'edge <client> <server>',
    summary: 'what is behind one line of the map: its dependencies, flows over time and the latest flow records',
    details:
      'CLIENT and SERVER are nodes of the map: a workload name or id (w:ID), an application id\n' +
      '(app:orders@prod), role:APP/ROLE, env:NAME, zone:core|management|external, or a network or\n' +
      'address endpoint (ep:CIDR). The same reader as the line details of the map page (docs/ui.md).',
    options: [
      { flags: '--from <time>', description: 'window start (ISO 8601; default: --days before --to)' },
      { flags: '--to <time>', description: 'window end (default now)' },
      { flags: '--days <n>', description: `window length when --from is not given (default ${DISCOVERY_DAYS})` },
      { flags: '--ports <ports>', description: 'only these ports, as the map labels them: tcp/443,udp/53,icmp' },
      { flags: '--exclude-core', description: 'leave out dependencies on shared core services' },
      { flags: '--exclude-management', description: 'leave out management paths' },
      { flags: '--json', description: 'print the details as JSON (as GET /api/v1/map/edge sends them)' },
    ],
    store: 'shared',
    permission: 'flows:read',
    load: () => import('./commands/edge'),
  },
  {
    name: 'applications',
    usage: 'applications [action] [ids...]',
    summary: 'applications of a window: list, show ID (members, roles, owners, rules, what they depend on and who uses them), confirm',
    details:
      'Actions:\n' +
      '  applications list             every application discovery found, with its owners and neighbours\n' +
      '  applications show ID          one application (ID as listed: name@environment)\n' +
      '  applications confirm ID...    make discovery\'s grouping a fact, as Confirm on its page does:\n' +
      '                                rules naming an inferred application wait for it (admins, architects)\n' +
      '  applications confirm --inferred   every inferred application of the window nobody confirmed\n' +
      'The same reader as the applications page (docs/ui.md).',
    options: [
      { flags: '--inferred', description: 'with confirm: every inferred application not yet confirmed' },
      { flags: '--from <time>', description: 'window start (ISO 8601; default: --days before --to)' },
      { flags: '--to <time>', description: 'window end (default now)' },
      { flags: '--days <n>', description: `window length when --from is not given (default ${DISCOVERY_DAYS})` },
      { flags: '--json', description: 'print JSON (as GET /api/v1/applications sends it)' },
    ],
    store: 'shared',
    permission: 'map:read',
    load: () => import('./commands/applications'),
  },
  {
    name: 'workloads',
    usage: 'workloads [action] [id]',
    summary: 'workloads with what discovery says of them: list (filtered, paged), show NAME|ID (labels, address history, neighbours)',
    details:
      'Actions:\n' +
      '  workloads list [--search TEXT] [--app APP] [--role ROLE] [--env ENV] [--unconfirmed]\n' +
      '  workloads show NAME|ID\n' +
      'The same reader as the workloads page (docs/ui.md).',
    options: [
      { flags: '--from <time>', description: 'window start (ISO 8601; default: --days before --to)' },
      { flags: '--to <time>', description: 'window end (default now)' },
      { flags: '--days <n>', description: `window length when --from is not given (default ${DISCOVERY_DAYS})` },
      { flags: '--search <text>', description: 'list: name, address prefix or label (key=value) containing this' },
      { flags: '--app <id>', description: 'list: members of this application (name@environment)' },
      { flags: '--role <role>', description: 'list: workloads with this role' },
      { flags: '--env <environment>', description: 'list: workloads of this environment' },
      { flags: '--unconfirmed', description: 'list: only workloads with suggested labels nobody confirmed' },
      { flags: '--offset <n>', description: 'list: skip this many (default 0)' },
      { flags: '--limit <n>', description: 'list: at most this many, 1 to 1000 (default 100)' },
      { flags: '--json', description: 'print JSON (as GET /api/v1/workloads sends it)' },
    ],
    store: 'shared',
    permission: 'map:read',
    load: () => import('./commands/workloads'),
  },
  {
    name: 'demo',
    usage: 'demo',
    summary: 'load a generated multi-environment estate with its ground truth (for demos and measuring discovery)',
    details:
      'Generates a few hundred workloads in tiered applications over prod, staging and dev, shared\n' +
      'core services, jump hosts, scanners, IP reuse, users, internet clients and weeks of flows,\n' +
      'then writes the inventory and generates the flows inside ClickHouse. Load it into an empty\n' +
      'home (BULKHEAD_HOME=./demo-home bulkhead demo); --evaluate measures the analysis against\n' +
      'the ground truth (adjusted mutual information, edge precision and recall).',
    options: [
      { flags: '--workloads <n>', description: 'approximate number of workloads (default 300)' },
      { flags: '--days <n>', description: 'days of flows ending now (default 35)' },
      { flags: '--seed <n>', description: 'seed: the same seed gives the same estate (default 1)' },
      { flags: '--replace', description: 'replace a demo loaded before' },
      { flags: '--evaluate', description: 'measure the analysis against the ground truth (loads the demo first if none is loaded)' },
      { flags: '--json', description: 'print the result as JSON' },
    ],
    store: 'shared',
    permission: 'inventory:write',
    load: () => import('./commands/demo'),
  },
  {
    name: 'propose',
    usage: 'propose',
    summary: 'propose label-based allow rules from discovery over a window (re-proposing updates, never duplicates)',
    details:
      'Runs discovery over the window (default the last 30 days), saves the inferred labels as suggestions,\n' +
      'and proposes rules coarse to fine: shared core services (one rule for everyone), management from\n' +
      'jump hosts only, application to application, role to role, clients and internet egress. Scanners\n' +
      'never produce rules. Approved rules are never changed; new ports next to them become new proposals.\n' +
      'docs/policy.md.',
    options: [
      { flags: '--from <time>', description: 'window start (ISO 8601; default: --days before --to)' },
      { flags: '--to <time>', description: 'window end (default now)' },
      { flags: '--days <n>', description: `window length when --from is not given (default ${DISCOVERY_DAYS})` },
      { flags: '--granularity <g>', description: 'environment | application | role | workload (default role)', choices: ['environment', 'application', 'role', 'workload'] },
      { flags: '--ports <p>', description: 'exact | ranges | protocol: observed ports, nearby ports as ranges, or every port (default exact)', choices: ['exact', 'ranges', 'protocol'] },
      { flags: '--range-gap <n>', description: 'with --ports ranges: ports at most this far apart join a range (default 10)' },
      { flags: '--cover <share>', description: 'use a coarser selector for core-service clients when this share of it are clients (default 0.9)' },
      { flags: '--dry-run', description: 'show the proposals without saving anything' },
      { flags: '--json', description: 'print the proposals as JSON' },
    ],
    store: 'shared',
    permission: 'rules:propose',
    load: () => import('./commands/propose'),
  },
  {
    name: 'rules',
    usage: 'rules <action> [ids...]',
    summary: 'review allow rules: list, show (evidence, history), approve, reject, narrow, add',
    details:
      'Actions:\n' +
      '  rules list [--status proposed,approved|all] [--app APP [--env ENV [--direction in|out|both]]] [--json]\n' +
      '  rules show ID                         evidence, intent and history\n' +
      '  rules approve ID... | --app APP [--env ENV] | --all [--comment C] [--expires TIME]   (--expires: a temporary exception)\n' +
      '  With --env: the application in that environment, both directions (what reaches it and what it\n' +
      '  reaches); rules over applications discovery inferred and nobody confirmed are refused.\n' +
      '  rules reject ID... --comment C\n' +
      '  rules narrow ID [--from SEL] [--to SEL] [--ports P] [--intent T] [--expires TIME|never] --comment C\n' +
      '  rules add --from SEL --to SEL --ports P --intent T [--app APP]\n' +
      'IDs: the full id or at least 6 of its last characters (as listed). Selectors: app=orders,role=db,\n' +
      'a CIDR (10.0.0.0/8, "0.0.0.0/0 except 10.0.0.0/8"), * (every workload) or any. Ports: tcp/5432,\n' +
      'tcp/8000-8100, udp/53, icmp, tcp (every port), any. App owners review rules of their applications.',
    options: [
      { flags: '--status <list>', description: 'list: statuses, comma separated, or all (default proposed,approved)' },
      { flags: '--app <app>', description: 'the rules of one application (name or id)' },
      { flags: '--env <env>', description: 'with --app: the application in this environment (env label; "" for none), rules in both directions' },
      { flags: '--direction <d>', description: 'list with --app --env: in (reaching it), out (it reaches), both (default)', choices: ['in', 'out', 'both'] },
      { flags: '--kind <kind>', description: 'list: core-service, core-agent, management, intra-app, cross-app, ingress, egress, environment' },
      { flags: '--all', description: 'approve/reject: every proposed rule you may review' },
      { flags: '--comment <text>', description: 'why (required to reject and narrow)' },
      { flags: '--expires <time>', description: 'approve/narrow/add: stop allowing at this time (a temporary exception); never removes it' },
      { flags: '--from <selector>', description: 'narrow/add: the client side' },
      { flags: '--to <selector>', description: 'narrow/add: the server side' },
      { flags: '--ports <ports>', description: 'narrow/add: ports' },
      { flags: '--intent <text>', description: 'narrow/add: the business reason, one sentence' },
      { flags: '--limit <n>', description: 'list: at most n rules' },
      { flags: '--json', description: 'print JSON' },
    ],
    store: 'shared',
    permission: 'map:read',
    load: () => import('./commands/rules'),
  },
  {
    name: 'simulate',
    usage: 'simulate',
    summary: 'what a policy would allow and block in observed traffic: per application, top would-block, coverage; --monitor: drift, stale, expired',
    details:
      'Policies: approved (default), proposed (approved + open proposals), baseline:NAME[@VERSION], a\n' +
      'baseline file (YAML/JSON), or - (a baseline on standard input). Evaluated in ClickHouse over the\n' +
      'hourly rollup with identity by time. By default only enforced applications block (bulkhead enforce),\n' +
      'as the exports would; --enforcement all blocks everywhere. --monitor: traffic since the last approval the approved policy\n' +
      'would block (drift), approved rules without hits in --stale-days, exceptions past their expiry.',
    options: [
      { flags: '--from <time>', description: 'window start (ISO 8601; default: --days before --to)' },
      { flags: '--to <time>', description: 'window end (default now)' },
      { flags: '--days <n>', description: `window length when --from is not given (default ${DISCOVERY_DAYS}, the window rules are proposed from)` },
      { flags: '--policy <policy>', description: 'approved | proposed | baseline:NAME[@V] | FILE | - (default approved)' },
      { flags: '--top <n>', description: 'would-block dependencies to list (default 20)' },
      { flags: '--enforcement <mode>', description: 'as-set: block only where an enforced application and environment would drop (as exported; default) | all: as if every workload were enforced' },
      { flags: '--monitor', description: 'monitor mode for the approved policy' },
      { flags: '--since <time>', description: 'monitor: drift since this time (default the latest approval)' },
      { flags: '--stale-days <n>', description: 'monitor: rules without hits for this many days are stale (default 30)' },
      { flags: '--json', description: 'print the result as JSON' },
    ],
    store: 'shared',
    permission: 'map:read',
    readsStdin: (o) => o.policy === '-',
    load: () => import('./commands/simulate'),
  },
  {
    name: 'blast-radius',
    usage: 'blast-radius [workload]',
    summary: 'what a compromised workload can reach: flat network vs proposed vs approved policy, one hop and lateral movement',
    options: [{ flags: '--json', description: 'print the result as JSON' }],
    store: 'shared',
    permission: 'map:read',
    load: () => import('./commands/blast-radius'),
  },
  {
    name: 'enforce',
    usage: 'enforce [app]',
    summary: 'enforcement state of an application per environment: visibility (default), test (log only), enforced',
    details:
      'Usage:\n' +
      '  enforce APP [--env ENV] --state visibility|test|enforced [--force]\n' +
      '  enforce APP [--env ENV] --readiness [--json]\n' +
      '  enforce APP [--env ENV] --decide ID[,ID...] --allow|--accept-block [--comment TEXT]\n' +
      '  enforce --list [APP] [--json]\n' +
      'Before enforced: the readiness gate lists what the approved rules would block of the\n' +
      'traffic observed in the discovery window, to and from the application (scanners left\n' +
      'out); each needs a decision (--allow proposes a rule, --accept-block lets it be dropped).\n' +
      '--force enforces with undecided dependencies (audited).\n' +
      'Exports drop what the rules do not allow only on workloads of an enforced application and\n' +
      'environment (its app and env labels); test logs it and lets it through where the target can;\n' +
      'visibility leaves the workloads open. Without --env: the one environment the application\n' +
      'is in. App owners set the state of their applications; admins and architects of any.\n' +
      'docs/policy.md, "Enforcement states".',
    options: [
      { flags: '--env <env>', description: 'the environment (env label value; "" for workloads without one)' },
      { flags: '--state <state>', description: 'visibility | test | enforced', choices: ['visibility', 'test', 'enforced'] },
      { flags: '--list', description: 'every application and environment with its state' },
      { flags: '--readiness', description: 'what enforcing would block, to and from the application, and the decisions taken' },
      { flags: '--decide <ids>', description: 'decide would-block dependencies of --readiness (their IDs, comma-separated)' },
      { flags: '--allow', description: 'with --decide: propose a rule that allows it' },
      { flags: '--accept-block', description: 'with --decide: it may be dropped' },
      { flags: '--comment <text>', description: 'with --decide: why' },
      { flags: '--force', description: 'with --state enforced: enforce although dependencies are undecided (audited)' },
      { flags: '--json', description: 'print JSON' },
    ],
    store: 'shared',
    permission: 'map:read',
    load: () => import('./commands/enforce'),
  },
  {
    name: 'export',
    usage: 'export',
    summary: 'policy files: baseline (YAML/JSON), Kubernetes, Cilium, Calico (staged too), AWS security groups (Terraform), NSX, nftables',
    details:
      'Formats: baseline, kubernetes, cilium, calico, calico-staged, aws, nsx, nftables. Without -o the\n' +
      'files go to standard output. nftables writes one ruleset per host into the -o directory, or\n' +
      'into one archive when the name ends in .tar.gz (or .tgz); --check runs nft -c on each.\n' +
      'docs/exports.md says what each format cannot express.',
    options: [
      { flags: '--format <format>', description: 'baseline | kubernetes | cilium | calico | calico-staged | aws | nsx | nftables' },
      { flags: '--status <status>', description: 'approved | proposed | all (approved + proposed) (default approved)' },
      { flags: '--baseline <ref>', description: 'export a stored baseline (NAME or NAME@VERSION) instead of the current rules' },
      { flags: '-o, --output <path>', description: 'file (baseline: .yaml/.yml/.json decides the format), directory for nftables, or NAME.tar.gz for the files as one archive' },
      { flags: '--namespace <ns>', description: 'calico-staged: StagedNetworkPolicy in this namespace (kubernetes/cilium write each policy in its pods\' own namespace)' },
      { flags: '--label-prefix <prefix>', description: 'calico: prefix for label keys, e.g. bulkhead.io/ (kubernetes/cilium select pods by their own labels)' },
      { flags: '--domain <domain>', description: 'nsx: policy domain (default "default")' },
      { flags: '--name <name>', description: 'name written into the baseline document' },
      { flags: '--at <time>', description: 'resolve labels to the workloads and addresses of this time (default now): the policy as it applied then' },
      { flags: '--check', description: 'nftables: check every ruleset with nft -c' },
      { flags: '--schema', description: 'print the JSON Schema of the baseline format and exit' },
    ],
    store: 'shared',
    permission: 'policy:export',
    load: () => import('./commands/export'),
  },
  {
    name: 'baselines',
    usage: 'baselines <action> [args...]',
    summary: 'immutable, versioned snapshots of the approved rules: list, show, create, diff',
    details:
      'Actions:\n' +
      '  baselines list [NAME]\n' +
      '  baselines show NAME[@VERSION] [--json]\n' +
      '  baselines create NAME [--note TEXT]        snapshot the approved rules as the next version\n' +
      '  baselines diff NAME@1 NAME@2               rules added, removed, changed; workloads relabelled',
    options: [
      { flags: '--note <text>', description: 'create: what this version is for' },
      { flags: '--json', description: 'print JSON' },
    ],
    store: 'shared',
    permission: 'map:read',
    load: () => import('./commands/baselines'),
  },
];
