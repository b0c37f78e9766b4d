// A seeded source of choices so that a seed always gives the same estate: the demo, the
// tests and the benchmark measure the same thing on every machine.
import { mulberry32 } from '../analysis/random';

export interface Random {
  (): number;
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(xs: T[]): T[];
  /** k distinct elements (fewer when xs is shorter) */
  sample<T>(xs: readonly T[], k: number): T[];
}

export function random(seed: number): Random {
  const next = mulberry32(seed);
  const r = next as Random;
  r.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  r.pick = (xs) => xs[Math.floor(next() * xs.length)]!;
  r.chance = (p) => next() < p;
  r.shuffle = (xs) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  r.sample = (xs, k) => r.shuffle([...xs]).slice(0, Math.max(0, k));
  return r;
}
