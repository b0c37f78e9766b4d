// Ports as people write them in filters ("tcp/443", "8000-8100", "udp") and read them in labels
// ("tcp/443", "icmp"): one reading for the map's filters in the browser, the flows explorer's API
// and the CLI. Browser-safe (no Node imports).
import { portName, protocolName, protocolNumber } from './record';

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

export const isIcmp = (protocol: number) => protocol === 1 || protocol === 58;

// Exporters carry an ICMP message's type and code in the server port field (type * 256 + code);
// read as a port, an echo request shows up as ":2048".
const ICMP_TYPES: Record<number, string> = {
  0: 'echo-reply',
  3: 'destination-unreachable',
  4: 'source-quench',
  5: 'redirect',
  8: 'echo-request',
  9: 'router-advertisement',
  10: 'router-solicitation',
  11: 'time-exceeded',
  12: 'parameter-problem',
  13: 'timestamp-request',
  14: 'timestamp-reply',
};
const ICMP6_TYPES: Record<number, string> = {
  1: 'destination-unreachable',
  2: 'packet-too-big',
  3: 'time-exceeded',
  4: 'parameter-problem',
  128: 'echo-request',
  129: 'echo-reply',
  133: 'router-solicitation',
  134: 'router-advertisement',
  135: 'neighbor-solicitation',
  136: 'neighbor-advertisement',
};

/**
 * The ICMP message a flow record's server port field encodes: "echo-request",
 * "destination-unreachable code 3", "type 42"; null for 0, which several sources (cloud flow
 * logs, sFlow without the ICMP header) write when they do not report the message at all.
 */
export function icmpMessage(protocol: number, port: number): string | null {
  if (!isIcmp(protocol) || port <= 0 || port > 0xffff) return null;
  const type = port >> 8;
  const code = port & 0xff;
  const name = (protocol === 1 ? ICMP_TYPES : ICMP6_TYPES)[type] ?? `type ${type}`;
  return code ? `${name} code ${code}` : name;
}

/** One flow record's protocol and server port as people read them: tcp/443, icmp echo-request. */
export function flowPortLabel(protocol: number, port: number): string {
  const message = icmpMessage(protocol, port);
  return message ? `${protocolName(protocol)} ${message}` : portLabel(protocol, port);
}

/** An address and its port in a flow record: 10.0.0.1:443, [2001:db8::1]:443; the address alone for ICMP, which has no ports. */
export function addressPort(address: string, protocol: number, port: number): string {
  if (isIcmp(protocol)) return address;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
