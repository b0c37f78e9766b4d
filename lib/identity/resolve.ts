// (address, time) -> who: the workload that held the address then, or, for addresses no
// inventory names, the named network that holds it (and its reverse DNS name when known).
//
// This is the TypeScript side of identity, for what is small: one address in the CLI or API,
// the few thousand endpoints of an aggregated graph. Heavy joins over flows stay in ClickHouse
// (address_bindings and named_networks; docs/identity.md): both sides follow the same rules
// (bindings are [validFrom, validTo), most specific network wins).
import type { Db } from '../db';
import type { Store } from '../store';
import { canonicalAddress } from './address';
import { loadBindings, type BindingRow } from './bindings';
import { loadNames } from './dns';
import { loadNamedNetworks, NetworkTable, type NamedNetworkSpec, type NetworkKind } from './networks';

export interface ResolvedWorkload {
  type: 'workload';
  addr: string;
  workloadId: string;
  workloadName: string;
  /** the binding that applied */
  validFrom: Date;
  validTo: Date | null;
}

export interface ResolvedNetwork {
  type: 'network';
  addr: string;
  network: string;
  networkKind: NetworkKind;
  cidr: string;
  /** true for the built-in classes (private (unnamed), internet, ...) */
  builtin: boolean;
  /** reverse DNS name, when `bulkhead networks dns` found one */
  dnsName?: string;
}

export type Resolved = ResolvedWorkload | ResolvedNetwork;

interface Interval {
  from: number;
  to: number;
  row: BindingRow;
}

export class IdentityResolver {
  private readonly byIp = new Map<string, Interval[]>();

  constructor(
    bindings: readonly BindingRow[],
    readonly networks: NetworkTable,
    private readonly names: ReadonlyMap<string, string> = new Map(),
  ) {
    for (const b of bindings) {
      const ip = canonicalAddress(b.ip) ?? b.ip;
      let l = this.byIp.get(ip);
      if (!l) this.byIp.set(ip, (l = []));
      l.push({ from: b.validFrom.getTime(), to: b.validTo ? b.validTo.getTime() : Number.POSITIVE_INFINITY, row: b });
    }
    for (const l of this.byIp.values()) l.sort((a, b) => a.from - b.from);
  }

  /**
   * Everything needed to resolve: bindings and named networks (Prisma), DNS names (ClickHouse,
   * when a store is given); limited to `addresses` when given.
   */
  static async load(db: Db, store?: Store | null, opts: { addresses?: readonly string[] } = {}): Promise<IdentityResolver> {
    const [bindings, named] = await Promise.all([loadBindings(db, { ips: opts.addresses }), loadNamedNetworks(db)]);
    const names = store ? await loadNames(store, opts.addresses).catch(() => new Map<string, string>()) : new Map<string, string>();
    return new IdentityResolver(bindings, new NetworkTable(named), names);
  }

  static of(bindings: readonly BindingRow[], named: readonly NamedNetworkSpec[] = [], names: ReadonlyMap<string, string> = new Map()) {
    return new IdentityResolver(bindings, new NetworkTable(named), names);
  }

  /** The binding that held `addr` at `at`, if any (intervals are [from, to)). */
  workloadAt(addr: string, at: Date | number): BindingRow | null {
    const ip = canonicalAddress(addr);
    if (!ip) return null;
    const l = this.byIp.get(ip);
    if (!l) return null;
    const t = typeof at === 'number' ? at : at.getTime();
    // bindings of one address never overlap: the last one starting at or before t is the candidate
    let lo = 0;
    let hi = l.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (l[mid]!.from <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const iv = found >= 0 ? l[found]! : null;
    return iv && t < iv.to ? iv.row : null;
  }

  /** Every holding of an address, oldest first. */
  history(addr: string): BindingRow[] {
    const ip = canonicalAddress(addr);
    return ip ? (this.byIp.get(ip) ?? []).map((i) => i.row) : [];
  }

  resolve(addr: string, at: Date | number): Resolved {
    const ip = canonicalAddress(addr);
    if (!ip) throw new Error(`"${addr}" is not an IP address`);
    const b = this.workloadAt(ip, at);
    if (b) return { type: 'workload', addr: ip, workloadId: b.workloadId, workloadName: b.workloadName, validFrom: b.validFrom, validTo: b.validTo };
    const n = this.networks.lookup(ip)!;
    const dnsName = this.names.get(ip);
    return { type: 'network', addr: ip, network: n.name, networkKind: n.kind, cidr: n.cidr, builtin: n.builtin, ...(dnsName ? { dnsName } : {}) };
  }
}

/** Resolve one address at one time (the CLI's and the API's lookup). */
export async function resolveAddress(db: Db, store: Store | null, addr: string, at: Date): Promise<Resolved & { history: BindingRow[] }> {
  const ip = canonicalAddress(addr);
  if (!ip) throw new Error(`"${addr}" is not an IP address`);
  const r = await IdentityResolver.load(db, store, { addresses: [ip] });
  return { ...r.resolve(ip, at), history: r.history(ip) };
}
