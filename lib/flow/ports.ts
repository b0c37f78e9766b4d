// Ports as people write them in filters ("tcp/443", "8000-8100", "udp") and read them in labels
// ("tcp/443", "icmp"): one reading for the map's filters in the browser, the flows explorer's API
// and the CLI. Browser-safe (no Node imports).
import { portName, protocolNumber } from './record';

/** A protocol and its server port as one label: tcp/443, or the bare protocol for ICMP (the analysis's portName). */
export const portLabel = portName;

export interface PortRange {
  /** null: any protocol */
  protocol: number | null;
  from: number;
  to: number;
}

const protocolOf = (s: string): number | null => protocolNumber(s.trim()) ?? null;

/** "tcp/443", "443", "8000-8100", "tcp/8000-8100" or a bare protocol ("udp": every port); null when it is none of these. */
export function parsePortFilter(s: string): PortRange | null {
  const m = /^(?:([a-z0-9-]+)\/)?(\d{1,5})(?:-(\d{1,5}))?$/i.exec(s.trim());
  if (!m) {
    const p = protocolOf(s);
    return p === null ? null : { protocol: p, from: 0, to: 65535 };
  }
  const protocol = m[1] ? protocolOf(m[1]) : null;
  if (m[1] && protocol === null) return null;
  const from = Number(m[2]);
  const to = m[3] ? Number(m[3]) : from;
  if (from > 65535 || to > 65535 || to < from) return null;
  return { protocol, from, to };
}
