import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { regularizedGammaP, regularizedGammaQ } from './regularized-gamma';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

/** P(Poisson(λ) < k) = Q(k, λ): an exact finite sum for integer shapes (Abramowitz & Stegun 6.5.13). */
function poissonBelow(k: number, lambda: number): number {
  let sum = 0;
  let term = Math.exp(-lambda);
  for (let j = 0; j < k; j++) {
    sum += term;
    term *= lambda / (j + 1);
  }
  return sum;
}

describe('regularizedGammaP / regularizedGammaQ', () => {
  it('equal 1 − e^−x and e^−x for shape 1', () => {
    for (const x of [1e-8, 0.3, 2, 50]) {
      expect(relativeError(regularizedGammaP(1, x), -Math.expm1(-x))).toBeLessThan(1e-14);
      expect(relativeError(regularizedGammaQ(1, x), Math.exp(-x))).toBeLessThan(1e-14);
    }
  });

  it('match the Poisson sum on both sides of x = a + 1 (series and continued fraction)', () => {
    for (const [k, lambda] of [[5, 1], [5, 9.1], [30, 12], [30, 45], [200, 180], [200, 260]]) {
      expect(relativeError(regularizedGammaQ(k, lambda), poissonBelow(k, lambda))).toBeLessThan(1e-12);
    }
  });

  it('keep the upper tail precise where 1 − P would round to zero', () => {
    expect(relativeError(regularizedGammaQ(3, 60), poissonBelow(3, 60))).toBeLessThan(1e-13);
  });

  // Reference: mpmath 1.3 at 40 digits. Forming a·ln x − ln Γ(a) directly would lose about 1e-9 here.
  it('stay accurate for shapes in the millions (Temme saddle-point prefactor)', () => {
    expect(relativeError(regularizedGammaP(1e6, 997000), 0.0013381041673135997)).toBeLessThan(1e-12);
    expect(relativeError(regularizedGammaQ(3e7, 3.001e7), 0.033955275900576992)).toBeLessThan(1e-12);
  });

  it('return the limits at 0 and Infinity', () => {
    expect(regularizedGammaP(2, 0)).toBe(0);
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaP(2, Infinity)).toBe(1);
  });

  it('reject a non-positive shape or a negative argument', () => {
    expect(() => regularizedGammaP(0, 1)).toThrow(StatsInputError);
    expect(() => regularizedGammaQ(1, -1)).toThrow('regularizedGammaQ requires a non-negative argument');
  });
});
