// Configuration: defaults < config file < environment < explicit overrides (CLI flags).
// Everything is validated once at start; a bad value stops the process with a message that
// names the variable or the file and key, and what was expected.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseCidr } from '../flow/cidr';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = z.coerce.number().int().min(0).max(65535);
const days = z.coerce.number().int().min(0).max(36500);
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
    web: z.object({ host: z.string().optional(), port: port.optional() }).strict().optional(),
    collect: z
      .object({
        listen: z.string().optional(),
        netflowPort: port.optional(),
        ipfixPort: port.optional(),
        sflowPort: port.optional(),
        allow: z.array(z.string()).optional(),
        receiveBufferBytes: z.coerce.number().int().min(65536).optional(),
      })
      .strict()
      .optional(),
    log: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).optional() }).strict().optional(),
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
  web: { host: string; port: number };
  collect: {
    listen: string;
    netflowPort: number;
    ipfixPort: number;
    sflowPort: number;
    /** exporter addresses or CIDRs allowed to send; empty = everyone */
    allow: string[];
    receiveBufferBytes: number;
  };
  log: { level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent' };
}

export const DEFAULTS = {
  home: '.bulkhead',
  clickhouseDatabase: 'bulkhead',
  retention: { flowsDays: 45, rollupDays: 400 },
  web: { host: '0.0.0.0', port: 3000 },
  collect: { listen: '0.0.0.0', netflowPort: 2055, ipfixPort: 4739, sflowPort: 6343, receiveBufferBytes: 32 * 1024 * 1024 },
  log: { level: 'info' as const },
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
  set('web', 'host', 'BULKHEAD_HOST');
  set('web', 'port', 'BULKHEAD_PORT');
  set('collect', 'listen', 'BULKHEAD_LISTEN');
  set('collect', 'netflowPort', 'BULKHEAD_NETFLOW_PORT');
  set('collect', 'ipfixPort', 'BULKHEAD_IPFIX_PORT');
  set('collect', 'sflowPort', 'BULKHEAD_SFLOW_PORT');
  set('collect', 'allow', 'BULKHEAD_EXPORTER_ALLOW', (v) => v.split(',').map((s) => s.trim()).filter(Boolean));
  set('log', 'level', 'BULKHEAD_LOG_LEVEL');
  // Validate each variable on its own so the error names the variable, not a config path.
  const names: Record<string, string> = {
    'clickhouse.url': 'CLICKHOUSE_URL', 'clickhouse.database': 'CLICKHOUSE_DATABASE',
    'retention.flowsDays': 'BULKHEAD_FLOW_RETENTION_DAYS', 'retention.rollupDays': 'BULKHEAD_ROLLUP_RETENTION_DAYS',
    'web.port': 'BULKHEAD_PORT', 'collect.netflowPort': 'BULKHEAD_NETFLOW_PORT', 'collect.ipfixPort': 'BULKHEAD_IPFIX_PORT',
    'collect.sflowPort': 'BULKHEAD_SFLOW_PORT', 'log.level': 'BULKHEAD_LOG_LEVEL',
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

  return {
    home,
    configFile,
    clickhouse,
    database: db,
    retention: {
      flowsDays: m.retention?.flowsDays ?? DEFAULTS.retention.flowsDays,
      rollupDays: m.retention?.rollupDays ?? DEFAULTS.retention.rollupDays,
    },
    web: { host: m.web?.host ?? DEFAULTS.web.host, port: m.web?.port ?? DEFAULTS.web.port },
    collect: {
      listen: m.collect?.listen ?? DEFAULTS.collect.listen,
      netflowPort: m.collect?.netflowPort ?? DEFAULTS.collect.netflowPort,
      ipfixPort: m.collect?.ipfixPort ?? DEFAULTS.collect.ipfixPort,
      sflowPort: m.collect?.sflowPort ?? DEFAULTS.collect.sflowPort,
      allow,
      receiveBufferBytes: m.collect?.receiveBufferBytes ?? DEFAULTS.collect.receiveBufferBytes,
    },
    log: { level: m.log?.level ?? DEFAULTS.log.level },
  };
}

/** A copy safe to print: passwords and URL credentials masked. */
export function redact(config: Config): Config {
  const mask = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  return {
    ...config,
    clickhouse: config.clickhouse.mode === 'server' ? { ...config.clickhouse, url: mask(config.clickhouse.url), password: config.clickhouse.password ? '***' : '' } : config.clickhouse,
    database: config.database.provider === 'postgresql' ? { ...config.database, url: mask(config.database.url) } : config.database,
  };
}
