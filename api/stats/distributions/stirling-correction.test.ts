import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { stirlingCorrection } from './stirling-correction';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('stirlingCorrection', () => {
  // Reference: mpmath 1.3 at 40 digits, loggamma(x) − ((x − ½)ln x − x + ½ ln 2π).
  it.each([
    [10, 0.008330563433362871],
    [1e6, 8.333333333333055e-8],
  ])('δ(%f) matches a 40-digit evaluation', (x, expected) => {
    expect(relativeError(stirlingCorrection(x), expected)).toBeLessThan(1e-15);
  });

  it('rejects arguments below 10, where eight terms of the series are not enough', () => {
    expect(() => stirlingCorrection(9)).toThrow(StatsInputError);
  });
});
