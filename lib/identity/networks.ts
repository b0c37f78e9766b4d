// Named networks: how addresses that are not workloads are grouped (user subnets, partner ranges,
// data-centre blocks, the internet). People define them (Prisma NamedNetwork, `bulkhead networks`,
// /api/v1/networks); a few built-in classes cover what every estate has (private ranges nobody
// named yet, link-local, multicast, the internet). An address belongs to the most specific
// range that holds it; a person's network wins over a built-in class of the same size.
//
// The same table lives in ClickHouse (named_networks, replaced on every change) so that SQL can
// group unknown endpoints without leaving the engine: namedNetworkSql() below.
import { z } from 'zod';
import type { Db } from '../db';
import { parseCidr } from '../flow/cidr';
import { ipv6FromBytes } from '../flow/address';
import type { Store } from '../store';
import { ipv6Bytes } from './address';
import { conflict, invalid, notFound } from '../errors';

export const NETWORK_KINDS = ['user', 'internet', 'partner', 'datacenter', 'cloud', 'other', 'private', 'special'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];
/** Kinds people give their networks; private and special are the built-in classes. */
export const USER_NETWORK_KINDS = ['user', 'internet', 'partner', 'datacenter', 'cloud', 'other'] as const;

export interface NamedNetworkSpec {
  name: string;
  kind: NetworkKind;
  cidrs: string[];
}

export const namedNetworkSchema = z.object({
  name: z.string().trim().min(1, 'a name').max(100),
  kind: z.enum(USER_NETWORK_KINDS),
  cidrs: z
    .array(z.string().trim())
    .min(1, 'at least one CIDR')
    .superRefine((cidrs, ctx) => {
      for (const c of cidrs) {
        try {
          parseCidr(c);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
      }
    }),
});

/** Built-in classes for addresses nobody named (RFC 1918, RFC 6598, RFC 4193 and friends). */
export const BUILTIN_NETWORKS: readonly NamedNetworkSpec[] = [
  { name: 'private (unnamed)', kind: 'private', cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'] },
  { name: 'carrier-grade NAT', kind: 'private', cidrs: ['100.64.0.0/10'] },
  { name: 'link-local', kind: 'special', cidrs: ['169.254.0.0/16', 'fe80::/10'] },
  { name: 'loopback', kind: 'special', cidrs: ['127.0.0.0/8', '::1/128'] },
  { name: 'multicast', kind: 'special', cidrs: ['224.0.0.0/4', 'ff00::/8'] },
  { name: 'broadcast', kind: 'special', cidrs: ['255.255.255.255/32'] },
  { name: 'unspecified', kind: 'special', cidrs: ['0.0.0.0/32', '::/128'] },
  { name: 'internet', kind: 'internet', cidrs: ['::/0'] },
];

export interface NetworkRange {
  name: string;
  kind: NetworkKind;
  cidr: string;
  builtin: boolean;
  start: bigint;
  end: bigint;
  /** prefix length in the IPv6 space (IPv4 /24 = 120) */
  prefix: number;
}

const MAPPED_BASE = 0xffffn << 32n;
const ALL = (1n << 128n) - 1n;

/** An address as a 128-bit number in the IPv6 space (IPv4 as ::ffff:a.b.c.d); null when invalid. */
export function addressValue(addr: string): bigint | null {
  if (!addr.includes(':')) {
    const p = addr.split('.');
    if (p.length !== 4) return null;
    let v = 0n;
    for (const x of p) {
      const n = Number(x);
      if (!/^\d{1,3}$/.test(x) || n > 255) return null;
      v = (v << 8n) | BigInt(n);
    }
    return MAPPED_BASE | v;
  }
  const b = ipv6Bytes(addr);
  if (!b) return null;
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** The text of a 128-bit value (IPv4-mapped values as dotted quads). */
export function valueText(v: bigint): string {
  const b = new Uint8Array(16);
  for (let i = 15; i >= 0; i--) {
    b[i] = Number(v & 255n);
    v >>= 8n;
  }
  return ipv6FromBytes(b);
}

export function cidrRange(cidr: string): { start: bigint; end: bigint; prefix: number } {
  const c = parseCidr(cidr);
  const prefix = c.family === 'ipv4' ? 96 + c.prefix : c.prefix;
  const host = (1n << BigInt(128 - prefix)) - 1n;
  const start = addressValue(c.address)! & (ALL ^ host);
  return { start, end: start | host, prefix };
}

export function rangesOf(specs: readonly NamedNetworkSpec[], builtin: boolean): NetworkRange[] {
  return specs.flatMap((s) => s.cidrs.map((cidr) => ({ name: s.name, kind: s.kind, cidr, builtin, ...cidrRange(cidr) })));
}

/** Longest-prefix lookup over named networks and the built-in classes. */
export class NetworkTable {
  /** prefix lengths, most specific first, each with its ranges keyed by start */
  private readonly levels: Array<{ prefix: number; host: bigint; byStart: Map<bigint, NetworkRange> }> = [];
  readonly ranges: readonly NetworkRange[];

  constructor(named: readonly NamedNetworkSpec[], opts: { builtins?: boolean } = {}) {
    const ranges = [...rangesOf(named, false), ...(opts.builtins === false ? [] : rangesOf(BUILTIN_NETWORKS, true))];
    this.ranges = ranges;
    const byPrefix = new Map<number, Map<bigint, NetworkRange>>();
    for (const r of ranges) {
      let m = byPrefix.get(r.prefix);
      if (!m) byPrefix.set(r.prefix, (m = new Map()));
      const prior = m.get(r.start);
      // a person's network wins over a built-in class of the same range
      if (!prior || (prior.builtin && !r.builtin)) m.set(r.start, r);
    }
    for (const prefix of [...byPrefix.keys()].sort((a, b) => b - a)) {
      this.levels.push({ prefix, host: (1n << BigInt(128 - prefix)) - 1n, byStart: byPrefix.get(prefix)! });
    }
  }

  /** The most specific network holding the address; null only for text that is not an address. */
  lookup(addr: string): NetworkRange | null {
    const v = addressValue(addr);
    if (v === null) return null;
    for (const l of this.levels) {
      const r = l.byStart.get(v & (ALL ^ l.host));
      if (r) return r;
    }
    return null;
  }
}

export function parseCidrList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** The named networks that group addresses: declared by people, or suggestions someone accepted. */
export async function loadNamedNetworks(db: Db): Promise<NamedNetworkSpec[]> {
  const rows = await db.namedNetwork.findMany({ where: { confirmed: true }, orderBy: { name: 'asc' } });
  return rows.map((r) => ({ name: r.name, kind: (NETWORK_KINDS as readonly string[]).includes(r.kind) ? (r.kind as NetworkKind) : 'other', cidrs: parseCidrList(r.cidrs) }));
}

/** A network discovery suggested from how unknown clients behave, waiting for a person. */
export interface NetworkSuggestion {
  name: string;
  cidr: string;
  addresses: string[];
  reaches: string[];
  confidence: number;
}

/** Ranges people declined as suggestions: discovery suggests nothing inside them again. */
export async function loadDeclinedNetworkCidrs(db: Db): Promise<string[]> {
  const rows = await db.namedNetwork.findMany({ where: { confirmed: false, source: 'rejected' }, select: { cidrs: true } });
  return rows.flatMap((r) => parseCidrList(r.cidrs));
}

export async function loadNetworkSuggestions(db: Db): Promise<NetworkSuggestion[]> {
  const rows = await db.namedNetwork.findMany({ where: { confirmed: false, source: 'inferred' }, orderBy: { name: 'asc' } });
  return rows.map((r) => {
    const ev = (r.evidence ?? {}) as { addresses?: string[]; reaches?: string[]; confidence?: number };
    return { name: r.name, cidr: parseCidrList(r.cidrs)[0] ?? '', addresses: ev.addresses ?? [], reaches: ev.reaches ?? [], confidence: ev.confidence ?? 0 };
  });
}

/**
 * Replace the open suggestions with the analysis' current ones (idempotent, like label
 * suggestions): accepted networks and people's networks are never touched, and a suggestion is
 * not made under a name a person already uses.
 */
export async function saveNetworkSuggestions(db: Db, suggested: readonly NetworkSuggestion[]): Promise<{ written: number; removed: number }> {
  const rows = await db.namedNetwork.findMany({ select: { name: true, confirmed: true, source: true, cidrs: true, evidence: true } });
  const open = new Map(rows.filter((r) => !r.confirmed && r.source === 'inferred').map((r) => [r.name, r]));
  // people's networks, accepted suggestions and declined ones keep their names
  const taken = new Set(rows.filter((r) => r.confirmed || r.source !== 'inferred').map((r) => r.name));
  const want = suggested.filter((n) => !taken.has(n.name));
  const keep = new Set(want.map((n) => n.name));
  const removed = [...open.keys()].filter((n) => !keep.has(n));
  let written = 0;
  await db.$transaction(async (tx) => {
    if (removed.length) await tx.namedNetwork.deleteMany({ where: { name: { in: removed }, confirmed: false, source: 'inferred' } });
    for (const n of want) {
      const evidence = { addresses: n.addresses, reaches: n.reaches, confidence: n.confidence };
      const cur = open.get(n.name);
      if (cur && cur.cidrs === n.cidr && JSON.stringify(cur.evidence) === JSON.stringify(evidence)) continue;
      await tx.namedNetwork.upsert({
        where: { name: n.name },
        create: { name: n.name, kind: 'user', cidrs: n.cidr, source: 'inferred', confirmed: false, evidence },
        update: { cidrs: n.cidr, evidence },
      });
      written++;
    }
  });
  return { written, removed: removed.length };
}

/**
 * Accept a suggested network: from now on it groups its addresses like any named network. It may
 * be renamed, and narrowed to a range inside the suggestion.
 */
export async function acceptNetworkSuggestion(db: Db, store: Store, name: string, opts: { as?: string; cidr?: string; kind?: string } = {}): Promise<SavedNetwork> {
  const before = await db.namedNetwork.findUnique({ where: { name } });
  if (!before || before.confirmed) {
    throw before ? conflict(`"${name}" is already a named network`) : notFound(`no suggested network "${name}" (bulkhead networks list)`);
  }
  const suggested = parseCidrList(before.cidrs)[0]!;
  const cidr = opts.cidr?.trim() || suggested;
  const parsed = namedNetworkSchema.safeParse({ name: opts.as ?? name, kind: opts.kind ?? before.kind, cidrs: [cidr] });
  const outside = parsed.success && !(() => {
    const a = cidrRange(cidr);
    const b = cidrRange(suggested);
    return a.start >= b.start && a.end <= b.end;
  })();
  if (!parsed.success || outside) {
    throw invalid(parsed.success ? `${cidr} is not inside the suggested ${suggested}: a suggestion can be narrowed, not widened (add a network of your own for more)` : parsed.error.issues.map((i) => `${i.path.join('.') || 'network'}: ${i.message}`).join('; '));
  }
  if (parsed.data.name !== name && (await db.namedNetwork.findUnique({ where: { name: parsed.data.name } }))) {
    throw conflict(`a named network "${parsed.data.name}" exists already`);
  }
  const after = await db.namedNetwork.update({ where: { name }, data: { name: parsed.data.name, kind: parsed.data.kind, cidrs: cidr, confirmed: true } });
  const ranges = await syncNamedNetworks(db, store);
  return { before, after, ranges };
}

/** Replace ClickHouse's copy of the named networks (with the built-in classes) atomically. */
export async function syncNamedNetworks(db: Db, store: Store): Promise<number> {
  const table = new NetworkTable(await loadNamedNetworks(db));
  const live = store.t('named_networks');
  const next = store.t('named_networks_next');
  await store.command(`DROP TABLE IF EXISTS ${next}`);
  await store.command(`CREATE TABLE ${next} AS ${live}`);
  if (table.ranges.length) {
    await store.client.insert({
      table: next,
      format: 'JSONCompactEachRow',
      columns: ['name', 'kind', 'cidr', 'range_start', 'range_end', 'prefix', 'builtin'],
      values: table.ranges.map((r) => [r.name, r.kind, r.cidr, valueText(r.start), valueText(r.end), r.prefix, r.builtin ? 1 : 0]),
    });
  }
  await store.command(`EXCHANGE TABLES ${next} AND ${live}`);
  await store.command(`DROP TABLE IF EXISTS ${next}`);
  return table.ranges.length;
}

/**
 * SQL that names the network of an address column, most specific range first:
 *
 *   WITH ${n.with} SELECT ${n.of('c.server_addr')} AS network, ${n.kindOf('c.server_addr')} AS network_kind ...
 *
 * The ranges go into one array once per query (named networks are few), and arrayFirst picks the
 * first range that holds the address; every address falls in the built-in "internet" (::/0).
 */
export function namedNetworkSql(store: Store) {
  const order = 'prefix DESC, builtin ASC, name';
  return {
    with: `(SELECT groupArray(tuple(range_start, range_end, name, kind)) FROM (SELECT range_start, range_end, name, kind FROM ${store.t('named_networks')} ORDER BY ${order})) AS bulkhead_named_networks`,
    of: (addr: string) => `arrayFirst(n -> ${addr} >= n.1 AND ${addr} <= n.2, bulkhead_named_networks).3`,
    kindOf: (addr: string) => `arrayFirst(n -> ${addr} >= n.1 AND ${addr} <= n.2, bulkhead_named_networks).4`,
  };
}

export interface SavedNetwork {
  before: { id: string; name: string; kind: string; cidrs: string } | null;
  after: { id: string; name: string; kind: string; cidrs: string };
  /** ranges in ClickHouse after the sync (with the built-in classes) */
  ranges: number;
}

/**
 * Create or change a named network (CIDRs added to an existing one unless `replace`), then copy
 * the table to ClickHouse. Bad input is refused as `invalid` (lib/errors.ts) with zod's issues in words.
 */
export async function saveNamedNetwork(db: Db, store: Store, input: { name: string; kind?: string; cidrs: string[] }, opts: { replace?: boolean } = {}): Promise<SavedNetwork> {
  const before = await db.namedNetwork.findUnique({ where: { name: input.name.trim() } });
  const given = input.cidrs.flatMap(parseCidrList);
  const cidrs = opts.replace || !before || !before.confirmed ? given : [...new Set([...parseCidrList(before.cidrs), ...given])];
  const parsed = namedNetworkSchema.safeParse({ name: input.name, kind: input.kind ?? before?.kind ?? 'user', cidrs });
  if (!parsed.success) {
    throw invalid(`${parsed.error.issues.map((i) => `${i.path.join('.') || 'network'}: ${i.message}`).join('; ')} (kinds: ${USER_NETWORK_KINDS.join(', ')})`);
  }
  const { name, kind } = parsed.data;
  const text = parsed.data.cidrs.join(' ');
  // a person's network; adding to a suggested one by its name makes it theirs
  const after = await db.namedNetwork.upsert({ where: { name }, create: { name, kind, cidrs: text }, update: { kind, cidrs: text, source: 'user', confirmed: true } });
  const ranges = await syncNamedNetworks(db, store);
  return { before, after, ranges };
}

/**
 * Remove a named network; null when there is none of that name. A suggestion is declined
 * instead: kept as `rejected` so that discovery does not suggest its range again.
 */
export async function removeNamedNetwork(db: Db, store: Store, name: string): Promise<{ id: string; name: string; kind: string; cidrs: string } | null> {
  const before = await db.namedNetwork.findUnique({ where: { name } });
  if (!before) return null;
  if (!before.confirmed && before.source === 'inferred') {
    await db.namedNetwork.update({ where: { name }, data: { source: 'rejected' } });
    return before;
  }
  await db.namedNetwork.delete({ where: { name } });
  await syncNamedNetworks(db, store);
  return before;
}
