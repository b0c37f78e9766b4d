// What every part of traffic generation shares: the estate so far, where conversations go, and
// the rhythms real traffic follows (steady all day in production, thin outside it, nightly,
// weekly and monthly batch).
import type { ConversationLog } from './conversations';
import type { Internet } from './internet';
import type { Skeleton } from './machines';
import type { Schedule } from './model';
import type { Practices } from './practices';
import type { Random } from './random';
import type { Env } from './skeleton';

export interface TrafficContext {
  rng: Random;
  log: ConversationLog;
  practices: Practices;
  skeleton: Skeleton;
  internet: Internet;
  /** 0 for the smallest estates, 1 for the largest */
  scale: number;
  start: number;
  end: number;
}

/**
 * Traffic that runs all the time in production. Pre-production sees a fraction of it (tests and
 * synthetic checks); development mostly while people work.
 */
export function steady(env: Env, share: number): Schedule {
  if (env === 'staging') return { type: 'continuous', share: share * 0.5 };
  if (env === 'dev') return { type: 'continuous', share: Math.min(1, share * 0.7), businessHours: true };
  return { type: 'continuous', share };
}

const NIGHT_HOURS = [22, 23, 0, 1, 2, 3, 4];

export const nightly = (rng: Random): Schedule => ({ type: 'daily', hour: rng.pick(NIGHT_HOURS), hours: rng.int(1, 3) });

// weekly jobs run at night, most often at the weekend; the hour stays before midnight so the day is the job's day
export const weekly = (rng: Random): Schedule => ({ type: 'weekly', dow: rng.chance(0.6) ? rng.pick([6, 7]) : rng.int(1, 5), hour: rng.pick([0, 1, 2, 3, 20, 21]), hours: rng.int(1, 3) });

export const monthly = (rng: Random, dom?: number): Schedule => ({ type: 'monthly', dom: dom ?? rng.pick([1, 2, 15, 25, 28, 0]), hour: rng.pick([0, 1, 2, 3, 18, 20]), hours: rng.int(2, 4) });
