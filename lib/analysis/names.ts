// What hostnames say, when they follow a convention: "orders-api-02-stg" names an application
// (orders), a role (api) and an environment (staging). Estates without conventions (vm-3f2a1,
// srv0412, ip-10-1-2-3, WIN-8K2J3) say nothing, and these functions then return null, so that
// structure alone decides. Hostnames are evidence, never facts: labels win.
import type { Role } from './types';

const ROLE_WORDS: Record<string, Role> = {
  web: 'web', www: 'web', fe: 'web', frontend: 'web', nginx: 'web', httpd: 'web', iis: 'web',
  api: 'api', app: 'api', svc: 'api', backend: 'api',
  wrk: 'worker', worker: 'worker', batch: 'worker', job: 'worker', jobs: 'worker', etl: 'worker', cron: 'worker', consumer: 'worker',
  db: 'db', sql: 'db', pg: 'db', psql: 'db', postgres: 'db', mysql: 'db', maria: 'db', mongo: 'db', ora: 'db', oracle: 'db', mssql: 'db', es: 'db', elastic: 'db', cassandra: 'db',
  redis: 'cache', cache: 'cache', memcache: 'cache', memcached: 'cache',
  mq: 'queue', kafka: 'queue', rabbit: 'queue', rabbitmq: 'queue', queue: 'queue', broker: 'queue', nats: 'queue',
};

const ENV_WORDS: Record<string, string> = {
  prod: 'prod', prd: 'prod', production: 'prod', live: 'prod',
  stg: 'staging', stage: 'staging', staging: 'staging', preprod: 'staging', 'pre-prod': 'staging', uat: 'staging', ppd: 'staging', pprd: 'staging', ppe: 'staging', preprd: 'staging',
  dev: 'dev', development: 'dev', test: 'dev', tst: 'dev', qa: 'dev', sandbox: 'dev',
};

/** A tier or environment word: it names no application, even as what stems share. */
export function isVocabularyWord(word: string): boolean {
  return word in ROLE_WORDS || word in ENV_WORDS;
}

/**
 * The environment a word means (prod, staging, dev), so that evidence spelled differently is
 * counted together; null for a word that is no environment word (it is then its own kind).
 */
export function canonicalEnv(value: string): string | null {
  const v = value.toLowerCase();
  return ENV_WORDS[v] ?? (['shared', 'infra', 'infrastructure', 'core', 'common'].includes(v) ? 'shared' : null);
}

/** Tokens that are not words: numbers, hex ids, generic prefixes of machine names. */
const NOISE = new Set([
  'vm', 'ip', 'host', 'node', 'server', 'srv', 'svr', 'win', 'lin', 'linux', 'box', 'inst', 'instance', 'machine', 'pc', 'ws', 'desktop',
  'ec2', 'aws', 'az', 'azure', 'gcp', 'gce', 'cloud', 'ubuntu', 'centos', 'rhel', 'debian', 'i', 'a', 'b', 'c', 'x',
]);

function tokens(name: string): string[] {
  const short = name.split('.')[0]!.toLowerCase();
  return short.split(/[-_\s]+/).filter(Boolean);
}

const isWord = (t: string) => /^[a-z][a-z]+$/.test(t) && !NOISE.has(t) && !/^[a-f]{5,}$/.test(t);

export interface NameHints {
  /** the application part of the name ("orders", "hr-portal"), null when the name has none */
  stem: string | null;
  role: Role | null;
  env: string | null;
}

/**
 * Split a hostname into hints. The stem is what remains after role and environment words, numbers
 * and machine-name noise are removed; names made only of noise ("vm-3f2a1", "srv0412") have none.
 */
export function nameHints(name: string): NameHints {
  const t = tokens(name);
  let role: Role | null = null;
  let env: string | null = null;
  const stem: string[] = [];
  for (const tok of t) {
    const bare = tok.replace(/\d+$/, '');
    if (ROLE_WORDS[bare]) {
      role ??= ROLE_WORDS[bare]!;
      continue;
    }
    if (ENV_WORDS[bare]) {
      env ??= ENV_WORDS[bare]!;
      continue;
    }
    const word = isWord(tok) ? tok : isWord(bare) && bare.length >= 3 ? bare : null;
    if (!word) continue;
    const glued = unglue(word);
    role ??= glued.role;
    env ??= glued.env;
    // a word that carried a tier is an application's name (`tstfinanceapi`); one without may
    // be a machine code (`prdlx`)
    const code = glued.role ? null : envCode(glued.rest);
    if (code) {
      env ??= code;
      continue;
    }
    stem.push(glued.rest);
  }
  return { stem: stem.length ? stem.join('-') : null, role, env };
}

/** What may follow an environment word in a machine code: an OS or platform code (lx, wn, aix, esx). */
const CODE_TAIL_MAX = 3;

/**
 * Machine codes begin with the environment and end with an OS or platform code (`prdlx4407`,
 * `stgwn0012`, `devaix0042`): an environment word with at most three letters after it is such a
 * code. It says the environment and names no application; the machines that share it are every
 * application of that environment on that platform.
 */
function envCode(word: string): string | null {
  for (const [w, env] of Object.entries(ENV_WORDS)) if (word.startsWith(w) && word.length > w.length && word.length - w.length <= CODE_TAIL_MAX) return env;
  return null;
}

/** Tier and environment words long enough to be told apart at the end of a longer word. */
const GLUED_MIN = 3;
const KEEP_MIN = 4;

/**
 * Names written without separators glue the tier and the environment to the application:
 * `financesql`, `docsweb`, `ediapiprdsvc`. Known tier and environment words at the end of a word
 * are taken off while at least four letters remain (`contest` stays whole).
 */
function unglue(word: string): { rest: string; role: Role | null; env: string | null } {
  let rest = word;
  let role: Role | null = null;
  let env: string | null = null;
  for (let again = true; again; ) {
    again = false;
    for (let n = Math.min(rest.length - KEEP_MIN, 12); n >= GLUED_MIN; n--) {
      const tail = rest.slice(-n);
      if (ROLE_WORDS[tail] || ENV_WORDS[tail]) {
        if (ROLE_WORDS[tail]) role ??= ROLE_WORDS[tail]!;
        else env ??= ENV_WORDS[tail]!;
        rest = rest.slice(0, -n);
        again = true;
        break;
      }
    }
  }
  return { rest, role, env };
}
