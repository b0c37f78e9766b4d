// Addresses: the private space an estate carves its ranges from, the public addresses of the
// internet around it, and the plan that gives servers their addresses (docs/estate-zoo.md,
// "Environments and the address plan").
import type { Random } from './random';
import type { Env, Machine } from './skeleton';

export const ipToInt = (ip: string): number => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
export const intToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

export function cidrRange(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const lo = ipToInt(ip ?? '0.0.0.0');
  return [lo, lo + size - 1];
}

/** Private blocks in use, so server ranges and people's networks never overlap. */
export class PrivateSpace {
  private readonly taken: Array<[number, number]> = [];

  constructor(private readonly rng: Random) {}

  isFree(cidr: string): boolean {
    const [lo, hi] = cidrRange(cidr);
    return this.taken.every(([a, b]) => hi < a || lo > b);
  }

  reserve(cidr: string): string {
    this.taken.push(cidrRange(cidr));
    return cidr;
  }

  /** a free block of this prefix length inside 10/8, 172.16/12 or 192.168/16 */
  take(prefix: number, within: '10' | '172' | '192' = this.rng.weighted([['10', 0.7], ['172', 0.2], ['192', 0.1]])): string {
    for (;;) {
      const [base, span] = { '10': [ipToInt('10.0.0.0'), 2 ** 24], '172': [ipToInt('172.16.0.0'), 2 ** 20], '192': [ipToInt('192.168.0.0'), 2 ** 16] }[within] as [number, number];
      const size = 2 ** (32 - prefix);
      const slots = Math.max(1, span / size);
      // round numbers, as people choose them: a low or a round block more often than not
      const slot = this.rng.chance(0.5) ? this.rng.int(0, Math.min(slots - 1, 40)) : this.rng.int(0, slots - 1);
      const cidr = `${intToIp(base + slot * size)}/${prefix}`;
      if (this.isFree(cidr)) return this.reserve(cidr);
    }
  }
}

// first octets of addresses that real internet hosts (clients, APIs, time servers) have
const PUBLIC_FIRST_OCTETS = [3, 5, 13, 18, 20, 23, 31, 34, 35, 37, 40, 45, 46, 51, 52, 54, 62, 66, 69, 72, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 98, 99, 104, 107, 108, 109, 128, 130, 137, 141, 142, 143, 145, 146, 147, 151, 152, 157, 162, 164, 167, 173, 176, 178, 185, 188, 193, 194, 195, 199, 204, 207, 208, 209, 212, 213, 216, 217];

/** Public addresses, each handed out once. */
export class PublicAddresses {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Random) {}

  /** an address nobody has, or `fixed` when given (well-known resolvers and time servers) */
  take(fixed?: string): string {
    if (fixed && !this.used.has(fixed)) {
      this.used.add(fixed);
      return fixed;
    }
    for (;;) {
      const ip = `${this.rng.pick(PUBLIC_FIRST_OCTETS)}.${this.rng.int(0, 255)}.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
  }

  /** an aligned public block (a partner's range) */
  block(prefix: number): string {
    for (;;) {
      const size = 2 ** (32 - prefix);
      const base = ipToInt(`${this.rng.pick(PUBLIC_FIRST_OCTETS)}.${this.rng.int(0, 255)}.${this.rng.int(0, 255)}.0`) + size * this.rng.int(0, 256 / size - 1);
      const cidr = `${intToIp(base)}/${prefix}`;
      const members = Array.from({ length: size }, (_, i) => intToIp(base + i));
      if (members.every((ip) => !this.used.has(ip))) {
        for (const ip of members) this.used.add(ip);
        return cidr;
      }
    }
  }
}

/** A /24 of the server ranges: filled from `firstHost` up, with gaps where machines were removed. */
interface Subnet {
  base: number;
  /** the environment whose range it is in (null in a flat plan) */
  env: Env | null;
  firstHost: number;
  next: number;
}

const LAYERS: Record<string, string> = { web: 'web', app: 'app', worker: 'app', cache: 'app', queue: 'app', search: 'app', db: 'data', file: 'data' };

/**
 * Where servers get their addresses. Segmented: a private /16 per environment, inside it /24s per
 * layer (web, app, data, the VLANs of a three-tier data centre) or per availability zone. Flat: one
 * or two ranges hold everything, and the next free address goes to whatever is built next.
 */
export class ServerPlan {
  private readonly subnets = new Map<string, Subnet[]>();
  private readonly all: Subnet[] = [];
  private readonly used = new Set<number>();
  private readonly envBase = new Map<Env, number>();
  private readonly layout: 'layers' | 'zones';
  private readonly zones: number;
  private readonly firstHost: number;
  private readonly gapChance: number;
  private readonly flatRanges: number[] = [];
  private flatBlocksInFirst = Infinity;

  constructor(
    private readonly rng: Random,
    readonly kind: 'segmented' | 'flat',
    space: PrivateSpace,
    workloads: number,
    cloud: boolean,
  ) {
    this.layout = rng.chance(0.5) ? 'layers' : 'zones';
    this.zones = rng.int(2, 3);
    // cloud providers reserve the first addresses of a subnet; data centres keep some for network gear
    this.firstHost = cloud ? 4 : rng.pick([5, 10, 11, 20]);
    this.gapChance = 0.05 + rng.float() * 0.08;
    const family = rng.weighted([['10', 0.75], ['172', 0.2], ['192', 0.05]] as const);
    if (kind === 'segmented') {
      for (const env of ['shared', 'prod', 'staging', 'dev'] as const) this.envBase.set(env, cidrRange(space.take(16, family === '192' ? '10' : family))[0]);
    } else {
      const blocks = Math.ceil((workloads * 1.4) / 230) + 1;
      const prefix = 24 - Math.ceil(Math.log2(blocks));
      const twoRanges = workloads > 60 && rng.chance(0.4);
      this.flatRanges.push(cidrRange(space.take(prefix, family))[0]);
      if (twoRanges) {
        this.flatBlocksInFirst = Math.max(1, Math.round(blocks * 0.6));
        this.flatRanges.push(cidrRange(space.take(prefix, family))[0]);
      }
    }
  }

  private key(m: Machine): { key: string; env: Env; slot: number } {
    const env = m.tier.deployment.env;
    if (this.kind === 'flat') return { key: 'flat', env, slot: 0 };
    if (this.layout === 'zones') {
      const zone = m.tier.machines.indexOf(m) % this.zones;
      return { key: `${env}/z${zone}`, env, slot: zone + 1 };
    }
    const layer = env === 'shared' ? (m.workload.kind === 'host' ? 'mgmt' : 'infra') : LAYERS[m.tier.role] ?? 'app';
    const slot = { web: 10, app: 20, data: 30, infra: 10, mgmt: 50 }[layer] ?? 40;
    return { key: `${env}/${layer}`, env, slot };
  }

  private newSubnet(key: string, env: Env, slot: number, count: number): Subnet {
    let base: number;
    if (this.kind === 'flat') {
      const range = count < this.flatBlocksInFirst ? 0 : 1;
      const offset = range === 0 ? count : count - this.flatBlocksInFirst;
      base = (this.flatRanges[range] ?? 0) + offset * 256;
    } else {
      // zones overflow ten /24s further up, layers into the next /24
      base = (this.envBase.get(env) ?? 0) + (slot + count * (this.layout === 'zones' ? 10 : 1)) * 256;
    }
    const subnet: Subnet = { base, env: this.kind === 'flat' ? null : env, firstHost: this.firstHost, next: this.firstHost };
    const list = this.subnets.get(key) ?? [];
    list.push(subnet);
    this.subnets.set(key, list);
    this.all.push(subnet);
    return subnet;
  }

  private takeIn(subnet: Subnet): string | null {
    if (this.rng.chance(this.gapChance)) subnet.next += this.rng.int(1, 3);
    while (subnet.next <= 254 && this.used.has(subnet.base + subnet.next)) subnet.next++;
    if (subnet.next > 254) return null;
    const n = subnet.base + subnet.next++;
    this.used.add(n);
    return intToIp(n);
  }

  /** the next free address where this machine belongs */
  allocate(m: Machine): string {
    const { key, env, slot } = this.key(m);
    for (;;) {
      const list = this.subnets.get(key) ?? [];
      const subnet = list[list.length - 1] ?? this.newSubnet(key, env, slot, 0);
      const ip = this.takeIn(subnet);
      if (ip) return ip;
      this.newSubnet(key, env, slot, this.subnets.get(key)?.length ?? 0);
    }
  }

  /** every host address of the /24s machines were given addresses in (of some environments' ranges): what a discovery sweep pings */
  hostAddresses(envs?: readonly Env[]): string[] {
    return this.all
      .filter((s) => !envs || s.env === null || envs.includes(s.env))
      .flatMap((s) => Array.from({ length: 255 - s.firstHost }, (_, i) => intToIp(s.base + s.firstHost + i)));
  }

  /** host addresses of the server ranges nobody was ever given */
  darkAddresses(envs?: readonly Env[]): string[] {
    return this.hostAddresses(envs).filter((ip) => !this.used.has(ipToInt(ip)));
  }
}
