// Configuration: defaults < config file < environment < explicit overrides (CLI flags).
// Everything is validated once at start; a bad value stops the process with a message that
// names the variable or the file and key, and what was expected.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseCidr } from '../flow/cidr';
import { BulkheadError } from '../errors';

export class ConfigError extends BulkheadError {
  override name = 'ConfigError';
  constructor(message: string) {
    super('invalid', message);
  }
}

const port = z.coerce.number().int().min(0).max(65535);
const days = z.coerce.number().int().min(0).max(36500);
const onOff = z.union([z.boolean(), z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1')]);
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a database name of letters, digits and _');

/** The shape of the optional config file (YAML or JSON); every key is optional. */
export const fileSchema = z
  .object({
    home: z.string().optional(),
    clickhouse: z
      .object({
        url: z.string().url().optional(),
        user: z.string().optional(),
        password: z.string().optional(),
        database: identifier.optional(),
      })
      .strict()
      .optional(),
    database: z.object({ url: z.string().optional() }).strict().optional(),
    retention: z.object({ flowsDays: days.optional(), rollupDays: days.optional() }).strict().optional(),
    admission: z.object({ aheadHours: z.coerce.number().min(0).max(24 * 365).optional(), maxAgeDays: days.optional() }).strict().optional(),
    web: z.object({ host: z.string().optional(), port: port.optional() }).strict().optional(),
    collect: z
      .object({
        listen: z.string().optional(),
        netflowPort: port.optional(),
        ipfixPort: port.optional(),
        sflowPort: port.optional(),
        allow: z.array(z.string()).optional(),
        receiveBufferBytes: z.coerce.number().int().min(65536).optional(),
        maxTemplates: z.coerce.number().int().min(100).max(10_000_000).optional(),
      })
      .strict()
      .optional(),
    log: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).optional() }).strict().optional(),
    auth: z
      .object({
        publicUrl: z.string().url().optional(),
        trustProxy: z.coerce.number().int().min(0).max(10).optional(),
        sessionHours: z.coerce.number().min(0.05).max(24 * 90).optional(),
        idleMinutes: z.coerce.number().int().min(1).max(60 * 24 * 90).optional(),
        passwordSignIn: onOff.optional(),
      })
      .strict()
      .optional(),
    oidc: z
      .object({
        issuer: z.string().url().optional(),
        clientId: z.string().optional(),
        clientSecret: z.string().optional(),
        name: z.string().optional(),
        scopes: z.string().optional(),
        defaultRole: z.enum(['admin', 'architect', 'owner', 'viewer', 'none']).optional(),
        roleClaim: z.string().optional(),
        roleMap: z.string().regex(/^\s*[^=,]+=(admin|architect|owner|viewer)\s*(,\s*[^=,]+=(admin|architect|owner|viewer)\s*)*$/, 'GROUP=ROLE pairs separated by commas (roles: admin, architect, owner, viewer)').optional(),
      })
      .strict()
      .optional(),
    client: z.object({ url: z.string().url().optional(), token: z.string().optional() }).strict().optional(),
    review: z.object({ separationOfDuties: onOff.optional() }).strict().optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof fileSchema>;

export type ClickHouseConfig =
  | { mode: 'embedded'; dataDir: string; database: string }
  | { mode: 'server'; url: string; username: string; password: string; database: string };

export type DatabaseConfig = { provider: 'sqlite'; file: string } | { provider: 'postgresql'; url: string };

export interface Config {
  /** Directory for all embedded state (absolute). */
  home: string;
  /** The config file that was read, if any. */
  configFile: string | null;
  clickhouse: ClickHouseConfig;
  database: DatabaseConfig;
  /** 0 keeps data forever. */
  retention: { flowsDays: number; rollupDays: number };
  /**
   * which flow times the store takes (lib/store/admission.ts): at most aheadHours ahead of the
   * clock, at most maxAgeDays old (0: no limit; default: the flow retention); others are quarantined
   */
  admission: { aheadHours: number; maxAgeDays: number };
  web: { host: string; port: number };
  collect: {
    listen: string;
    netflowPort: number;
    ipfixPort: number;
    sflowPort: number;
    /** exporter addresses or CIDRs allowed to send; empty = everyone */
    allow: string[];
    receiveBufferBytes: number;
    /** templates the decoder holds in all (least recently used evicted beyond); null: the decoder's default */
    maxTemplates: number | null;
  };
  log: { level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent' };
  /** sign-in and sessions (docs/security.md) */
  auth: {
    /** the URL people open (https://bulkhead.example); decides secure cookies and the OIDC redirect */
    publicUrl: string | null;
    /** how many reverse proxies in front add X-Forwarded-For/-Proto (0: use the socket's address) */
    trustProxy: number;
    sessionHours: number;
    idleMinutes: number;
    passwordSignIn: boolean;
  };
  /** OpenID Connect single sign-on; null when not configured */
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string | null;
    name: string;
    scopes: string[];
    /** role of people who sign in for the first time; null: only existing users may sign in */
    defaultRole: 'admin' | 'architect' | 'owner' | 'viewer' | null;
    /** claim holding groups or roles, mapped by roleMap at every sign-in */
    roleClaim: string | null;
    roleMap: Record<string, 'admin' | 'architect' | 'owner' | 'viewer'>;
  } | null;
  /** where this CLI sends commands when the server runs on another machine */
  client: { url: string | null; token: string | null };
  /** rule review (docs/policy.md, "Who approves what") */
  review: {
    /** nobody approves a rule whose last change is theirs; off for installs run by one person */
    separationOfDuties: boolean;
  };
}

export const DEFAULTS = {
  home: '.bulkhead',
  clickhouseDatabase: 'bulkhead',
  retention: { flowsDays: 45, rollupDays: 400 },
  web: { host: '0.0.0.0', port: 3000 },
  collect: { listen: '0.0.0.0', netflowPort: 2055, ipfixPort: 4739, sflowPort: 6343, receiveBufferBytes: 32 * 1024 * 1024 },
  log: { level: 'info' as const },
  auth: { trustProxy: 0, sessionHours: 12, idleMinutes: 120 },
};

/** Environment variables Bulkhead reads, with what each one sets (shown by `bulkhead doctor` and in the README). */
export const ENVIRONMENT: Record<string, string> = {
  BULKHEAD_HOME: 'directory for embedded state (default .bulkhead in the working directory)',
  BULKHEAD_CONFIG: 'config file, YAML or JSON (default $BULKHEAD_HOME/bulkhead.yaml when it exists)',
  CLICKHOUSE_URL: 'ClickHouse server or cluster URL (http[s]://host:8123); unset = embedded chDB',
  CLICKHOUSE_USER: 'ClickHouse user (default "default")',
  CLICKHOUSE_PASSWORD: 'ClickHouse password',
  CLICKHOUSE_DATABASE: 'ClickHouse database (default "bulkhead")',
  DATABASE_URL: 'PostgreSQL URL (postgresql://...); unset = SQLite file in $BULKHEAD_HOME',
  BULKHEAD_FLOW_RETENTION_DAYS: 'days of raw flows kept (default 45; 0 = forever)',
  BULKHEAD_ROLLUP_RETENTION_DAYS: 'days of hourly rollups kept (default 400; 0 = forever)',
  BULKHEAD_HOST: 'web listen address (default 0.0.0.0)',
  BULKHEAD_PORT: 'web port (default 3000)',
  BULKHEAD_LISTEN: 'flow listeners address (default 0.0.0.0)',
  BULKHEAD_NETFLOW_PORT: 'NetFlow v5/v9 UDP port (default 2055; 0 = off)',
  BULKHEAD_IPFIX_PORT: 'IPFIX UDP port (default 4739; 0 = off)',
  BULKHEAD_SFLOW_PORT: 'sFlow UDP port (default 6343; 0 = off)',
  BULKHEAD_EXPORTER_ALLOW: 'exporter addresses/CIDRs allowed to send, comma separated (default: all)',
  BULKHEAD_LOG_LEVEL: 'trace | debug | info | warn | error | silent (default info)',
  BULKHEAD_PUBLIC_URL: 'the URL people open, e.g. https://bulkhead.example (secure cookies, SSO redirect)',
  BULKHEAD_TRUST_PROXY: 'number of reverse proxies in front that set X-Forwarded-For/-Proto (default 0)',
  BULKHEAD_SESSION_HOURS: 'sign-in session lifetime in hours (default 12)',
  BULKHEAD_SESSION_IDLE_MINUTES: 'sessions end after this many idle minutes (default 120)',
  BULKHEAD_PASSWORD_SIGNIN: 'on | off: sign-in with local passwords (default on)',
  BULKHEAD_MAX_TEMPLATES: 'NetFlow v9/IPFIX templates the collector holds in all; the least recently used are evicted beyond (default 5000)',
  BULKHEAD_FLOW_MAX_AHEAD_HOURS: 'flows starting or ending further ahead of this clock are quarantined, not stored (default 24)',
  BULKHEAD_FLOW_MAX_AGE_DAYS: 'flows older than this are quarantined, not stored (default: the flow retention; 0 = no limit)',
  BULKHEAD_SEPARATION_OF_DUTIES: 'on | off: nobody approves a rule whose last change is theirs (default on; off for one-person installs)',
  BULKHEAD_OIDC_ISSUER: 'OpenID Connect issuer URL for single sign-on (unset = no SSO)',
  BULKHEAD_OIDC_CLIENT_ID: 'OpenID Connect client id',
  BULKHEAD_OIDC_CLIENT_SECRET: 'OpenID Connect client secret (unset = public client with PKCE)',
  BULKHEAD_OIDC_NAME: 'label of the SSO button (default "single sign-on")',
  BULKHEAD_OIDC_SCOPES: 'scopes asked for (default "openid email profile")',
  BULKHEAD_OIDC_DEFAULT_ROLE: 'role of first-time SSO users: viewer | owner | architect | admin | none (default viewer; none = only existing users)',
  BULKHEAD_OIDC_ROLE_CLAIM: 'ID token claim with groups/roles, e.g. groups (with BULKHEAD_OIDC_ROLE_MAP)',
  BULKHEAD_OIDC_ROLE_MAP: 'GROUP=ROLE pairs, e.g. netsec=architect,app-owners=owner',
  BULKHEAD_URL: 'CLI: a Bulkhead server on another machine (with BULKHEAD_TOKEN)',
  BULKHEAD_TOKEN: 'CLI: API token for BULKHEAD_URL (bulkhead tokens create)',
};

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** explicit config file (--config); overrides BULKHEAD_CONFIG */
  configFile?: string;
  /** values from CLI flags, applied last */
  overrides?: ConfigFile;
}

function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`Config file ${path} cannot be read: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (e) {
    throw new ConfigError(`Config file ${path} is not valid YAML or JSON: ${(e as Error).message}`);
  }
  const r = fileSchema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`).join('\n');
    throw new ConfigError(`Config file ${path} has invalid settings:\n${issues}`);
  }
  return r.data;
}

function fromEnv(env: Record<string, string | undefined>): ConfigFile {
  const raw = (name: string) => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const c: Record<string, Record<string, unknown>> = {};
  const set = (section: string, key: string, name: string, map: (v: string) => unknown = (v) => v) => {
    const v = raw(name);
    if (v !== undefined) (c[section] ??= {})[key] = map(v);
  };
  set('clickhouse', 'url', 'CLICKHOUSE_URL');
  set('clickhouse', 'user', 'CLICKHOUSE_USER');
  set('clickhouse', 'password', 'CLICKHOUSE_PASSWORD');
  set('clickhouse', 'database', 'CLICKHOUSE_DATABASE');
  set('database', 'url', 'DATABASE_URL');
  set('retention', 'flowsDays', 'BULKHEAD_FLOW_RETENTION_DAYS');
  set('retention', 'rollupDays', 'BULKHEAD_ROLLUP_RETENTION_DAYS');
  set('admission', 'aheadHours', 'BULKHEAD_FLOW_MAX_AHEAD_HOURS');
  set('admission', 'maxAgeDays', 'BULKHEAD_FLOW_MAX_AGE_DAYS');
  set('web', 'host', 'BULKHEAD_HOST');
  set('web', 'port', 'BULKHEAD_PORT');
  set('collect', 'listen', 'BULKHEAD_LISTEN');
  set('collect', 'netflowPort', 'BULKHEAD_NETFLOW_PORT');
  set('collect', 'ipfixPort', 'BULKHEAD_IPFIX_PORT');
  set('collect', 'sflowPort', 'BULKHEAD_SFLOW_PORT');
  set('collect', 'maxTemplates', 'BULKHEAD_MAX_TEMPLATES');
  set('collect', 'allow', 'BULKHEAD_EXPORTER_ALLOW', (v) => v.split(',').map((s) => s.trim()).filter(Boolean));
  set('log', 'level', 'BULKHEAD_LOG_LEVEL');
  set('auth', 'publicUrl', 'BULKHEAD_PUBLIC_URL');
  set('auth', 'trustProxy', 'BULKHEAD_TRUST_PROXY');
  set('auth', 'sessionHours', 'BULKHEAD_SESSION_HOURS');
  set('auth', 'idleMinutes', 'BULKHEAD_SESSION_IDLE_MINUTES');
  set('auth', 'passwordSignIn', 'BULKHEAD_PASSWORD_SIGNIN');
  set('review', 'separationOfDuties', 'BULKHEAD_SEPARATION_OF_DUTIES');
  set('oidc', 'issuer', 'BULKHEAD_OIDC_ISSUER');
  set('oidc', 'clientId', 'BULKHEAD_OIDC_CLIENT_ID');
  set('oidc', 'clientSecret', 'BULKHEAD_OIDC_CLIENT_SECRET');
  set('oidc', 'name', 'BULKHEAD_OIDC_NAME');
  set('oidc', 'scopes', 'BULKHEAD_OIDC_SCOPES');
  set('oidc', 'defaultRole', 'BULKHEAD_OIDC_DEFAULT_ROLE');
  set('oidc', 'roleClaim', 'BULKHEAD_OIDC_ROLE_CLAIM');
  set('oidc', 'roleMap', 'BULKHEAD_OIDC_ROLE_MAP');
  set('client', 'url', 'BULKHEAD_URL');
  set('client', 'token', 'BULKHEAD_TOKEN');
  // Validate each variable on its own so the error names the variable, not a config path.
  const names: Record<string, string> = {
    'clickhouse.url': 'CLICKHOUSE_URL', 'clickhouse.database': 'CLICKHOUSE_DATABASE',
    'retention.flowsDays': 'BULKHEAD_FLOW_RETENTION_DAYS', 'retention.rollupDays': 'BULKHEAD_ROLLUP_RETENTION_DAYS',
    'admission.aheadHours': 'BULKHEAD_FLOW_MAX_AHEAD_HOURS', 'admission.maxAgeDays': 'BULKHEAD_FLOW_MAX_AGE_DAYS',
    'web.port': 'BULKHEAD_PORT', 'collect.netflowPort': 'BULKHEAD_NETFLOW_PORT', 'collect.ipfixPort': 'BULKHEAD_IPFIX_PORT',
    'collect.sflowPort': 'BULKHEAD_SFLOW_PORT', 'collect.maxTemplates': 'BULKHEAD_MAX_TEMPLATES', 'log.level': 'BULKHEAD_LOG_LEVEL',
    'auth.publicUrl': 'BULKHEAD_PUBLIC_URL', 'auth.trustProxy': 'BULKHEAD_TRUST_PROXY', 'auth.sessionHours': 'BULKHEAD_SESSION_HOURS',
    'auth.idleMinutes': 'BULKHEAD_SESSION_IDLE_MINUTES', 'auth.passwordSignIn': 'BULKHEAD_PASSWORD_SIGNIN', 'review.separationOfDuties': 'BULKHEAD_SEPARATION_OF_DUTIES', 'oidc.issuer': 'BULKHEAD_OIDC_ISSUER',
    'oidc.defaultRole': 'BULKHEAD_OIDC_DEFAULT_ROLE', 'oidc.roleMap': 'BULKHEAD_OIDC_ROLE_MAP', 'client.url': 'BULKHEAD_URL',
  };
  const r = fileSchema.safeParse(c);
  if (!r.success) {
    const issues = r.error.issues.map((i) => {
      const path = i.path.join('.');
      const name = names[path] ?? path;
      const section = i.path[0] as string | undefined;
      const key = i.path[1] as string | undefined;
      const value = section && key ? c[section]?.[key] : undefined;
      return `  ${name}=${JSON.stringify(value)}: ${i.message}`;
    });
    throw new ConfigError(`Invalid environment:\n${issues.join('\n')}`);
  }
  return r.data;
}

function merge(...parts: ConfigFile[]): ConfigFile {
  const out: Record<string, unknown> = {};
  for (const p of parts) {
    for (const [k, v] of Object.entries(p)) {
      if (v === undefined) continue;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        out[k] = { ...((out[k] as object | undefined) ?? {}), ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) };
      } else out[k] = v;
    }
  }
  return out as ConfigFile;
}

function checkCidr(entry: string, where: string) {
  try {
    parseCidr(entry);
  } catch (e) {
    throw new ConfigError(`${where}: ${(e as Error).message} (examples: 192.0.2.7, 10.0.0.0/8, 2001:db8::/32)`);
  }
}

export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const envPart = fromEnv(env);
  const homeRaw = opts.overrides?.home ?? env.BULKHEAD_HOME ?? DEFAULTS.home;
  const home = resolve(cwd, homeRaw);

  const explicitFile = opts.configFile ?? env.BULKHEAD_CONFIG;
  let configFile: string | null = null;
  let filePart: ConfigFile = {};
  if (explicitFile) {
    configFile = isAbsolute(explicitFile) ? explicitFile : resolve(cwd, explicitFile);
    if (!existsSync(configFile)) throw new ConfigError(`Config file ${configFile} does not exist (from ${opts.configFile ? '--config' : 'BULKHEAD_CONFIG'})`);
    filePart = readConfigFile(configFile);
  } else {
    for (const name of ['bulkhead.yaml', 'bulkhead.yml', 'bulkhead.json']) {
      const candidate = join(home, name);
      if (existsSync(candidate)) {
        configFile = candidate;
        filePart = readConfigFile(candidate);
        break;
      }
    }
  }
  const m = merge(filePart, envPart, opts.overrides ?? {});

  const database = m.clickhouse?.database ?? DEFAULTS.clickhouseDatabase;
  const clickhouse: ClickHouseConfig = m.clickhouse?.url
    ? {
        mode: 'server',
        url: m.clickhouse.url,
        username: m.clickhouse.user ?? 'default',
        password: m.clickhouse.password ?? '',
        database,
      }
    : { mode: 'embedded', dataDir: join(home, 'clickhouse'), database };

  let db: DatabaseConfig;
  const dbUrl = m.database?.url;
  if (!dbUrl) db = { provider: 'sqlite', file: join(home, 'bulkhead.db') };
  else if (/^postgres(ql)?:\/\//.test(dbUrl)) db = { provider: 'postgresql', url: dbUrl };
  else if (dbUrl.startsWith('file:')) db = { provider: 'sqlite', file: resolve(cwd, dbUrl.slice(5)) };
  else throw new ConfigError(`DATABASE_URL must start with postgresql:// (PostgreSQL) or file: (SQLite), got "${dbUrl.replace(/:[^:@/]*@/, ':***@')}"`);

  const allow = m.collect?.allow ?? [];
  allow.forEach((a) => checkCidr(a, configFile && filePart.collect?.allow ? `${configFile}: collect.allow` : 'BULKHEAD_EXPORTER_ALLOW'));

  const o = m.oidc ?? {};
  if ((o.issuer || o.clientId) && !(o.issuer && o.clientId)) {
    throw new ConfigError('Single sign-on needs both BULKHEAD_OIDC_ISSUER and BULKHEAD_OIDC_CLIENT_ID (or oidc.issuer and oidc.clientId in the config file)');
  }
  const oidc: Config['oidc'] =
    o.issuer && o.clientId
      ? {
          issuer: o.issuer,
          clientId: o.clientId,
          clientSecret: o.clientSecret ?? null,
          name: o.name ?? 'single sign-on',
          scopes: (o.scopes ?? 'openid email profile').split(/[\s,]+/).filter(Boolean),
          defaultRole: o.defaultRole === 'none' ? null : (o.defaultRole ?? 'viewer'),
          roleClaim: o.roleClaim ?? null,
          roleMap: Object.fromEntries(
            (o.roleMap ?? '').split(',').filter((p) => p.includes('=')).map((p) => {
              const i = p.lastIndexOf('=');
              return [p.slice(0, i).trim(), p.slice(i + 1).trim() as 'admin' | 'architect' | 'owner' | 'viewer'];
            }),
          ),
        }
      : null;

  return {
    home,
    configFile,
    clickhouse,
    database: db,
    retention: {
      flowsDays: m.retention?.flowsDays ?? DEFAULTS.retention.flowsDays,
      rollupDays: m.retention?.rollupDays ?? DEFAULTS.retention.rollupDays,
    },
    admission: {
      aheadHours: m.admission?.aheadHours ?? 24,
      maxAgeDays: m.admission?.maxAgeDays ?? m.retention?.flowsDays ?? DEFAULTS.retention.flowsDays,
    },
    web: { host: m.web?.host ?? DEFAULTS.web.host, port: m.web?.port ?? DEFAULTS.web.port },
    collect: {
      listen: m.collect?.listen ?? DEFAULTS.collect.listen,
      netflowPort: m.collect?.netflowPort ?? DEFAULTS.collect.netflowPort,
      ipfixPort: m.collect?.ipfixPort ?? DEFAULTS.collect.ipfixPort,
      sflowPort: m.collect?.sflowPort ?? DEFAULTS.collect.sflowPort,
      allow,
      receiveBufferBytes: m.collect?.receiveBufferBytes ?? DEFAULTS.collect.receiveBufferBytes,
      maxTemplates: m.collect?.maxTemplates ?? null,
    },
    log: { level: m.log?.level ?? DEFAULTS.log.level },
    auth: {
      publicUrl: m.auth?.publicUrl?.replace(/\/+$/, '') ?? null,
      trustProxy: m.auth?.trustProxy ?? DEFAULTS.auth.trustProxy,
      sessionHours: m.auth?.sessionHours ?? DEFAULTS.auth.sessionHours,
      idleMinutes: m.auth?.idleMinutes ?? DEFAULTS.auth.idleMinutes,
      passwordSignIn: m.auth?.passwordSignIn ?? true,
    },
    oidc,
    client: { url: m.client?.url?.replace(/\/+$/, '') ?? null, token: m.client?.token ?? null },
    review: { separationOfDuties: m.review?.separationOfDuties ?? true },
  };
}

/** A copy safe to print: passwords and URL credentials masked. */
export function redact(config: Config): Config {
  const mask = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  return {
    ...config,
    clickhouse: config.clickhouse.mode === 'server' ? { ...config.clickhouse, url: mask(config.clickhouse.url), password: config.clickhouse.password ? '***' : '' } : config.clickhouse,
    database: config.database.provider === 'postgresql' ? { ...config.database, url: mask(config.database.url) } : config.database,
    oidc: config.oidc ? { ...config.oidc, clientSecret: config.oidc.clientSecret ? '***' : null } : null,
    client: { ...config.client, token: config.client.token ? '***' : null },
  };
}
