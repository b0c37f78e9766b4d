// Brute-force throttling of sign-in and of API-token guessing, with rate-limiter-flexible on its
// Prisma store: counters live in the database (table RateLimiterFlexible), so every server
// process on one database shares them and a restart does not reset an attacker's count.
//
// Failed password sign-ins are counted per (account, address), per account from anywhere, and
// per address across accounts. When the (account, address) or the address count is full, further
// attempts from there are refused without checking the password until it is released. When the
// account count is full (a distributed attack), only addresses that have themselves failed on
// the account are refused: the throttle slows the guess, not the person, so an attacker cannot
// lock an admin out of their own account from elsewhere (each new attacking address still gets
// no more than its (account, address) and address allowances). A success clears its
// (account, address) count. API tokens are checked before the throttle (authenticate.ts): a
// valid token is never refused because someone else presented bad ones.
import { RateLimiterPrisma, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '../db';

interface Limit {
  /** failures allowed in the window */
  points: number;
  /** window, seconds */
  duration: number;
  /** once full: refused for this long, seconds */
  block: number;
}

export const SIGN_IN_LIMITS = {
  /** one person mistyping, or one attacker on one account: 5 tries, then 15 minutes */
  accountAddress: { points: 5, duration: 15 * 60, block: 15 * 60 },
  /** a distributed attack on one account */
  account: { points: 20, duration: 60 * 60, block: 15 * 60 },
  /** one address spraying many accounts */
  address: { points: 50, duration: 60 * 60, block: 60 * 60 },
  /** one address presenting bad API tokens */
  token: { points: 20, duration: 10 * 60, block: 10 * 60 },
} satisfies Record<string, Limit>;
export type Limits = typeof SIGN_IN_LIMITS;

export type ThrottleCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: keyof Limits };

export class SignInThrottle {
  private readonly limiters: Record<keyof Limits, RateLimiterPrisma>;

  constructor(
    db: Db,
    readonly limits: Limits = SIGN_IN_LIMITS,
  ) {
    const make = (name: keyof Limits) =>
      new RateLimiterPrisma({
        storeClient: db,
        tableName: 'rateLimiterFlexible',
        keyPrefix: `signin_${name}`,
        points: limits[name].points,
        duration: limits[name].duration,
        blockDuration: limits[name].block,
      });
    this.limiters = { accountAddress: make('accountAddress'), account: make('account'), address: make('address'), token: make('token') };
  }

  private keys(email: string, ip: string | null) {
    const account = email.trim().toLowerCase();
    const address = ip ?? 'unknown';
    return { accountAddress: `${account}|${address}`, account, address } as const;
  }

  private async full(name: keyof Limits, key: string): Promise<number | null> {
    const r = (await this.limiters[name].get(key)) as RateLimiterRes | null;
    if (!r || r.consumedPoints < this.limits[name].points) return null;
    return Math.max(1, Math.ceil(r.msBeforeNext / 1000));
  }

  private async failures(name: keyof Limits, key: string): Promise<number> {
    const r = (await this.limiters[name].get(key)) as RateLimiterRes | null;
    return r?.consumedPoints ?? 0;
  }

  /** Whether a sign-in attempt may be checked at all. */
  async check(email: string, ip: string | null): Promise<ThrottleCheck> {
    const k = this.keys(email, ip);
    for (const name of ['accountAddress', 'address'] as const) {
      const wait = await this.full(name, k[name]);
      if (wait !== null) return { allowed: false, retryAfterSeconds: wait, limit: name };
    }
    const wait = await this.full('account', k.account);
    if (wait !== null && (await this.failures('accountAddress', k.accountAddress)) > 0) return { allowed: false, retryAfterSeconds: wait, limit: 'account' };
    return { allowed: true };
  }

  private async count(name: keyof Limits, key: string) {
    const r = await this.limiters[name].penalty(key, 1);
    if (r.consumedPoints >= this.limits[name].points) await this.limiters[name].block(key, this.limits[name].block);
  }

  async failed(email: string, ip: string | null): Promise<void> {
    const k = this.keys(email, ip);
    await this.count('accountAddress', k.accountAddress);
    await this.count('account', k.account);
    await this.count('address', k.address);
  }

  async succeeded(email: string, ip: string | null): Promise<void> {
    await this.limiters.accountAddress.delete(this.keys(email, ip).accountAddress);
  }

  async checkToken(ip: string | null): Promise<ThrottleCheck> {
    const wait = await this.full('token', ip ?? 'unknown');
    return wait === null ? { allowed: true } : { allowed: false, retryAfterSeconds: wait, limit: 'token' };
  }

  async tokenFailed(ip: string | null): Promise<void> {
    await this.count('token', ip ?? 'unknown');
  }
}

const cache = new WeakMap<object, SignInThrottle>();
/** The throttle of a database connection (one per open database). */
export function signInThrottle(db: Db): SignInThrottle {
  let t = cache.get(db);
  if (!t) cache.set(db, (t = new SignInThrottle(db)));
  return t;
}
