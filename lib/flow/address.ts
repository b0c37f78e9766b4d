// Address helpers shared by collectors, importers and queries. ClickHouse keeps IPv4 and IPv6
// in one IPv6 column (IPv4 as ::ffff:a.b.c.d); people read IPv4 as dotted quads.
import { isIP } from 'node:net';

const MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** IPv4-mapped IPv6 back to a dotted quad; other text unchanged (lower-cased). */
export function displayAddr(addr: string): string {
  const m = MAPPED.exec(addr);
  return m ? m[1]! : addr.toLowerCase();
}

/** True for a syntactically valid IPv4 or IPv6 address. */
export function isAddress(text: string): boolean {
  return isIP(text) !== 0;
}

/** An IPv4 address from its 32-bit unsigned value. */
export function ipv4FromInt(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952 text of a 16-byte IPv6 address at `off` in `buf` (IPv4-mapped shown as dotted quad). */
export function ipv6FromBytes(buf: Uint8Array, off = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((buf[off + 2 * i]! << 8) | buf[off + 2 * i + 1]!);
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return `${buf[off + 12]}.${buf[off + 13]}.${buf[off + 14]}.${buf[off + 15]}`;
  }
  // Longest run of zero words (length >= 2) becomes "::".
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
