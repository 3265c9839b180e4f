import { describe, expect, it } from 'vitest';
import { rateInterval, standardisedRatioInterval, wilsonInterval } from '../../api/stats';
import { invertPoisson, invertWilson } from './interval-inversion';

describe('interval inversion', () => {
  it('reads Σx and Σn back from a proportion and its Wilson interval, from tiny to national sizes', () => {
    for (const [numerator, denominator] of [[3, 7], [0, 40], [12, 12], [1234, 9876], [712_345, 987_654]]) {
      const interval = wilsonInterval(numerator, denominator);
      expect(invertWilson(interval.estimate, interval.lower, interval.upper)).toEqual({ numerator, denominator });
    }
  });

  it('reads the count and denominator back from a crude rate, either side of the exact/Byar switch at 10', () => {
    for (const [count, denominator] of [[0, 5000], [3, 98_333], [9, 12_000], [10, 12_000], [246, 1_491_694], [54_321, 9_876_543]]) {
      const interval = rateInterval(count, denominator, 100_000);
      const found = invertPoisson(interval.estimate, interval.lower, interval.upper, 100_000);
      expect(found?.count).toBe(count);
      expect(found!.base).toBeCloseTo(denominator, 3);
    }
  });

  it('reads observed and expected back from an indirectly standardised ratio', () => {
    const interval = standardisedRatioInterval(4, 3.217);
    const found = invertPoisson(interval.estimate, interval.lower, interval.upper, 1);
    expect(found?.count).toBe(4);
    expect(found!.base).toBeCloseTo(3.217, 9);
  });

  it('finds nothing where no counts give the interval', () => {
    expect(invertWilson(0.5, 0.4, 0.45)).toBeNull();
    expect(invertPoisson(10, 9.9, 10.1, 1)).toBeNull();
  });
});
