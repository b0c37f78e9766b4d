// Port lists: merging (consolidation), generalisation into ranges, and the questions simulation
// and narrowing ask ("does this list allow tcp/5432?", "is this list inside that one?").
import type { PortSpec, Protocol } from './model';

/** How proposals write ports: each observed port, nearby ports folded into ranges, or every port of the protocol. */
export type PortGeneralisation = 'exact' | 'ranges' | 'protocol';
export const PORT_GENERALISATIONS: readonly PortGeneralisation[] = ['exact', 'ranges', 'protocol'];

/** Ports closer than this fold into one range under 'ranges' (8080 and 8081..8089: one range). */
export const DEFAULT_RANGE_GAP = 10;

interface Interval {
  lo: number;
  hi: number;
}

const PROTO_ORDER: Record<Protocol, number> = { tcp: 0, udp: 1, icmp: 2, any: 3 };

/**
 * The same ports, merged: overlapping or adjacent ranges of a protocol become one, a whole
 * protocol swallows its ports, `any` swallows everything. Sorted, so equal sets give equal lists.
 */
export function normalizePorts(ports: readonly PortSpec[], gap = 1): PortSpec[] {
  if (ports.some((p) => p.protocol === 'any')) return [{ protocol: 'any' }];
  const out: PortSpec[] = [];
  for (const proto of ['tcp', 'udp'] as const) {
    const mine = ports.filter((p) => p.protocol === proto);
    if (!mine.length) continue;
    if (mine.some((p) => p.port === undefined)) {
      out.push({ protocol: proto });
      continue;
    }
    const iv: Interval[] = mine.map((p) => ({ lo: p.port!, hi: p.endPort ?? p.port! })).sort((a, b) => a.lo - b.lo || a.hi - b.hi);
    const merged: Interval[] = [];
    for (const i of iv) {
      const last = merged[merged.length - 1];
      if (last && i.lo <= last.hi + gap) last.hi = Math.max(last.hi, i.hi);
      else merged.push({ ...i });
    }
    for (const m of merged) out.push(m.hi === m.lo ? { protocol: proto, port: m.lo } : { protocol: proto, port: m.lo, endPort: m.hi });
  }
  if (ports.some((p) => p.protocol === 'icmp')) out.push({ protocol: 'icmp' });
  return out.sort((a, b) => PROTO_ORDER[a.protocol] - PROTO_ORDER[b.protocol] || (a.port ?? 0) - (b.port ?? 0));
}

/** Apply the generalisation knob to observed ports. */
export function generalisePorts(ports: readonly PortSpec[], how: PortGeneralisation, gap = DEFAULT_RANGE_GAP): PortSpec[] {
  if (how === 'exact') return normalizePorts(ports);
  if (how === 'ranges') return normalizePorts(ports, gap);
  return normalizePorts(ports.map((p) => (p.protocol === 'tcp' || p.protocol === 'udp' ? { protocol: p.protocol } : p)));
}

/** Does the list allow (IANA protocol number, port)? ICMP covers ICMPv6 (58) too. */
export function portsAllow(ports: readonly PortSpec[], protocol: number, port: number): boolean {
  for (const p of ports) {
    if (p.protocol === 'any') return true;
    if (p.protocol === 'icmp') {
      if (protocol === 1 || protocol === 58) return true;
      continue;
    }
    if ((p.protocol === 'tcp' && protocol !== 6) || (p.protocol === 'udp' && protocol !== 17)) continue;
    if (p.port === undefined) return true;
    if (port >= p.port && port <= (p.endPort ?? p.port)) return true;
  }
  return false;
}

/** Is every port `inner` allows also allowed by `outer`? */
export function portsWithin(inner: readonly PortSpec[], outer: readonly PortSpec[]): boolean {
  const o = normalizePorts(outer);
  if (o.some((p) => p.protocol === 'any')) return true;
  for (const p of normalizePorts(inner)) {
    if (p.protocol === 'any') return false;
    if (p.protocol === 'icmp') {
      if (!o.some((x) => x.protocol === 'icmp')) return false;
      continue;
    }
    const lo = p.port ?? 1;
    const hi = p.port === undefined ? 65535 : (p.endPort ?? p.port);
    const ok = o.some((x) => x.protocol === p.protocol && (x.port === undefined || (x.port <= lo && (x.endPort ?? x.port) >= hi)));
    if (!ok) return false;
  }
  return true;
}

/** The ports of `wanted` that `have` does not allow yet (for re-proposals next to approved rules). */
export function portsMissing(wanted: readonly PortSpec[], have: readonly PortSpec[]): PortSpec[] {
  const h = normalizePorts(have);
  if (h.some((p) => p.protocol === 'any')) return [];
  const out: PortSpec[] = [];
  for (const p of normalizePorts(wanted)) {
    if (p.protocol === 'any' || p.protocol === 'icmp') {
      if (!portsWithin([p], h)) out.push(p);
      continue;
    }
    // subtract what `have` allows of this protocol from the interval
    let parts: Interval[] = [{ lo: p.port ?? 1, hi: p.port === undefined ? 65535 : (p.endPort ?? p.port) }];
    for (const x of h.filter((y) => y.protocol === p.protocol)) {
      const lo = x.port ?? 1;
      const hi = x.port === undefined ? 65535 : (x.endPort ?? x.port);
      parts = parts.flatMap((i) => (hi < i.lo || lo > i.hi ? [i] : [...(lo > i.lo ? [{ lo: i.lo, hi: lo - 1 }] : []), ...(hi < i.hi ? [{ lo: hi + 1, hi: i.hi }] : [])]));
    }
    for (const i of parts) out.push(i.lo === 1 && i.hi === 65535 ? { protocol: p.protocol } : i.lo === i.hi ? { protocol: p.protocol, port: i.lo } : { protocol: p.protocol, port: i.lo, endPort: i.hi });
  }
  return out;
}

/** Protocol and port of an observed edge as a port spec. */
export function portOfEdge(protocol: number, port: number): PortSpec | null {
  if (protocol === 6) return port > 0 ? { protocol: 'tcp', port } : { protocol: 'tcp' };
  if (protocol === 17) return port > 0 ? { protocol: 'udp', port } : { protocol: 'udp' };
  if (protocol === 1 || protocol === 58) return { protocol: 'icmp' };
  return null;
}
