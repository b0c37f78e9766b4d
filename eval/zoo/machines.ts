// The estate's machines: the shared services every estate runs (docs/estate-zoo.md, "Shared core
// services" and "Management") and business applications drawn from the catalog until the estate
// has about the number of workloads its shape asks for.
import { APP_KINDS, PRODUCTS, type AppKind, type Os, type Product, type ProductName, type TierSpec } from './catalog';
import type { ZooShape, ZooWorkload, TruthKind } from './model';
import type { Practices } from './practices';
import type { Random } from './random';
import { APP_ENVS, type Deployment, type Env, type Machine, type Team, type Tier } from './skeleton';

export interface CoreServices {
  /** domain controllers; the first is the PDC emulator */
  directory: Tier;
  /** separate DNS resolvers, when the controllers do not answer DNS */
  resolvers: Tier | null;
  /** NTP servers, when the controllers do not serve time to Linux machines */
  ntp: Tier | null;
  logging: Tier;
  monitoring: Tier;
  backup: Tier;
  backupStorage: Tier;
  repo: Tier;
  wsus: Tier;
  /** Puppet or Salt master, or the Ansible automation host */
  config: Tier | null;
  relay: Tier;
  proxy: Tier;
  files: Tier;
  jumpLinux: Tier;
  jumpWindows: Tier;
  vcenter: Tier | null;
  hypervisors: Tier | null;
  scanner: Tier;
  discovery: Tier | null;
}

export interface Skeleton {
  teams: Team[];
  apps: Team[];
  core: CoreServices;
}

/** How a machine is made: the ports it answers on follow from its tier, its OS and the estate's agents. */
export class MachineShop {
  constructor(
    private readonly rng: Random,
    private readonly practices: Practices,
  ) {}

  add(tier: Tier, managed = true): Machine {
    const d = tier.deployment;
    const os = tier.os;
    const workload: ZooWorkload = {
      name: '',
      kind: tier.role === 'hypervisor' ? 'host' : this.practices.platform === 'cloud' ? 'instance' : 'vm',
      os,
      bindings: [],
      labels: {},
      truth: { app: d.team.name, env: d.env, role: tier.role, kind: d.team.truthKind },
    };
    const serves = new Set<number>(tier.ports);
    if (tier.peers) serves.add(tier.peers.port);
    const p = this.practices;
    if (p.scrape.protocol === 6) serves.add(os === 'linux' ? p.scrape.linux : p.scrape.windows);
    if (managed) serves.add(p.backup.port);
    if (os === 'linux') serves.add(22);
    else for (const port of [135, 139, 445, ...p.windowsRemote]) serves.add(port);
    // the Windows firewall is on by default; most Linux servers run without a host firewall
    const machine: Machine = { workload, tier, serves, dropsUnserved: this.rng.chance(os === 'windows' ? 0.5 : 0.12), managed };
    tier.machines.push(machine);
    return machine;
  }
}

const KIND_WEIGHTS: Record<string, number> = {
  webshop: 1,
  portal: 1.2,
  erp: 0.8,
  hr: 0.8,
  bi: 0.8,
  orders: 0.8,
  payments: 0.6,
  search: 0.5,
  'file-transfer': 0.5,
  crm: 1,
  ticketing: 0.8,
  warehouse: 0.5,
  inventory: 0.7,
  cms: 0.7,
  billing: 0.7,
  wiki: 0.6,
  'partner-api': 0.4,
};

const CONFIG_SERVICES = {
  puppet: { role: 'puppet-master', ports: [8140] },
  salt: { role: 'salt-master', ports: [4505, 4506] },
  // Ansible pushes over SSH: the automation host serves nothing to the machines it manages
  ansible: { role: 'automation', ports: [] },
};

// business units and regions teams put in front of a name once the plain one is taken
const QUALIFIERS = ['eu', 'us', 'uk', 'apac', 'retail', 'b2b', 'group', 'legacy', 'partner', 'corp', 'mobile', 'wholesale', 'claims', 'fleet', 'loyalty', 'trade', 'online', 'field', 'internal', 'new'];

function newTier(deployment: Deployment, role: string, os: Os, ports: number[], product: ProductName | null = null): Tier {
  const spec: Product | null = product ? PRODUCTS[product] : null;
  const tier: Tier = { deployment, role, os, product, ports, peers: spec?.peers ?? null, machines: [] };
  deployment.tiers.push(tier);
  return tier;
}

function newTeam(teams: Team[], name: string, kind: AppKind | null, truthKind: TruthKind): Team {
  const team: Team = { name, kind, truthKind, deployments: [] };
  teams.push(team);
  return team;
}

function newDeployment(team: Team, env: Env): Deployment {
  const d: Deployment = { team, env, tiers: [] };
  team.deployments.push(d);
  return d;
}

/** 0 for the smallest estates, 1 for the largest: larger estates have larger tiers and more copies. */
export function sizeScale(workloads: number): number {
  return Math.min(1, Math.max(0, Math.log(workloads / 80) / Math.log(25)));
}

// the shared services' machines grow with the estate: more controllers, collectors, jump hosts
function buildCore(rng: Random, shop: MachineShop, p: Practices, teams: Team[], workloads: number): CoreServices {
  const big = workloads >= 1000;
  const service = (name: string, truthKind: TruthKind = 'core') => newDeployment(newTeam(teams, name, null, truthKind), 'shared');
  const fill = (tier: Tier, n: number, managed = true) => {
    for (let i = 0; i < n; i++) shop.add(tier, managed);
    return tier;
  };
  const directory = fill(newTier(service('directory'), 'domain-controller', 'windows', [53, 88, 135, 389, 445, 464, 636, 3268, 3269]), workloads < 150 ? 2 : big ? rng.int(3, 4) : rng.int(2, 3));
  const resolvers = p.dnsBy === 'resolvers' ? fill(newTier(service('dns'), 'resolver', 'linux', [53]), 2) : null;
  const ntp = p.ntpBy === 'servers' ? fill(newTier(service('ntp'), 'ntp', 'linux', []), workloads < 500 ? 1 : 2) : null;
  const logging = fill(newTier(service('logging'), 'collector', 'linux', p.log.protocol === 6 ? [p.log.port] : []), workloads < 500 ? 1 : 2);
  const monitoring = fill(newTier(service('monitoring'), 'monitoring', 'linux', [p.monitoringUi]), big ? 2 : 1);
  const backupTeam = service('backup');
  const backup = fill(newTier(backupTeam, 'backup', rng.chance(0.5) ? 'windows' : 'linux', [443]), big ? 2 : 1);
  const backupStorage = fill(newTier(backupTeam, 'storage', 'linux', [p.backup.storagePort]), big ? 2 : 1);
  const patching = service('patching');
  const repo = fill(newTier(patching, 'repo-mirror', 'linux', [p.patch.repoPort]), big ? 2 : 1);
  const wsus = fill(newTier(patching, 'wsus', 'windows', [p.patch.wsusPort]), 1);
  const configService = p.config === 'none' ? null : CONFIG_SERVICES[p.config];
  const config = configService && fill(newTier(service('config-management'), configService.role, 'linux', configService.ports), big && p.config !== 'ansible' ? 2 : 1);
  const relay = fill(newTier(service('mail-relay'), 'relay', 'linux', [25]), workloads < 500 ? 1 : 2);
  const proxy = fill(newTier(service('proxy'), 'proxy', 'linux', [p.proxyPort]), workloads < 250 ? 1 : 2);
  const files = fill(newTier(service('file-services'), 'file', 'windows', [445]), workloads < 250 ? 1 : big ? 3 : 2);
  const jumpTeam = service('jump-hosts', 'management');
  const jumpCount = workloads < 250 ? 2 : big ? rng.int(3, 4) : rng.int(2, 3);
  const jumpLinux = fill(newTier(jumpTeam, 'jump', 'linux', []), Math.ceil(jumpCount / 2));
  const jumpWindows = fill(newTier(jumpTeam, 'jump', 'windows', [3389]), Math.floor(jumpCount / 2));
  let vcenter: Tier | null = null;
  let hypervisors: Tier | null = null;
  if (p.platform === 'vsphere') {
    const virtualization = service('virtualization', 'management');
    vcenter = fill(newTier(virtualization, 'vcenter', 'linux', [443]), 1, false);
    // ESXi is neither of the contract's two systems; its management side is closest to Linux
    hypervisors = fill(newTier(virtualization, 'hypervisor', 'linux', [443, 902]), Math.max(2, Math.round(workloads / rng.int(20, 35))), false);
  }
  const scanner = fill(newTier(service('vulnerability-scanner', 'scanner'), 'scanner', 'linux', [8834]), 1);
  const discovery = p.sweep.by === 'discovery' ? fill(newTier(service('ipam', 'scanner'), 'discovery', 'linux', [443]), 1) : null;
  return { directory, resolvers, ntp, logging, monitoring, backup, backupStorage, repo, wsus, config, relay, proxy, files, jumpLinux, jumpWindows, vcenter, hypervisors, scanner, discovery };
}

interface Draft {
  kind: AppKind;
  tiers: Array<{ spec: TierSpec; product: ProductName; sizes: Record<'prod' | 'staging' | 'dev', number> }>;
}

const draftSize = (d: Draft) => d.tiers.reduce((n, t) => n + t.sizes.prod + t.sizes.staging + t.sizes.dev, 0);

function draftApplication(rng: Random, kind: AppKind, scale: number): Draft {
  const stack: Os = rng.chance(kind.windows) ? 'windows' : 'linux';
  const staging = rng.chance(0.55 + 0.1 * scale);
  const dev = rng.chance(0.35 + 0.1 * scale);
  const tiers: Draft['tiers'] = [];
  for (const spec of kind.tiers) {
    if (!rng.chance(spec.chance ?? 1)) continue;
    const [lo, hi] = spec.prod;
    const prod = rng.int(lo, lo + Math.round((hi - lo) * (0.5 + 0.5 * scale)));
    const product = rng.pick(stack === 'windows' ? spec.windows ?? spec.linux : spec.linux);
    // copies outside production are small: tiers of one or two machines
    const copy = () => (prod > 1 && rng.chance(0.3) ? 2 : 1);
    tiers.push({ spec, product, sizes: { prod, staging: staging ? copy() : 0, dev: dev ? copy() : 0 } });
  }
  const prodSize = () => tiers.reduce((n, t) => n + t.sizes.prod, 0);
  const largest = () => tiers.reduce((a, b) => (b.sizes.prod > a.sizes.prod ? b : a));
  while (prodSize() > 20) largest().sizes.prod--;
  const growable = tiers.find((t) => t.spec.role === 'app' || t.spec.role === 'web' || t.spec.role === 'worker') ?? largest();
  while (prodSize() < 3) growable.sizes.prod++;
  return { kind, tiers };
}

function uniqueName(rng: Random, kind: AppKind, taken: Set<string>): string {
  const free = kind.names.filter((n) => !taken.has(n));
  let name = free.length > 0 && rng.chance(0.8) ? rng.pick(free) : `${rng.pick(QUALIFIERS)}-${rng.pick(kind.names)}`;
  while (taken.has(name)) name = `${rng.pick(QUALIFIERS)}-${rng.pick(kind.names)}`;
  taken.add(name);
  return name;
}

function buildApplication(shop: MachineShop, teams: Team[], name: string, draft: Draft): Team {
  const team = newTeam(teams, name, draft.kind, 'application');
  for (const env of APP_ENVS) {
    if (draft.tiers.every((t) => t.sizes[env] === 0)) continue;
    const d = newDeployment(team, env);
    for (const t of draft.tiers) {
      const product = PRODUCTS[t.product];
      const tier = newTier(d, t.spec.role, product.os, [...product.ports], t.product);
      for (let i = 0; i < t.sizes[env]; i++) shop.add(tier);
    }
  }
  return team;
}

/**
 * The shared services and enough applications for about `shape.workloads` workloads, leaving
 * room for the `extra` machines the address handovers and instance replacements will add.
 */
export function buildSkeleton(rng: Random, shape: Required<ZooShape>, practices: Practices, shop: MachineShop, extra: number): Skeleton {
  const teams: Team[] = [];
  const core = buildCore(rng, shop, practices, teams, shape.workloads);
  const coreSize = teams.reduce((n, t) => n + t.deployments.reduce((m, d) => m + d.tiers.reduce((k, tier) => k + tier.machines.length, 0), 0), 0);
  const budget = shape.workloads - coreSize - extra;
  const scale = sizeScale(shape.workloads);
  const taken = new Set<string>(teams.map((t) => t.name));
  const weights = APP_KINDS.map((k) => [k, KIND_WEIGHTS[k.kind] ?? 0.5] as const);
  // every estate has a public web application and one its office users work with
  const firstKinds = [rng.pick(APP_KINDS.filter((k) => k.internet)), rng.pick(APP_KINDS.filter((k) => k.users))];
  const apps: Team[] = [];
  let used = 0;
  while (used < budget) {
    const draft = draftApplication(rng, firstKinds[apps.length] ?? rng.weighted(weights), scale);
    const room = budget - used;
    if (draftSize(draft) > room) {
      for (const t of draft.tiers) t.sizes.dev = t.sizes.staging = 0;
      while (draftSize(draft) > room && draft.tiers.some((t) => t.sizes.prod > 1)) {
        const t = draft.tiers.reduce((a, b) => (b.sizes.prod > a.sizes.prod ? b : a));
        t.sizes.prod--;
      }
      // a remainder too small for an application stays empty
      if (draftSize(draft) - room > room || draftSize(draft) < 3) break;
    }
    apps.push(buildApplication(shop, teams, uniqueName(rng, draft.kind, taken), draft));
    used += draftSize(draft);
  }
  return { teams, apps, core };
}
