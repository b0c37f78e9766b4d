// The state an estate is generated in, and the primitives every step of ./estate.ts uses to add
// to it: workloads (unique names, addresses per environment) and conversations (one spec per
// overlapping pair of address holdings). The random stream is part of the state: steps draw
// from it in a fixed order, so the same seed gives the same estate.
import type { ConversationKind, ConversationSpec, EstateOptions, EstateWorkload } from './estate-types';
import { random, type Random } from './random';
import type { Schedule } from './schedule';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const DEMO_EXPORTERS = { prod: 'demo-prod-core', staging: 'demo-staging-core', dev: 'demo-dev-core', shared: 'demo-shared-core' } as const;
const ENV_SUBNET: Record<string, number> = { prod: 10, staging: 20, dev: 30 };

export interface EstateBuilder {
  r: Random;
  /** workloads asked for (at least 40) */
  target: number;
  days: number;
  /** data span, epoch ms, hour aligned */
  start: number;
  end: number;
  /** flow records per active hour are multiplied by this */
  scale: number;
  /** when every initial address holding starts (well before the data) */
  longAgo: number;
  workloads: EstateWorkload[];
  byName: Map<string, EstateWorkload>;
  /** hosts handed out per environment */
  nextHost: Record<string, number>;
  conversations: ConversationSpec[];
  nextId: number;
}

export function estateBuilder(opts: EstateOptions): EstateBuilder {
  const days = Math.max(2, opts.days ?? 35);
  const end = Math.floor((opts.end?.getTime() ?? Date.now()) / HOUR) * HOUR;
  const start = end - days * DAY;
  return {
    r: random(opts.seed ?? 1),
    target: Math.max(40, opts.workloads ?? 300),
    days,
    start,
    end,
    scale: opts.flowScale ?? 1,
    longAgo: start - 90 * DAY,
    workloads: [],
    byName: new Map(),
    nextHost: { prod: 0, staging: 0, dev: 0, shared: 0 },
    conversations: [],
    nextId: 1,
  };
}

/** The next free address of an environment's subnet. */
export function addrOf(b: EstateBuilder, env: string): string {
  const n = ++b.nextHost[env]!;
  if (env === 'shared') return `10.0.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  return `10.${ENV_SUBNET[env]}.${Math.floor(n / 250)}.${(n % 250) + 2}`;
}

export type NewWorkload = Omit<EstateWorkload, 'bindings' | 'serves'> & { ip?: string };

/** A workload holding its address (`ip`, else the next of its environment) since long ago. */
export function addWorkload(b: EstateBuilder, w: NewWorkload): EstateWorkload {
  const wl: EstateWorkload = { ...w, bindings: [{ ip: w.ip ?? addrOf(b, w.env), from: b.longAgo, to: null }], serves: [] };
  delete (wl as { ip?: string }).ip;
  if (b.byName.has(wl.name)) throw new Error(`duplicate workload name ${wl.name}`);
  b.workloads.push(wl);
  b.byName.set(wl.name, wl);
  return wl;
}

/** Machine names are random: draw again until unused (names are unique across an estate). */
export function freshOpaque(b: EstateBuilder, style: number, ip: string, windows: boolean): string {
  for (;;) {
    const n = opaqueName(b.r, style, ip, windows);
    if (!b.byName.has(n)) return n;
    style = (style + 1) % 2;
  }
}

export const exporterOf = (w: EstateWorkload | null, fallback: string) => (w ? DEMO_EXPORTERS[w.env as keyof typeof DEMO_EXPORTERS] : fallback);

export const cont = (pct: number, businessHours = false): Schedule => ({ type: 'continuous', pct, businessHours });

/** Monthly jobs run on a day of the month the data holds twice when it spans more than a month. */
export const monthDay = (b: EstateBuilder, offsetDays: number) => Math.min(28, new Date(b.start + offsetDays * DAY).getUTCDate());

function servesOn(server: EstateWorkload, protocol: number, port: number): void {
  const serves = `${protoName(protocol)}/${port}`;
  if (!server.serves.includes(serves)) server.serves.push(serves);
}

/** One spec per overlapping pair of address holdings of client and server. */
export function talk(b: EstateBuilder, client: EstateWorkload, server: EstateWorkload, protocol: number, port: number, schedule: Schedule, kind: ConversationKind, fph = 1, bytes = 2000): void {
  servesOn(server, protocol, port);
  for (const cb of client.bindings) {
    for (const sb of server.bindings) {
      const from = Math.max(b.start, cb.from, sb.from);
      const to = Math.min(b.end, cb.to ?? b.end, sb.to ?? b.end);
      if (to <= from) continue;
      b.conversations.push({
        id: b.nextId++, client: client.name, server: server.name, clientAddr: cb.ip, serverAddr: sb.ip, protocol, port, schedule, from, to,
        fph: Math.max(1, Math.round(fph * b.scale)), bytes, kind, failed: false, exporter: exporterOf(client.env === 'shared' ? server : client, DEMO_EXPORTERS.shared),
      });
    }
  }
}

/** An outside client (a network, the internet, an address) to a workload, or to an outside `serverAddr` when `server` is null. */
export function outside(b: EstateBuilder, client: string, clientAddr: string, server: EstateWorkload | null, serverKey: string, serverAddr: string, protocol: number, port: number, schedule: Schedule, fph = 1, extra: Partial<ConversationSpec> = {}): void {
  if (server) servesOn(server, protocol, port);
  const holdings = server ? server.bindings : [{ ip: serverAddr, from: b.start, to: null }];
  for (const sb of holdings) {
    const from = Math.max(b.start, sb.from);
    const to = Math.min(b.end, sb.to ?? b.end);
    if (to <= from) continue;
    b.conversations.push({
      id: b.nextId++, client, server: serverKey, clientAddr, serverAddr: sb.ip, protocol, port, schedule, from, to, fph: Math.max(1, Math.round(fph * b.scale)), bytes: 1500,
      kind: 'external', failed: false, exporter: exporterOf(server, DEMO_EXPORTERS.shared), ...extra,
    });
  }
}

/** A workload calling an address outside the estate over the whole data span. */
export function outsideServer(b: EstateBuilder, client: EstateWorkload, addr: string, protocol: number, port: number, schedule: Schedule): void {
  b.conversations.push({
    id: b.nextId++, client: client.name, server: addr, clientAddr: client.bindings[0]!.ip, serverAddr: addr, protocol, port, schedule, from: b.start, to: b.end,
    fph: Math.max(1, Math.round(b.scale)), bytes: 500, kind: 'external', failed: false, exporter: DEMO_EXPORTERS.shared,
  });
}

/** A workload retired at `at`: its holdings and conversations end there. */
export function retire(w: EstateWorkload, at: number, conversations: ConversationSpec[]): void {
  for (const b of w.bindings) if (b.to === null || b.to > at) b.to = at;
  for (const c of conversations) if ((c.client === w.name || c.server === w.name) && c.to > at) c.to = Math.max(c.from, at);
}

export function protoName(p: number): string {
  return p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 1 ? 'icmp' : String(p);
}

/** Hostnames of estates without conventions: random VM ids, numbered servers, cloud-style names. */
export function opaqueName(r: Random, style: number, ip: string, windows: boolean): string {
  if (windows) return `WIN-${r.int(0x1000000, 0xfffffff).toString(36).toUpperCase()}`;
  if (style === 0) return `vm-${r.int(0x10000, 0xfffff).toString(16)}`;
  if (style === 1) return `srv${r.int(1000, 9999)}`;
  return `ip-${ip.replaceAll('.', '-')}`;
}

/** A public unicast address outside the private, shared, documentation and reserved ranges. */
export function publicAddress(r: Random): string {
  for (;;) {
    const a = r.int(1, 223);
    if ([10, 100, 127, 169, 172, 192, 198, 203].includes(a)) continue;
    return `${a}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  }
}
