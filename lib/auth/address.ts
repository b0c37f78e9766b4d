// Where a request comes from. `bulkhead serve` writes the socket's peer address into the
// x-bulkhead-peer header of every request (replacing anything a client sent), so the header can
// be trusted; X-Forwarded-For and -Proto count only for the number of proxies the operator says
// are in front (BULKHEAD_TRUST_PROXY), because anyone can send those headers.
import type { Config } from '../config';

export const PEER_HEADER = 'x-bulkhead-peer';

interface HeaderSource {
  get(name: string): string | null;
}

const unmap = (a: string) => (a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a);

export function clientAddress(headers: HeaderSource, config: Pick<Config, 'auth'>): string | null {
  const peer = headers.get(PEER_HEADER) || null;
  const hops = config.auth.trustProxy;
  if (hops > 0) {
    const chain = (headers.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    // The last entry was added by the nearest proxy; the client is `hops` entries from the end.
    const entry = chain[chain.length - hops] ?? chain[0];
    if (entry) return unmap(entry);
  }
  return peer ? unmap(peer) : null;
}

/** Whether the browser reached us over HTTPS (decides Secure cookies and HSTS). */
export function isHttps(headers: HeaderSource, config: Pick<Config, 'auth'>): boolean {
  if (config.auth.publicUrl?.startsWith('https://')) return true;
  if (config.auth.trustProxy > 0) {
    const protos = (headers.get('x-forwarded-proto') ?? '').split(',').map((s) => s.trim());
    return protos[protos.length - 1] === 'https';
  }
  return false;
}
