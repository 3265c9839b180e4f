import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { betaQuantile } from './beta-quantile';
import { regularizedBeta, regularizedBetaComplement } from './regularized-beta';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('betaQuantile', () => {
  it('matches the closed forms p^(1/a), 1 − (1 − p)^(1/b) and the arcsine law sin²(πp/2)', () => {
    for (const p of [1e-8, 0.025, 0.5, 0.975]) {
      expect(relativeError(betaQuantile(p, 3.7, 1), p ** (1 / 3.7))).toBeLessThan(1e-14);
      expect(relativeError(betaQuantile(p, 1, 40), -Math.expm1(Math.log1p(-p) / 40))).toBeLessThan(1e-13);
      expect(relativeError(betaQuantile(p, 0.5, 0.5), Math.sin((Math.PI * p) / 2) ** 2)).toBeLessThan(1e-13);
    }
  });

  it('matches R qbeta(0.025, 5, 6) = 0.187086 (binom.test(5, 10) lower limit, 6 s.f.)', () => {
    expect(relativeError(betaQuantile(0.025, 5, 6), 0.187086)).toBeLessThan(5e-6);
  });

  it('inverts the distribution function for Clopper–Pearson-sized shapes', () => {
    // Quantiles near 1 are left out: there a double resolves 1 − x only to about 1e-16/(1 − x).
    for (const [a, b] of [[0.5, 30], [1, 5000], [66, 35], [1045, 3956], [0.7, 20000]]) {
      for (const p of [1e-10, 0.001, 0.025, 0.3]) {
        expect(relativeError(regularizedBeta(betaQuantile(p, a, b), a, b), p)).toBeLessThan(1e-9);
      }
      for (const p of [0.7, 0.975, 0.999]) {
        expect(relativeError(regularizedBetaComplement(betaQuantile(p, a, b), a, b), 1 - p)).toBeLessThan(1e-9);
      }
    }
  });

  it('returns 0 at p = 0 and 1 at p = 1', () => {
    expect(betaQuantile(0, 2, 3)).toBe(0);
    expect(betaQuantile(1, 2, 3)).toBe(1);
  });

  it('rejects non-positive shapes', () => {
    expect(() => betaQuantile(0.5, 0, 1)).toThrow('betaQuantile requires finite shapes greater than zero');
    expect(() => betaQuantile(2, 1, 1)).toThrow(StatsInputError);
  });
});
