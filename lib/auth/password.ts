// Password hashing with scrypt from Node's own crypto (no native dependency to build or
// download). Parameters follow OWASP's Password Storage Cheat Sheet (N=2^15, r=8, p=3: 32 MiB
// and about 0.2 s per hash on the reference machine); they are stored with each hash so that
// raising them later re-hashes passwords at the next sign-in (needsRehash).
import { randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

export const SCRYPT = { ln: 15, r: 8, p: 3, keylen: 32, saltBytes: 16 } as const;
/** Longer inputs are refused before hashing: nobody types them, and they cost CPU. */
export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_LENGTH = 12;

const maxmem = (ln: number, r: number) => 128 * 2 ** ln * r * 2;

/** "$scrypt$ln=15,r=8,p=3$<salt>$<hash>" (PHC string format, base64 without padding). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltBytes);
  const key = await scrypt(password.normalize('NFKC'), salt, SCRYPT.keylen, { N: 2 ** SCRYPT.ln, r: SCRYPT.r, p: SCRYPT.p, maxmem: maxmem(SCRYPT.ln, SCRYPT.r) });
  return `$scrypt$ln=${SCRYPT.ln},r=${SCRYPT.r},p=${SCRYPT.p}$${salt.toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`;
}

interface Parsed {
  ln: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | null {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (!m) return null;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ln < 10 || ln > 22 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { ln, r, p, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await scrypt(password.normalize('NFKC'), h.salt, h.key.length, { N: 2 ** h.ln, r: h.r, p: h.p, maxmem: maxmem(h.ln, h.r) });
  return timingSafeEqual(key, h.key);
}

export function needsRehash(stored: string): boolean {
  const h = parse(stored);
  return !h || h.ln < SCRYPT.ln || h.r !== SCRYPT.r || h.p < SCRYPT.p;
}

let dummy: Promise<string> | null = null;
/**
 * Spend the time of one verification without an account to verify against, so that an unknown
 * email answers as slowly as a wrong password (no account discovery by timing).
 */
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), await dummy);
}

/** Why a new password is not acceptable, or null. Length over composition rules (NIST SP 800-63B). */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  if (new Set(password).size < 4) return 'a password needs more than a few distinct characters';
  if (email && password.toLowerCase().includes(email.toLowerCase().split('@')[0]!) && email.split('@')[0]!.length >= 4) {
    return 'a password must not contain the account name';
  }
  return null;
}

// No 0/O, 1/l/I: generated passwords get read aloud and typed.
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A random password of 20 characters from 57 symbols (about 116 bits). */
export function generatePassword(length = 20): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}
