// What business applications are made of (docs/estate-zoo.md, "Applications and their tiers"):
// the products a tier runs and the ports they serve, and for each kind of application its tiers
// and their sizes in production, its batch rhythm, who uses it, whom it calls, whose databases it
// reads and which internet APIs it reaches.

export type Role = 'web' | 'app' | 'worker' | 'db' | 'cache' | 'queue' | 'search' | 'file';
export type Os = 'linux' | 'windows';

export interface Product {
  os: Os;
  /** TCP ports the product serves; clients use the first */
  ports: number[];
  /** how the nodes of one tier talk among themselves: replicas to the primary, or all to all */
  peers?: { port: number; among: 'to-primary' | 'mesh' };
}

export const PRODUCTS = {
  nginx: { os: 'linux', ports: [443, 80] },
  apache: { os: 'linux', ports: [443, 80] },
  iis: { os: 'windows', ports: [443, 80] },
  tomcat: { os: 'linux', ports: [8080, 8443] },
  jboss: { os: 'linux', ports: [8443, 8080] },
  node: { os: 'linux', ports: [3000] },
  gunicorn: { os: 'linux', ports: [8000] },
  play: { os: 'linux', ports: [9000] },
  dotnet: { os: 'windows', ports: [5000, 443] },
  iisApp: { os: 'windows', ports: [8443, 443] },
  // managed file transfer: SFTP for partners and HTTPS for people
  mft: { os: 'linux', ports: [22, 443] },
  mftWindows: { os: 'windows', ports: [22, 443] },
  batch: { os: 'linux', ports: [] },
  batchWindows: { os: 'windows', ports: [] },
  postgres: { os: 'linux', ports: [5432], peers: { port: 5432, among: 'to-primary' } },
  mysql: { os: 'linux', ports: [3306], peers: { port: 3306, among: 'to-primary' } },
  mssql: { os: 'windows', ports: [1433], peers: { port: 1433, among: 'to-primary' } },
  oracle: { os: 'linux', ports: [1521], peers: { port: 1521, among: 'to-primary' } },
  mongodb: { os: 'linux', ports: [27017], peers: { port: 27017, among: 'mesh' } },
  redis: { os: 'linux', ports: [6379], peers: { port: 6379, among: 'to-primary' } },
  // memcached nodes do not talk to each other: clients shard across them
  memcached: { os: 'linux', ports: [11211] },
  rabbitmq: { os: 'linux', ports: [5672], peers: { port: 25672, among: 'mesh' } },
  kafka: { os: 'linux', ports: [9092], peers: { port: 9092, among: 'mesh' } },
  activemq: { os: 'linux', ports: [61616], peers: { port: 61616, among: 'mesh' } },
  elasticsearch: { os: 'linux', ports: [9200], peers: { port: 9300, among: 'mesh' } },
  nfs: { os: 'linux', ports: [2049, 111] },
  smb: { os: 'windows', ports: [445] },
} as const satisfies Record<string, Product>;
export type ProductName = keyof typeof PRODUCTS;

export interface TierSpec {
  role: Role;
  /** machines in production, [fewest, most] */
  prod: [number, number];
  linux: ProductName[];
  /** products when the application is built on the Windows stack (default: `linux`) */
  windows?: ProductName[];
  /** chance the application has this tier (default 1) */
  chance?: number;
}

export type Rhythm = 'nightly' | 'weekly' | 'monthly';

/** A batch job: the worker tier (or the app tier without one) calls a target on a rhythm. */
export interface JobSpec {
  rhythm: Rhythm;
  /** one of the application's own tiers, or an internet API (by name in INTERNET_APIS) */
  to: Role | { api: string };
  /** monthly jobs: the day of the month, 0 for the second Tuesday */
  dom?: number;
}

export interface AppKind {
  kind: string;
  /** names teams give applications of this kind */
  names: string[];
  tiers: TierSpec[];
  /** chance the application is built on the Windows stack (IIS, .NET, SQL Server) */
  windows: number;
  /** its web tier faces the internet */
  internet?: boolean;
  /** office users work with it (an internal web application) */
  users?: boolean;
  /** kinds of application whose app tier it calls */
  calls: string[];
  /** reads other applications' databases (reporting, ETL) */
  reads?: { count: [number, number]; rhythm: 'nightly' | 'weekly' };
  /** internet APIs its app tier reaches */
  egress: string[];
  jobs: JobSpec[];
  /** sends mail through the relay */
  mail?: boolean;
  /** its workers reach the internet through the web proxy */
  proxy?: boolean;
  /** a partner may call its API */
  partnerApi?: boolean;
}

const web = (prod: [number, number], chance = 1): TierSpec => ({ role: 'web', prod, linux: ['nginx', 'apache'], windows: ['iis'], chance });
const app = (prod: [number, number], linux: ProductName[] = ['tomcat', 'jboss', 'node', 'gunicorn', 'play'], chance = 1): TierSpec => ({
  role: 'app',
  prod,
  linux,
  windows: ['dotnet', 'iisApp'],
  chance,
});
const worker = (prod: [number, number], chance = 1): TierSpec => ({ role: 'worker', prod, linux: ['batch'], windows: ['batchWindows'], chance });
const db = (prod: [number, number], linux: ProductName[] = ['postgres', 'mysql', 'oracle']): TierSpec => ({
  role: 'db',
  prod,
  linux,
  windows: ['mssql'],
});
// caches, brokers and indexes run on Linux even under a Windows application
const cache = (prod: [number, number], chance: number): TierSpec => ({ role: 'cache', prod, linux: ['redis', 'memcached'], chance });
const queue = (prod: [number, number], chance = 1): TierSpec => ({ role: 'queue', prod, linux: ['rabbitmq', 'kafka', 'activemq'], chance });
const search = (prod: [number, number], chance = 1): TierSpec => ({ role: 'search', prod, linux: ['elasticsearch'], chance });
const file = (prod: [number, number], chance: number): TierSpec => ({ role: 'file', prod, linux: ['nfs'], windows: ['smb'], chance });

export const APP_KINDS: AppKind[] = [
  {
    kind: 'webshop',
    names: ['shop', 'webshop', 'estore', 'storefront', 'checkout'],
    tiers: [web([2, 6]), app([2, 6]), cache([1, 3], 0.7), db([1, 3], ['postgres', 'mysql']), worker([1, 3], 0.5)],
    windows: 0.1,
    internet: true,
    calls: ['payments', 'search', 'orders', 'inventory'],
    egress: ['maps', 'analytics', 'cdn-api'],
    jobs: [{ rhythm: 'nightly', to: 'db' }],
    mail: true,
  },
  {
    kind: 'portal',
    names: ['portal', 'intranet', 'partner-portal', 'employee-portal', 'myportal'],
    tiers: [web([1, 3], 0.9), app([1, 4]), cache([1, 2], 0.4), db([1, 2])],
    windows: 0.5,
    users: true,
    calls: ['hr', 'ticketing', 'crm', 'wiki'],
    egress: ['saas-identity'],
    jobs: [{ rhythm: 'weekly', to: 'db' }],
    partnerApi: true,
  },
  {
    kind: 'erp',
    names: ['erp', 'finance', 'ledger', 'procurement', 'sap'],
    tiers: [web([1, 2], 0.6), app([2, 6]), db([1, 3], ['oracle', 'postgres']), worker([1, 3], 0.8), file([1, 2], 0.5)],
    windows: 0.4,
    users: true,
    calls: ['hr', 'payments', 'billing'],
    egress: ['tax-api'],
    jobs: [
      { rhythm: 'nightly', to: 'db' },
      { rhythm: 'monthly', to: { api: 'bank-sftp' }, dom: 1 },
      { rhythm: 'weekly', to: 'file' },
    ],
    mail: true,
  },
  {
    kind: 'hr',
    names: ['hr', 'hris', 'hr-portal', 'people', 'payroll', 'recruiting'],
    tiers: [web([1, 2], 0.6), app([1, 3]), db([1, 2], ['postgres', 'oracle']), worker([1, 2], 0.5)],
    windows: 0.6,
    users: true,
    calls: [],
    egress: ['payroll-saas', 'background-check'],
    jobs: [
      { rhythm: 'monthly', to: 'db', dom: 25 },
      { rhythm: 'monthly', to: { api: 'bank-sftp' }, dom: 28 },
    ],
    mail: true,
  },
  {
    kind: 'bi',
    names: ['bi', 'reporting', 'analytics', 'dashboards', 'insights'],
    tiers: [web([1, 2], 0.8), app([1, 3], ['tomcat', 'play', 'gunicorn']), db([1, 2], ['postgres', 'mysql']), worker([1, 2])],
    windows: 0.5,
    users: true,
    calls: [],
    reads: { count: [2, 4], rhythm: 'nightly' },
    egress: [],
    jobs: [{ rhythm: 'nightly', to: 'db' }],
  },
  {
    kind: 'orders',
    names: ['orders', 'order-pipeline', 'fulfilment', 'order-hub', 'oms'],
    tiers: [web([1, 2], 0.3), app([2, 6]), queue([1, 3]), worker([2, 6]), db([1, 3], ['postgres', 'mysql', 'mongodb']), cache([1, 2], 0.5)],
    windows: 0.15,
    calls: ['payments', 'inventory', 'erp', 'billing'],
    egress: ['shipping-api'],
    jobs: [{ rhythm: 'nightly', to: 'db' }],
    mail: true,
    proxy: true,
    partnerApi: true,
  },
  {
    kind: 'payments',
    names: ['payments', 'pay', 'psp-connector', 'wallet', 'settlement'],
    tiers: [web([1, 2], 0.3), app([2, 4], ['tomcat', 'jboss']), db([2, 3], ['postgres', 'oracle']), cache([1, 2], 0.5), worker([1, 2], 0.6)],
    windows: 0.2,
    calls: [],
    egress: ['payment-gateway', 'fraud-api'],
    jobs: [
      { rhythm: 'nightly', to: { api: 'bank-sftp' } },
      { rhythm: 'weekly', to: 'db' },
    ],
    proxy: true,
  },
  {
    kind: 'search',
    names: ['search', 'catalog-search', 'find', 'product-search'],
    tiers: [app([1, 3], ['tomcat', 'node', 'gunicorn']), search([2, 6]), worker([1, 2], 0.7)],
    windows: 0,
    calls: [],
    egress: [],
    jobs: [{ rhythm: 'nightly', to: 'search' }],
  },
  {
    kind: 'file-transfer',
    names: ['mft', 'sftp', 'file-transfer', 'edi', 'filegate'],
    tiers: [{ role: 'app', prod: [1, 2], linux: ['mft'], windows: ['mftWindows'] }, file([1, 2], 1), db([1, 1], ['postgres', 'mysql'])],
    windows: 0.3,
    calls: [],
    egress: [],
    jobs: [{ rhythm: 'nightly', to: { api: 'partner-sftp' } }],
    partnerApi: true,
  },
  {
    kind: 'crm',
    names: ['crm', 'sales', 'customer360', 'accounts', 'leads'],
    tiers: [web([1, 3], 0.8), app([2, 4]), db([1, 2]), cache([1, 2], 0.4), worker([1, 2], 0.5)],
    windows: 0.4,
    users: true,
    calls: ['erp', 'billing'],
    egress: ['saas-crm', 'mail-api'],
    jobs: [{ rhythm: 'nightly', to: 'db' }],
    mail: true,
    proxy: true,
  },
  {
    kind: 'ticketing',
    names: ['ticketing', 'servicedesk', 'helpdesk', 'itsm', 'support'],
    tiers: [web([1, 2], 0.8), app([1, 3]), db([1, 2]), search([1, 3], 0.3), worker([1, 1], 0.4)],
    windows: 0.3,
    users: true,
    calls: [],
    egress: ['saas-chat'],
    jobs: [{ rhythm: 'nightly', to: 'db' }],
    mail: true,
  },
  {
    kind: 'warehouse',
    names: ['dwh', 'warehouse', 'datalake', 'edw', 'lakehouse'],
    tiers: [db([1, 3], ['postgres', 'oracle']), worker([1, 4]), app([1, 2], ['tomcat', 'play'], 0.5)],
    windows: 0.3,
    calls: [],
    reads: { count: [3, 6], rhythm: 'nightly' },
    egress: [],
    jobs: [{ rhythm: 'nightly', to: 'db' }],
  },
  {
    kind: 'inventory',
    names: ['inventory', 'stock', 'wms', 'supply', 'logistics'],
    tiers: [web([1, 2], 0.5), app([1, 4]), db([1, 2]), worker([1, 2], 0.6), queue([1, 3], 0.3)],
    windows: 0.3,
    calls: ['orders', 'erp'],
    egress: ['shipping-api'],
    jobs: [{ rhythm: 'nightly', to: 'db' }],
    partnerApi: true,
  },
  {
    kind: 'cms',
    names: ['cms', 'website', 'www', 'blog', 'marketing-site'],
    tiers: [web([2, 4]), app([1, 2], ['node', 'gunicorn', 'tomcat']), db([1, 1], ['mysql', 'postgres']), cache([1, 2], 0.5)],
    windows: 0.2,
    internet: true,
    calls: ['search'],
    egress: ['cdn-api', 'analytics'],
    jobs: [],
  },
  {
    kind: 'billing',
    names: ['billing', 'invoicing', 'subscriptions', 'rating'],
    tiers: [web([1, 2], 0.5), app([1, 3]), db([1, 2]), worker([1, 2], 0.8)],
    windows: 0.3,
    calls: ['payments', 'crm'],
    egress: ['tax-api'],
    jobs: [
      { rhythm: 'nightly', to: 'db' },
      { rhythm: 'monthly', to: { api: 'print-sftp' }, dom: 1 },
    ],
    mail: true,
  },
  {
    kind: 'wiki',
    names: ['wiki', 'confluence', 'docs', 'knowledge'],
    tiers: [web([1, 1], 0.6), app([1, 2], ['tomcat']), db([1, 1], ['postgres', 'mysql']), search([1, 2], 0.3)],
    windows: 0,
    users: true,
    calls: [],
    egress: [],
    jobs: [{ rhythm: 'weekly', to: 'search' }],
  },
  {
    kind: 'partner-api',
    names: ['partner-api', 'api-gateway', 'b2b-gateway', 'edi-api'],
    tiers: [web([1, 2], 0.6), app([2, 4], ['node', 'play', 'tomcat']), cache([1, 2], 0.5), db([1, 1], ['postgres'])],
    windows: 0.1,
    calls: ['orders', 'inventory', 'billing'],
    egress: [],
    jobs: [],
    partnerApi: true,
  },
];

/** Internet services at fixed public addresses, by the name the catalog uses. */
export const INTERNET_APIS: Record<string, { port: number; addresses: [number, number] }> = {
  maps: { port: 443, addresses: [2, 3] },
  analytics: { port: 443, addresses: [1, 2] },
  'cdn-api': { port: 443, addresses: [1, 2] },
  'saas-identity': { port: 443, addresses: [2, 3] },
  'tax-api': { port: 443, addresses: [1, 2] },
  'bank-sftp': { port: 22, addresses: [1, 2] },
  'print-sftp': { port: 22, addresses: [1, 1] },
  'partner-sftp': { port: 22, addresses: [2, 4] },
  'payroll-saas': { port: 443, addresses: [1, 2] },
  'background-check': { port: 443, addresses: [1, 1] },
  'shipping-api': { port: 443, addresses: [2, 3] },
  'payment-gateway': { port: 443, addresses: [2, 4] },
  'fraud-api': { port: 443, addresses: [1, 2] },
  'saas-crm': { port: 443, addresses: [2, 3] },
  'mail-api': { port: 443, addresses: [1, 2] },
  'saas-chat': { port: 443, addresses: [1, 2] },
};

/** The ports the authorized scanner may sweep (docs/estate-zoo.md, "Scanners"). */
export const SCAN_PORTS = [
  21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 389, 443, 445, 465, 587, 636, 993, 995, 1433, 1521, 2049, 3306, 3389, 5432, 5900,
  5985, 6379, 8080, 8443, 9200, 27017, 3000, 5000, 5601, 5672, 6443, 8000, 8081, 8888, 9000, 9090, 9092, 9100, 10000, 11211, 2375,
  3268, 1723, 5986, 7001, 8009, 8161, 9443, 2181, 50000, 4848, 631, 873, 1080,
];
