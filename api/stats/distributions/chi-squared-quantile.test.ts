import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { chiSquaredQuantile } from './chi-squared-quantile';
import { regularizedGammaP, regularizedGammaQ } from './regularized-gamma';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('chiSquaredQuantile', () => {
  // R 4.x: sprintf('%.16g', qchisq(p, df)).
  it.each([
    [0.95, 1, 3.841458820694124],
    [0.975, 1, 5.023886187314888],
    [0.95, 2, 5.991464547107979],
    [0.95, 10, 18.30703805327515],
  ])('qchisq(%f, %f) matches R to 1e-14', (p, df, expected) => {
    expect(relativeError(chiSquaredQuantile(p, df), expected)).toBeLessThan(1e-14);
  });

  it('equals −2 ln(1 − p) on 2 df (the exponential distribution)', () => {
    for (const p of [1e-9, 0.025, 0.5, 0.999]) {
      expect(relativeError(chiSquaredQuantile(p, 2), -2 * Math.log1p(-p))).toBeLessThan(1e-14);
    }
  });

  it('inverts the distribution function for small, fractional and very large df', () => {
    // Exact Poisson limits use df = 2O and 2O + 2; fractional O (PHE allows it) gives fractional df.
    for (const df of [0.1, 0.89, 3.3, 57, 2000, 2e6]) {
      // On 0.1 df the 1e-12 quantile, about 1e-240, is still a normal double.
      for (const p of [1e-12, 0.001, 0.025, 0.3]) {
        expect(relativeError(regularizedGammaP(df / 2, chiSquaredQuantile(p, df) / 2), p)).toBeLessThan(1e-9);
      }
      for (const p of [0.7, 0.975, 0.999, 1 - 1e-9]) {
        expect(relativeError(regularizedGammaQ(df / 2, chiSquaredQuantile(p, df) / 2), 1 - p)).toBeLessThan(1e-9);
      }
    }
  });

  it('returns 0 at p = 0 and Infinity at p = 1', () => {
    expect(chiSquaredQuantile(0, 4)).toBe(0);
    expect(chiSquaredQuantile(1, 4)).toBe(Infinity);
  });

  it('rejects non-positive df and probabilities outside [0, 1]', () => {
    expect(() => chiSquaredQuantile(0.5, 0)).toThrow('chiSquaredQuantile requires finite degrees of freedom greater than zero');
    expect(() => chiSquaredQuantile(-0.1, 2)).toThrow(StatsInputError);
  });
});
