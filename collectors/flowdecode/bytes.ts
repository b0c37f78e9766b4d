// Reading big-endian values and formatting addresses. Callers check bounds before reading:
// these helpers are on the hot path and assume the bytes are there.

const DEC: string[] = Array.from({ length: 256 }, (_, i) => String(i));
const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/**
 * An unsigned integer of 1 to 8 bytes (IPFIX reduced-size encoding). Above 2^53 precision is
 * lost, which no counter of a single flow reaches.
 */
export function uint(b: Uint8Array, o: number, len: number): number {
  switch (len) {
    case 1:
      return b[o]!;
    case 2:
      return (b[o]! << 8) | b[o + 1]!;
    case 4:
      return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
    case 8:
      return (((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0) * 4294967296 + (((b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!) >>> 0);
    default: {
      let v = 0;
      const n = len > 8 ? 8 : len;
      for (let i = 0; i < n; i++) v = v * 256 + b[o + i]!;
      return v;
    }
  }
}

/** A two's complement signed integer of 1 to 8 bytes. */
export function int(b: Uint8Array, o: number, len: number): number {
  const n = len > 8 ? 8 : len;
  const v = uint(b, o, n);
  const half = 2 ** (8 * n - 1);
  return v >= half ? v - 2 * half : v;
}

// Flows repeat their addresses: a bounded cache hands out one string per address instead of
// building a new one (a tree of seven pieces until something flattens it) for every record.
// Less garbage, less memory while records wait for the store, and the string is flattened once
// for all the hashing and JSON encoding downstream.
const V4_CACHE_MAX = 1 << 17;
let v4Cache = new Map<number, string>();

export function ipv4(b: Uint8Array, o: number): string {
  const key = ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  let s = v4Cache.get(key);
  if (s === undefined) {
    s = `${DEC[b[o]!]}.${DEC[b[o + 1]!]}.${DEC[b[o + 2]!]}.${DEC[b[o + 3]!]}`;
    if (v4Cache.size >= V4_CACHE_MAX) v4Cache = new Map();
    v4Cache.set(key, s);
  }
  return s;
}

/** IPv6 text in the canonical form of RFC 5952 (longest zero run compressed, lower case, IPv4-mapped as ::ffff:a.b.c.d). */
export function ipv6(b: Uint8Array, o: number): string {
  const g = new Array<number>(8);
  for (let i = 0; i < 8; i++) g[i] = (b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!;
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${ipv4(b, o + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += g[i]!.toString(16);
    if (i < 7) s += ':';
  }
  return s;
}

export function mac(b: Uint8Array, o: number): string {
  return `${HEX2[b[o]!]}:${HEX2[b[o + 1]!]}:${HEX2[b[o + 2]!]}:${HEX2[b[o + 3]!]}:${HEX2[b[o + 4]!]}:${HEX2[b[o + 5]!]}`;
}

export function hex(b: Uint8Array, o: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += HEX2[b[o + i]!];
  return s;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A string element: UTF-8, without the NUL padding some exporters leave at the end. */
export function text(b: Uint8Array, o: number, len: number): string {
  let end = o + len;
  while (end > o && b[end - 1] === 0) end--;
  // Plain ASCII is the common case and much cheaper than TextDecoder for short strings.
  let ascii = true;
  for (let i = o; i < end; i++) {
    if (b[i]! > 0x7e || b[i]! < 0x20) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    let s = '';
    for (let i = o; i < end; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  return utf8.decode(b.subarray(o, end)).replace(/[\u0000-\u001f\u007f]/g, '');
}

/** Whether `len` bytes at `o` are all zero (an unset address). */
export function allZero(b: Uint8Array, o: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[o + i] !== 0) return false;
  return true;
}
