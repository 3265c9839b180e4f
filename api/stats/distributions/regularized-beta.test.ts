import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { regularizedBeta, regularizedBetaComplement } from './regularized-beta';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

/** P(Binomial(n, p) ≥ k) = I_p(k, n − k + 1) (Abramowitz & Stegun 26.5.24), summed exactly. */
function binomialAtLeast(k: number, n: number, p: number): number {
  let sum = 0;
  let logChoose = 0;
  for (let j = 0; j <= n; j++) {
    if (j > 0) logChoose += Math.log((n - j + 1) / j);
    if (j >= k) sum += Math.exp(logChoose + j * Math.log(p) + (n - j) * Math.log1p(-p));
  }
  return sum;
}

describe('regularizedBeta / regularizedBetaComplement', () => {
  it('match the closed forms x^a, 1 − (1 − x)^b and 3x² − 2x³', () => {
    for (const x of [0.001, 0.2, 0.5, 0.93]) {
      expect(relativeError(regularizedBeta(x, 3.7, 1), x ** 3.7)).toBeLessThan(1e-14);
      expect(relativeError(regularizedBetaComplement(x, 1, 2.5), (1 - x) ** 2.5)).toBeLessThan(1e-14);
      expect(relativeError(regularizedBeta(x, 2, 2), 3 * x * x - 2 * x ** 3)).toBeLessThan(1e-14);
    }
  });

  it('match the binomial tail on both sides of the continued-fraction switch', () => {
    for (const [k, n, p] of [[3, 10, 0.1], [8, 10, 0.5], [40, 100, 0.3], [90, 100, 0.95]]) {
      const tail = binomialAtLeast(k, n, p);
      expect(relativeError(regularizedBeta(p, k, n - k + 1), tail)).toBeLessThan(1e-13);
      expect(relativeError(regularizedBetaComplement(p, k, n - k + 1), 1 - tail)).toBeLessThan(1e-12);
    }
  });

  // Reference: mpmath 1.3 at 40 digits, betainc(..., regularized=True).
  it('stay accurate with large shapes on both the saddle-point and the one-large-shape paths', () => {
    expect(relativeError(regularizedBeta(0.2, 1045, 3956), 0.058413249851197257)).toBeLessThan(1e-12);
    expect(relativeError(regularizedBetaComplement(6.416225600694481e-6, 2.5, 1e6), 0.025000000001525868)).toBeLessThan(1e-10);
  });

  it('return the limits at 0 and 1', () => {
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
    expect(regularizedBetaComplement(0, 2, 3)).toBe(1);
  });

  it('reject an argument outside [0, 1] or a non-positive shape', () => {
    expect(() => regularizedBeta(1.2, 2, 3)).toThrow('regularizedBeta requires an argument between 0 and 1');
    expect(() => regularizedBeta(0.5, 0, 3)).toThrow(StatsInputError);
  });
});
