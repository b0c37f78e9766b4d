// Identifiers the writers derive from what they name (an ENI from its workload and binding, an
// account from the estate's seed): hashes rather than counters, so the same estate writes the
// same ids whatever order it is written in.

/** FNV-1a over a string, 32 bits, with a seed so that one text gives several independent hashes. */
export function textHash(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}

/** `length` lower-case hex digits derived from a text (AWS resource ids have 17). */
export function hexId(text: string, length: number): string {
  let out = '';
  for (let seed = 1; out.length < length; seed++) out += textHash(text, seed).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/** `length` decimal digits derived from a text, never starting with 0 (an AWS account id has 12). */
export function digitsId(text: string, length: number): string {
  let out = '';
  for (let seed = 1; out.length < length; seed++) out += String(textHash(text, seed) % 1_000_000).padStart(6, '0');
  return `${1 + (textHash(text) % 9)}${out.slice(1, length)}`;
}
