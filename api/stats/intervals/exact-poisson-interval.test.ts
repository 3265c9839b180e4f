import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { exactPoissonInterval } from './exact-poisson-interval';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

function poissonAtMost(k: number, lambda: number): number {
  let sum = 0;
  let term = Math.exp(-lambda);
  for (let j = 0; j <= k; j++) {
    sum += term;
    term *= lambda / (j + 1);
  }
  return sum;
}

describe('exactPoissonInterval', () => {
  it('gives 0 to −ln(α/2) at O = 0 (the chi-squared on 2 df is exponential)', () => {
    const { lower, upper } = exactPoissonInterval(0);
    expect(lower).toBe(0);
    expect(relativeError(upper, -Math.log(0.025))).toBeLessThan(1e-14);
  });

  it('gives −ln(1 − α/2) below at O = 1 (closed form)', () => {
    expect(relativeError(exactPoissonInterval(1, 0.998).lower, -Math.log1p(-0.001))).toBeLessThan(1e-13);
  });

  // Garwood 1936's definition: P(X ≥ O | λ = lower) = α/2 and P(X ≤ O | λ = upper) = α/2, summed directly.
  it.each([2, 10, 50, 100])('O = %i satisfies the defining Poisson tail equations', (observed) => {
    const { lower, upper } = exactPoissonInterval(observed);
    expect(relativeError(1 - poissonAtMost(observed - 1, lower), 0.025)).toBeLessThan(1e-11);
    expect(relativeError(poissonAtMost(observed, upper), 0.025)).toBeLessThan(1e-11);
  });

  it('accepts non-integer counts, between the neighbouring integers', () => {
    const { lower, upper } = exactPoissonInterval(2.5);
    expect(lower).toBeGreaterThan(exactPoissonInterval(2).lower);
    expect(upper).toBeLessThan(exactPoissonInterval(3).upper);
  });

  it('rejects negative counts and bad confidence', () => {
    expect(() => exactPoissonInterval(-1)).toThrow('exactPoissonInterval requires a non-negative finite observed count');
    expect(() => exactPoissonInterval(3, 1)).toThrow(StatsInputError);
  });
});
