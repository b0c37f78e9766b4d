// The applications a generated estate is made of: tiered business applications with the ports
// and habits of real ones (web front ends, APIs, workers, databases, caches, queues, batch jobs),
// and the shared infrastructure every estate has. Sizes are for production; staging and dev get
// smaller copies.

export interface AppTemplate {
  name: string;
  /** members per tier in production */
  web: number;
  api: number;
  worker: number;
  db: number;
  cache: number;
  queue: number;
  /** reachable from the internet (web tier on 443) */
  internet?: boolean;
  /** used by people on the corporate network (web tier, or api when no web tier) */
  users?: boolean;
  /** a partner network calls the api tier on 8443 */
  partner?: boolean;
  /** Windows servers (RDP/WinRM management, SQL Server) */
  windows?: boolean;
  dbPort: number;
  apiPort: number;
  queuePort?: number;
  cachePort?: number;
  /** when the workers hit the database: continuous by default; batch apps run nightly, weekly or monthly */
  batch?: 'daily' | 'weekly' | 'monthly';
  /** an outside service the api calls (address:port), e.g. a payment provider */
  egress?: { addr: string; port: number };
  /** name of another catalog application whose api this one calls */
  calls?: string[];
  /** reads other applications' databases on a schedule (reporting, ETL) */
  reads?: { apps: string[]; schedule: 'weekly' | 'monthly' | 'daily' };
}

export const APPS: readonly AppTemplate[] = [
  { name: 'storefront', web: 3, api: 3, worker: 1, db: 2, cache: 1, queue: 0, internet: true, dbPort: 5432, apiPort: 8080, cachePort: 6379, calls: ['catalog', 'orders', 'search'] },
  { name: 'catalog', web: 0, api: 2, worker: 1, db: 1, cache: 1, queue: 0, dbPort: 5432, apiPort: 8080, cachePort: 6379 },
  { name: 'orders', web: 0, api: 3, worker: 2, db: 2, cache: 0, queue: 1, dbPort: 5432, apiPort: 8443, queuePort: 5672, calls: ['payments', 'inventory'] },
  { name: 'payments', web: 0, api: 2, worker: 1, db: 2, cache: 0, queue: 1, partner: true, dbPort: 5432, apiPort: 8443, queuePort: 5672, egress: { addr: '198.51.100.10', port: 443 } },
  { name: 'inventory', web: 0, api: 2, worker: 1, db: 1, cache: 1, queue: 0, dbPort: 3306, apiPort: 8080, cachePort: 11211 },
  { name: 'search', web: 0, api: 2, worker: 1, db: 2, cache: 0, queue: 0, dbPort: 9200, apiPort: 8080 },
  { name: 'shipping', web: 1, api: 2, worker: 1, db: 1, cache: 0, queue: 1, users: true, dbPort: 5432, apiPort: 8080, queuePort: 9092, egress: { addr: '198.51.100.40', port: 443 } },
  { name: 'billing', web: 1, api: 1, worker: 2, db: 1, cache: 0, queue: 0, users: true, dbPort: 1433, apiPort: 8080, batch: 'monthly', windows: true, reads: { apps: ['payments'], schedule: 'monthly' } },
  { name: 'crm', web: 2, api: 2, worker: 1, db: 1, cache: 1, queue: 0, users: true, dbPort: 5432, apiPort: 8080, cachePort: 6379, calls: ['orders'] },
  { name: 'hr-portal', web: 1, api: 1, worker: 0, db: 1, cache: 0, queue: 0, users: true, windows: true, dbPort: 1433, apiPort: 443 },
  { name: 'reporting', web: 1, api: 0, worker: 2, db: 1, cache: 0, queue: 0, users: true, dbPort: 5432, apiPort: 8080, batch: 'daily', reads: { apps: ['orders', 'crm', 'shipping'], schedule: 'weekly' } },
  { name: 'analytics', web: 0, api: 1, worker: 3, db: 2, cache: 0, queue: 1, dbPort: 9000, apiPort: 8080, queuePort: 9092, batch: 'daily', reads: { apps: ['storefront'], schedule: 'daily' } },
  { name: 'notifications', web: 0, api: 1, worker: 2, db: 1, cache: 0, queue: 1, dbPort: 27017, apiPort: 8080, queuePort: 5672, egress: { addr: '198.51.100.25', port: 587 } },
  { name: 'loyalty', web: 1, api: 2, worker: 0, db: 1, cache: 1, queue: 0, internet: true, dbPort: 5432, apiPort: 8080, cachePort: 6379, calls: ['crm'] },
  { name: 'pricing', web: 0, api: 2, worker: 1, db: 1, cache: 1, queue: 0, dbPort: 5432, apiPort: 8080, cachePort: 6379 },
  { name: 'erp', web: 1, api: 2, worker: 1, db: 2, cache: 0, queue: 0, users: true, windows: true, dbPort: 1433, apiPort: 443, batch: 'weekly' },
  { name: 'wiki', web: 1, api: 0, worker: 0, db: 1, cache: 0, queue: 0, users: true, dbPort: 3306, apiPort: 8080 },
  { name: 'ci', web: 1, api: 1, worker: 3, db: 1, cache: 0, queue: 0, users: true, dbPort: 5432, apiPort: 8080 },
  { name: 'warehouse', web: 1, api: 2, worker: 2, db: 1, cache: 0, queue: 1, users: true, dbPort: 1521, apiPort: 8080, queuePort: 9092, calls: ['inventory'] },
  { name: 'pos', web: 0, api: 2, worker: 1, db: 1, cache: 1, queue: 0, dbPort: 5432, apiPort: 8443, cachePort: 6379, calls: ['pricing', 'loyalty'] },
  { name: 'fraud', web: 0, api: 2, worker: 2, db: 1, cache: 1, queue: 1, dbPort: 9042, apiPort: 8080, cachePort: 6379, queuePort: 9092 },
  { name: 'docs', web: 1, api: 1, worker: 0, db: 1, cache: 0, queue: 0, internet: true, dbPort: 27017, apiPort: 3000 },
  { name: 'mdm', web: 0, api: 1, worker: 1, db: 1, cache: 0, queue: 0, dbPort: 5432, apiPort: 8080, batch: 'daily' },
  { name: 'tickets', web: 1, api: 1, worker: 1, db: 1, cache: 1, queue: 0, users: true, dbPort: 3306, apiPort: 8080, cachePort: 11211 },
];

/** Suffixes for further instances of the catalog when an estate is larger than one of each. */
export const REGIONS = ['eu', 'us', 'apac', 'latam', 'uk', 'de', 'fr', 'jp', 'in', 'au', 'ca', 'br', 'mx', 'za', 'sg', 'kr'];

/** The ports a scanner probes (a "top ports" list). */
export const SCAN_PORTS = [
  21, 22, 23, 25, 53, 80, 81, 88, 110, 111, 135, 139, 143, 389, 443, 445, 465, 514, 587, 636, 873, 993, 995, 1080, 1433, 1521,
  1723, 2049, 2375, 3000, 3128, 3268, 3306, 3389, 4369, 5000, 5432, 5601, 5672, 5900, 5984, 5985, 6379, 6443, 7001, 8000,
  8008, 8080, 8081, 8443, 8888, 9000, 9042, 9090, 9092, 9100, 9102, 9200, 9300, 10000, 11211, 15672, 27017, 50000,
];

export const ROLE_TOKENS: Record<string, readonly string[]> = {
  web: ['web', 'www', 'fe'],
  api: ['api', 'app', 'svc'],
  worker: ['wrk', 'worker', 'batch', 'job'],
  db: ['db', 'sql', 'pg'],
  cache: ['redis', 'cache'],
  queue: ['mq', 'kafka', 'queue'],
};
