import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { byarInterval } from './byar-interval';
import { exactPoissonInterval } from './exact-poisson-interval';

describe('byarInterval', () => {
  it('evaluates the Breslow & Day (1987, p. 69) formula: O = 10 at 95%, by hand', () => {
    // z = 1.959963984540054; lower 10(1 − 1/90 − z/(3√10))³, upper 11(1 − 1/99 + z/(3√11))³.
    const { lower, upper } = byarInterval(10);
    expect(lower).toBeCloseTo(4.787449913967564, 12);
    expect(upper).toBeCloseTo(18.391458605756473, 12);
  });

  it('is within 0.2% of the exact interval from 10 events, which is why PHE switches there', () => {
    for (const observed of [10, 50, 1000]) {
      const approximate = byarInterval(observed);
      const exact = exactPoissonInterval(observed);
      expect(Math.abs(approximate.lower / exact.lower - 1)).toBeLessThan(2e-3);
      expect(Math.abs(approximate.upper / exact.upper - 1)).toBeLessThan(2e-3);
    }
  });

  it('gives lower 0 at O = 0 and NaN where the approximation fails (O = 1 at 99.8%), as PHE reports NA', () => {
    expect(byarInterval(0).lower).toBe(0);
    expect(byarInterval(0).upper).toBeGreaterThan(3);
    expect(byarInterval(1, 0.998).lower).toBeNaN();
    expect(byarInterval(1, 0.998).upper).toBeGreaterThan(9);
  });

  it('rejects negative counts', () => {
    expect(() => byarInterval(-2)).toThrow('byarInterval requires a non-negative finite observed count');
    expect(() => byarInterval(Number.POSITIVE_INFINITY)).toThrow(StatsInputError);
  });
});
