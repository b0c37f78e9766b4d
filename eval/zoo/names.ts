// Hostnames (docs/estate-zoo.md, "Hostnames"). Five conventions: readable names in each team's
// own order and separators (`conventional`), environment + OS (+ site) codes and a serial
// (`codes`), asset tags (`cmdb`), the cloud provider's defaults (`cloud`), and a team-by-team mix
// of those in which infrastructure mostly keeps readable names (`mixed`).
import type { Naming } from './model';
import type { Practices } from './practices';
import type { Random } from './random';
import type { Machine, Team } from './skeleton';

type Convention = Exclude<Naming, 'mixed'>;

interface ConventionalStyle {
  /** where the environment goes, when the name carries it */
  envAt: 'prefix' | 'middle' | 'suffix';
  /** production machines carry the environment too */
  markProd: boolean;
  sep: string;
  /** role and number written together (web01) or apart (web-01) */
  glue: boolean;
  digits: number;
  domain: string | null;
  /** the team's words for its tiers */
  roleWords: Map<string, string>;
}

interface TeamNaming {
  convention: Convention;
  style: ConventionalStyle;
  /** cloud teams: instance ids rather than the address */
  instanceIds: boolean;
}

const ROLE_WORDS: Record<string, string[]> = {
  web: ['web', 'www', 'fe', 'web'],
  app: ['app', 'api', 'svc', 'as', 'app'],
  worker: ['wrk', 'batch', 'worker', 'job'],
  db: ['db', 'sql', 'dbs', 'db'],
  cache: ['cache', 'kv'],
  queue: ['mq', 'broker', 'msg'],
  search: ['es', 'search', 'idx'],
  file: ['fs', 'file', 'nas'],
  'domain-controller': ['dc', 'ad', 'addc'],
  resolver: ['ns', 'dns'],
  ntp: ['ntp', 'time'],
  collector: ['log', 'syslog', 'elk'],
  monitoring: ['mon', 'nagios', 'zabbix', 'prom'],
  backup: ['bkp', 'backup'],
  storage: ['bkpstore', 'dd', 'stor'],
  'repo-mirror': ['repo', 'mirror'],
  wsus: ['wsus'],
  'puppet-master': ['puppet'],
  'salt-master': ['salt'],
  automation: ['ansible', 'awx'],
  relay: ['smtp', 'relay', 'mail'],
  proxy: ['proxy', 'squid'],
  jump: ['jump', 'bastion', 'jmp'],
  vcenter: ['vcenter', 'vc'],
  hypervisor: ['esx', 'esxi'],
  scanner: ['scan', 'nessus', 'qualys'],
  discovery: ['ipam', 'disco'],
};

// what a product is called in a hostname, when a team names a tier after its product
const PRODUCT_WORDS: Record<string, string> = { postgres: 'pg', mysql: 'my', mssql: 'sql', oracle: 'ora', mongodb: 'mongo', redis: 'redis', memcached: 'mc', rabbitmq: 'rmq', kafka: 'kafka', activemq: 'amq', elasticsearch: 'es', nfs: 'nfs', smb: 'smb' };

const SITES = ['ny1', 'ldn', 'fra2', 'ams1', 'chi1', 'sgp1', 'par3', 'dal2'];
const DOMAINS = ['corp.example', 'ad.example.com', 'int.example.net', 'example.local'];

export class Namer {
  private readonly taken = new Set<string>();
  private readonly serials = new Set<string>();
  private readonly teams = new Map<Team, TeamNaming>();
  private readonly estateStyle: ConventionalStyle;
  private readonly sites: string[];
  private readonly osCodes: { linux: string; windows: string; host: string };
  private readonly cmdbScheme: 'srv' | 'vm' | 'ci';

  constructor(
    private readonly rng: Random,
    private readonly naming: Naming,
    private readonly practices: Practices,
  ) {
    this.estateStyle = this.newStyle(rng.pick(DOMAINS));
    this.sites = rng.chance(0.4) ? rng.sample(SITES, rng.int(1, 2)) : [];
    this.osCodes = rng.pick([
      { linux: 'lx', windows: 'wn', host: 'vh' },
      { linux: 'l', windows: 'w', host: 'h' },
      { linux: 'lnx', windows: 'win', host: 'esx' },
      { linux: 'lx', windows: 'ws', host: 'hv' },
    ]);
    this.cmdbScheme = rng.pick(['srv', 'vm', 'ci'] as const);
  }

  private newStyle(domain: string): ConventionalStyle {
    const rng = this.rng;
    return {
      envAt: rng.pick(['prefix', 'middle', 'suffix', 'suffix'] as const),
      markProd: rng.chance(0.35),
      sep: rng.pick(['-', '-', '-', '', '_']),
      glue: rng.chance(0.5),
      digits: rng.pick([2, 2, 2, 1, 3]),
      domain: rng.chance(0.15) ? domain : null,
      roleWords: new Map(),
    };
  }

  private teamNaming(team: Team): TeamNaming {
    const known = this.teams.get(team);
    if (known) return known;
    const rng = this.rng;
    let convention: Convention;
    if (this.naming !== 'mixed') convention = this.naming;
    else if (team.kind === null && rng.chance(0.7)) convention = 'conventional';
    else convention = rng.weighted([['conventional', 0.4], ['codes', 0.2], ['cmdb', 0.2], ['cloud', 0.2]] as const);
    // most teams follow the estate's habit; some have their own
    const style = rng.chance(0.7) ? { ...this.estateStyle, roleWords: new Map<string, string>() } : this.newStyle(this.estateStyle.domain ?? rng.pick(DOMAINS));
    const made: TeamNaming = { convention, style, instanceIds: rng.chance(0.3) };
    this.teams.set(team, made);
    return made;
  }

  private roleWord(style: ConventionalStyle, m: Machine): string {
    const role = m.tier.role;
    const known = style.roleWords.get(role);
    if (known) return known;
    const product = m.tier.product ? PRODUCT_WORDS[m.tier.product] : undefined;
    const word = product && this.rng.chance(0.4) ? product : this.rng.pick(ROLE_WORDS[role] ?? [role]);
    style.roleWords.set(role, word);
    return word;
  }

  private claim(name: string): boolean {
    if (this.taken.has(name)) return false;
    this.taken.add(name);
    return true;
  }

  private serial(digits: number): string {
    for (;;) {
      const s = String(this.rng.int(1, 10 ** digits - 1)).padStart(digits, '0');
      if (!this.serials.has(s)) {
        this.serials.add(s);
        return s;
      }
    }
  }

  private conventional(team: Team, style: ConventionalStyle, m: Machine): string {
    const env = m.tier.deployment.env;
    const v = this.practices.vocabulary;
    const role = this.roleWord(style, m);
    const site = this.sites.length > 0 && this.rng.chance(0.5) ? this.rng.pick(this.sites) : null;
    let n = m.tier.machines.indexOf(m) + 1;
    for (;;) {
      const num = String(n).padStart(style.digits, '0');
      let parts: string[];
      if (team.kind === null) {
        // infrastructure: the service's word and a number (dc01, ny1-ntp02)
        parts = [...(site ? [site] : []), `${role}${num}`];
      } else {
        const app = style.sep === '' ? team.name.replaceAll('-', '') : team.name;
        const roleNum = style.glue ? `${role}${num}` : `${role}${style.sep}${num}`;
        const envWord = env !== 'prod' || style.markProd ? v.envWord[env] : null;
        if (!envWord) parts = [app, roleNum];
        else if (style.envAt === 'prefix') parts = [envWord, app, roleNum];
        else if (style.envAt === 'middle') parts = [app, envWord, roleNum];
        else parts = [app, roleNum, envWord];
      }
      const name = parts.join(team.kind === null ? '-' : style.sep) + (style.domain ? `.${style.domain}` : '');
      if (this.claim(name)) return name;
      n++;
    }
  }

  private coded(m: Machine): string {
    const site = this.sites.length > 0 ? this.rng.pick(this.sites) : '';
    const os = m.workload.kind === 'host' ? this.osCodes.host : this.osCodes[m.workload.os];
    for (;;) {
      const name = `${site}${this.practices.vocabulary.envCode[m.tier.deployment.env]}${os}${this.serial(4)}`;
      if (this.claim(name)) return name;
    }
  }

  private assetTag(m: Machine): string {
    for (;;) {
      const name =
        this.cmdbScheme === 'ci' ? `CI${this.serial(7)}` : this.cmdbScheme === 'vm' && m.workload.kind !== 'host' ? `VM-${this.serial(5)}` : `SRV${this.serial(6)}`;
      if (this.claim(name)) return name;
    }
  }

  private cloudName(naming: TeamNaming, m: Machine): string {
    const ip = m.workload.bindings[0]?.ip;
    // the address-based name of a reused address belongs to its first holder already
    if (ip && !naming.instanceIds && this.claim(`ip-${ip.replaceAll('.', '-')}`)) return `ip-${ip.replaceAll('.', '-')}`;
    for (;;) {
      const name = `i-0${this.rng.hex(16)}`;
      if (this.claim(name)) return name;
    }
  }

  /** A name for the machine, unique in the estate; its addresses must be known already. */
  name(m: Machine): string {
    const team = m.tier.deployment.team;
    const naming = this.teamNaming(team);
    switch (naming.convention) {
      case 'conventional':
        return this.conventional(team, naming.style, m);
      case 'codes':
        return this.coded(m);
      case 'cmdb':
        return this.assetTag(m);
      case 'cloud':
        return this.cloudName(naming, m);
    }
  }
}
