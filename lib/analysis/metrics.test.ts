import { describe, expect, it } from 'vitest';
import { adjustedMutualInfo, adjustedRandIndex, mutualInfo } from './metrics';
import { mulberry32 } from './random';

describe('partition agreement', () => {
  it('matches the textbook values (scikit-learn, arithmetic normalization)', () => {
    const truth = ['0', '0', '0', '1', '1', '1'];
    const found = ['0', '0', '1', '1', '2', '2'];
    expect(adjustedRandIndex(truth, found)).toBeCloseTo(0.24242424, 6);
    // MI = 2/3 ln 2; EMI from the hypergeometric model; mean entropy (ln 2 + ln 3) / 2
    expect(mutualInfo(truth, found)).toBeCloseTo((2 / 3) * Math.log(2), 10);
    expect(adjustedMutualInfo(truth, found)).toBeCloseTo(0.29879246, 6);
  });

  it('is 1 for the same partition under other names, and does not care about order', () => {
    const a = ['x', 'x', 'y', 'y', 'y', 'z'];
    const b = ['3', '3', '1', '1', '1', '2'];
    expect(adjustedRandIndex(a, b)).toBe(1);
    expect(adjustedMutualInfo(a, b)).toBeCloseTo(1, 12);
    expect(adjustedMutualInfo(b, a)).toBeCloseTo(1, 12);
  });

  it('is about 0 for unrelated partitions, below 1 for a merge of two groups', () => {
    const rand = mulberry32(7);
    const a = Array.from({ length: 600 }, () => String(Math.floor(rand() * 10)));
    const b = Array.from({ length: 600 }, () => String(Math.floor(rand() * 10)));
    expect(Math.abs(adjustedMutualInfo(a, b))).toBeLessThan(0.02);
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.02);
    const truth = [...Array(10).fill('a'), ...Array(10).fill('b'), ...Array(10).fill('c')];
    const merged = [...Array(20).fill('ab'), ...Array(10).fill('c')];
    const ami = adjustedMutualInfo(truth, merged);
    expect(ami).toBeGreaterThan(0.5);
    expect(ami).toBeLessThan(0.9);
  });
});
