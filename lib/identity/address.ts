// Canonical address text, so that one address is one key everywhere (Prisma bindings, named
// networks, the resolver): IPv4 as a dotted quad, IPv6 in RFC 5952 form, IPv4-mapped IPv6 as
// the IPv4 address it carries.
import { isIP } from 'node:net';
import { ipv6FromBytes } from '../flow/address';

/** 16 bytes of an IPv6 address, or null when the text is not one. */
export function ipv6Bytes(text: string): Uint8Array | null {
  if (isIP(text) !== 6) return null;
  const out = new Uint8Array(16);
  let head = text;
  let tail4: number[] | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    tail4 = text.slice(lastColon + 1).split('.').map(Number);
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const l = left ? left.split(':') : [];
  const r = right === undefined ? [] : right ? right.split(':') : [];
  const words = right === undefined ? l : [...l, ...new Array<string>(8 - l.length - r.length).fill('0'), ...r];
  words.forEach((w, i) => {
    const v = parseInt(w, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 255;
  });
  if (tail4) tail4.forEach((b, i) => (out[12 + i] = b));
  return out;
}

/**
 * The canonical text of an address, or null when it is not an address. Accepts a trailing
 * prefix length ("10.0.0.5/24", as some inventories write interface addresses) and drops it.
 */
export function canonicalAddress(text: string): string | null {
  let t = text.trim();
  const slash = t.indexOf('/');
  if (slash > 0 && /^\d{1,3}$/.test(t.slice(slash + 1))) t = t.slice(0, slash);
  const v = isIP(t);
  if (v === 4) return t;
  if (v === 6) return ipv6FromBytes(ipv6Bytes(t)!);
  return null;
}

/** Addresses that never identify one workload across an estate: loopback, link-local, unspecified. */
export function isHostLocal(addr: string): boolean {
  if (addr.includes(':')) {
    const b = ipv6Bytes(addr);
    if (!b) return false;
    const allZero = b.slice(0, 15).every((x) => x === 0);
    if (allZero && (b[15] === 0 || b[15] === 1)) return true; // :: and ::1
    return b[0] === 0xfe && (b[1]! & 0xc0) === 0x80; // fe80::/10
  }
  return addr.startsWith('127.') || addr.startsWith('169.254.') || addr === '0.0.0.0';
}
