// The internet around an estate: the fixed addresses of the services it reaches (APIs, update
// mirrors, a mail smart host, public resolvers and time servers) and the addresses of everyone else.
import { PublicAddresses } from './addresses';
import { INTERNET_APIS } from './catalog';
import type { Random } from './random';

// services the shared infrastructure reaches, beside the applications' APIs of the catalog
const INFRASTRUCTURE_SERVICES: Record<string, { port: number; addresses: [number, number] }> = {
  'os-updates': { port: 443, addresses: [2, 3] },
  'microsoft-update': { port: 443, addresses: [2, 3] },
  'smart-host': { port: 25, addresses: [1, 2] },
  'scanner-feed': { port: 443, addresses: [1, 2] },
};

const PUBLIC_RESOLVERS = [
  ['8.8.8.8', '8.8.4.4'],
  ['1.1.1.1', '1.0.0.1'],
  ['9.9.9.9', '149.112.112.112'],
  ['208.67.222.222', '208.67.220.220'],
];

// time.google.com, time.cloudflare.com and NIST; pool.ntp.org members are anyone's addresses
const TIME_SERVERS = ['216.239.35.0', '216.239.35.4', '216.239.35.8', '162.159.200.1', '162.159.200.123', '129.6.15.28', '129.6.15.29', '132.163.96.1'];

export class Internet {
  readonly addresses: PublicAddresses;
  private readonly services = new Map<string, string[]>();
  readonly resolvers: string[];
  readonly timeServers: string[];

  constructor(private readonly rng: Random) {
    this.addresses = new PublicAddresses(rng);
    this.resolvers = rng.pick(PUBLIC_RESOLVERS).map((ip) => this.addresses.take(ip));
    const named = rng.sample(TIME_SERVERS, rng.int(1, 3)).map((ip) => this.addresses.take(ip));
    const fromPool = Array.from({ length: rng.int(3, 4) - named.length }, () => this.addresses.take());
    this.timeServers = [...named, ...fromPool];
  }

  /** a service by name: its port and the addresses it is reached at, the same for every caller */
  service(name: string): { port: number; addresses: string[] } {
    const spec = INTERNET_APIS[name] ?? INFRASTRUCTURE_SERVICES[name];
    if (!spec) throw new Error(`unknown internet service ${name}`);
    let addresses = this.services.get(name);
    if (!addresses) {
      addresses = Array.from({ length: this.rng.int(...spec.addresses) }, () => this.addresses.take());
      this.services.set(name, addresses);
    }
    return { port: spec.port, addresses };
  }
}
