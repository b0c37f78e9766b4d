// Networks of unknown clients, suggested from behaviour. Admin workstations and user subnets are
// rarely declared to a tool like this: their addresses show up one by one, each week a different
// part of them (DHCP, people away). A policy with one rule per address denies next week's
// workstation; a policy for the subnet does not. So addresses nobody declared that sit together
// and behave alike become a suggested named network (its covering prefix), which policy uses
// instead of the addresses and a person can accept, rename or narrow (`bulkhead networks`).
//
//   1. Candidates: client endpoints that are bare addresses (no workload held them, no named
//      network holds them, not the internet, not a scanner).
//   2. Behaviour: what each reaches, as (server application, protocol, port), leaving out shared
//      core services (everyone uses DNS and the directory; that tells nobody apart).
//   3. Per /24 (IPv4) or /64 (IPv6): addresses that share a target are one group (connected
//      components); an address that only uses core services joins the group of its block when
//      there is exactly one.
//   4. A group of at least two addresses becomes the smallest prefix that covers them, grown a
//      bit at a time while the larger prefix holds no workload's address, no other group's
//      address and no named network, up to the /24 (/64): next week's addresses are likely in
//      the same subnet, and a range with nothing else in it costs no workload its protection.
//      When the covering prefix holds something else, each half is covered on its own; a lone
//      address stays an address.
import { addressValue, cidrRange, valueText } from '../identity/networks';

export interface ClientNetwork {
  /** the suggested name (unique, derived from the prefix) */
  name: string;
  cidr: string;
  /** the addresses seen behind it in the window */
  addresses: string[];
  /** what its clients reach, most used first: "orders@prod tcp/443" */
  reaches: string[];
  /** 0..1: how many of its addresses share its main target, and how full the prefix is */
  confidence: number;
}

export interface ClientEdge {
  from: string;
  to: string;
  protocol: number;
  port: number;
  flows: number;
  coreService: boolean;
}

export interface ClientNetworkInput {
  edges: readonly ClientEdge[];
  /** client endpoints that may be grouped (bare addresses, not scanners) */
  candidate: (id: string) => boolean;
  /** the application (or endpoint) a server belongs to */
  serverGroup: (id: string) => string;
  /** addresses of workloads in the window: a suggested network never covers one */
  workloadAddresses: readonly string[];
  /** named network CIDRs: never overlapped */
  namedCidrs: readonly string[];
}

const V4_MAPPED = 0xffffn << 32n;
const isV4 = (v: bigint) => v >> 32n === 0xffffn;

/** The block an address is grouped within: its /24 (IPv4) or /64 (IPv6), as [start, prefix in the v6 space]. */
function blockOf(v: bigint): { start: bigint; prefix: number } {
  const prefix = isV4(v) ? 120 : 64;
  return { start: (v >> BigInt(128 - prefix)) << BigInt(128 - prefix), prefix };
}

function cidrText(start: bigint, prefix: number): string {
  if (isV4(start) || (start >= V4_MAPPED && start <= (V4_MAPPED | 0xffffffffn))) {
    const t = valueText(start).replace(/^::ffff:/, '');
    return `${t}/${prefix - 96}`;
  }
  return `${valueText(start)}/${prefix}`;
}

/** The smallest prefix (in the v6 space) holding both values. */
function commonPrefix(a: bigint, b: bigint): number {
  let x = a ^ b;
  let bits = 0;
  while (x > 0n) {
    x >>= 1n;
    bits++;
  }
  return 128 - bits;
}

const inRange = (v: bigint, start: bigint, prefix: number) => v >= start && v <= start + (1n << BigInt(128 - prefix)) - 1n;

export function suggestClientNetworks(input: ClientNetworkInput): { networks: ClientNetwork[]; byAddress: Map<string, string> } {
  // 1-2: candidates and what they reach
  const reach = new Map<string, Map<string, number>>();
  const all = new Map<string, Map<string, number>>();
  for (const e of input.edges) {
    if (!input.candidate(e.from)) continue;
    const target = `${input.serverGroup(e.to)} ${e.protocol === 6 ? 'tcp' : e.protocol === 17 ? 'udp' : e.protocol === 1 || e.protocol === 58 ? 'icmp' : e.protocol}${e.protocol === 1 || e.protocol === 58 ? '' : `/${e.port}`}`;
    for (const [m, skip] of [[all, false], [reach, e.coreService]] as const) {
      if (skip) continue;
      let t = m.get(e.from);
      if (!t) m.set(e.from, (t = new Map()));
      t.set(target, (t.get(target) ?? 0) + e.flows);
    }
  }
  const values = new Map<string, bigint>();
  for (const a of all.keys()) {
    const v = addressValue(a);
    if (v !== null) values.set(a, v);
  }

  // 3: groups per block
  const blocks = new Map<string, string[]>();
  for (const [a, v] of values) {
    const b = blockOf(v);
    const k = `${b.start}/${b.prefix}`;
    blocks.set(k, [...(blocks.get(k) ?? []), a]);
  }
  const groups: string[][] = [];
  for (const addrs of blocks.values()) {
    const parent = new Map(addrs.map((a) => [a, a]));
    const find = (a: string): string => {
      const p = parent.get(a)!;
      if (p === a) return a;
      const r = find(p);
      parent.set(a, r);
      return r;
    };
    const byTarget = new Map<string, string>();
    for (const a of addrs) {
      for (const t of reach.get(a)?.keys() ?? []) {
        const first = byTarget.get(t);
        if (first) parent.set(find(a), find(first));
        else byTarget.set(t, a);
      }
    }
    const comps = new Map<string, string[]>();
    const coreOnly: string[] = [];
    for (const a of addrs) {
      if (!reach.get(a)?.size) coreOnly.push(a);
      else comps.set(find(a), [...(comps.get(find(a)) ?? []), a]);
    }
    const list = [...comps.values()];
    if (list.length === 1) list[0]!.push(...coreOnly);
    else if (list.length === 0 && coreOnly.length) list.push(coreOnly);
    for (const g of list) if (g.length >= 2) groups.push(g);
  }

  // 4: covering prefixes, grown while nothing else is inside
  const occupied = [...input.workloadAddresses].flatMap((a) => {
    const v = addressValue(a);
    return v === null ? [] : [v];
  });
  const named = input.namedCidrs.map((c) => cidrRange(c));
  const networks: ClientNetwork[] = [];
  const byAddress = new Map<string, string>();
  const groupValues = groups.map((g) => g.map((a) => values.get(a)!));
  const clean = (gi: number, start: bigint, p: number) => {
    if (occupied.some((v) => inRange(v, start, p))) return false;
    if (groupValues.some((other, oi) => oi !== gi && other.some((v) => inRange(v, start, p)))) return false;
    const end = start + (1n << BigInt(128 - p)) - 1n;
    return !named.some((n) => n.start <= end && n.end >= start);
  };
  /** the clean prefixes covering these addresses: the smallest common one, else its halves */
  const cover = (gi: number, vs: bigint[], limit: number): Array<{ start: bigint; prefix: number; members: bigint[] }> => {
    if (vs.length < 2) return [];
    let lo = vs[0]!;
    let hi = vs[0]!;
    for (const v of vs) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    let prefix = commonPrefix(lo, hi);
    const startOf = (p: number) => (lo >> BigInt(128 - p)) << BigInt(128 - p);
    if (!clean(gi, startOf(prefix), prefix)) {
      const half = 1n << BigInt(127 - prefix);
      const mid = startOf(prefix) + half;
      return [...cover(gi, vs.filter((v) => v < mid), limit), ...cover(gi, vs.filter((v) => v >= mid), limit)];
    }
    while (prefix > limit && clean(gi, startOf(prefix - 1), prefix - 1)) prefix--;
    return [{ start: startOf(prefix), prefix, members: vs }];
  };
  const textOf = new Map([...values].map(([a, v]) => [v, a]));
  groups.forEach((g, gi) => {
    const vs = groupValues[gi]!;
    for (const part of cover(gi, vs, blockOf(vs[0]!).prefix)) {
      const cidr = cidrText(part.start, part.prefix);
      const addrs = part.members.map((v) => textOf.get(v)!);
      const targets = new Map<string, number>();
      for (const a of addrs) for (const [t, f] of all.get(a) ?? []) targets.set(t, (targets.get(t) ?? 0) + f);
      const reaches = [...targets.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
      const main = reaches[0];
      const sharing = addrs.filter((a) => main && all.get(a)?.has(main)).length / addrs.length;
      const size = Number(1n << BigInt(128 - part.prefix));
      const fill = Math.min(1, addrs.length / Math.min(size, 64));
      networks.push({ name: `clients-${cidr.replace('/', '-')}`, cidr, addresses: [...addrs].sort(), reaches: reaches.slice(0, 10), confidence: Math.round((0.7 * sharing + 0.3 * fill) * 100) / 100 });
      for (const a of addrs) byAddress.set(a, cidr);
    }
  });
  networks.sort((a, b) => a.cidr.localeCompare(b.cidr));
  return { networks, byAddress };
}
