// Secrets handed to people or browsers (session cookies, API tokens) are random 256-bit values;
// the database keeps only their SHA-256. A fast hash is right here: unlike passwords, these
// secrets have full entropy, so there is nothing to guess offline.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const hmac = (key: string, s: string) => createHmac('sha256', key).update(s).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
