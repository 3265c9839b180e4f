import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { meanInterval } from './mean-interval';

describe('meanInterval', () => {
  it('gives 3 ± t(0.975; 4)·√2.5/√5 for 1…5 (R: qt(0.975, 4) = 2.776445, 7 s.f.)', () => {
    const halfWidth = (2.776445 * Math.sqrt(2.5)) / Math.sqrt(5);
    const { estimate, lower, upper } = meanInterval([1, 2, 3, 4, 5]);
    expect(estimate).toBe(3);
    expect(Math.abs((3 - lower) / halfWidth - 1)).toBeLessThan(1e-6);
    expect(Math.abs((upper - 3) / halfWidth - 1)).toBeLessThan(1e-6);
  });

  it('gives the same interval from values and from their summary', () => {
    const values = [4.2, 5.1, 3.9, 6.0, 5.5, 4.8];
    const fromValues = meanInterval(values, 0.998);
    const mean = values.reduce((a, b) => a + b) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    const fromSummary = meanInterval({ mean, sd, n: values.length }, 0.998);
    expect(fromValues.lower).toBeCloseTo(fromSummary.lower, 12);
    expect(fromValues.upper).toBeCloseTo(fromSummary.upper, 12);
  });

  it('collapses to the mean when all values are equal (sd = 0)', () => {
    expect(meanInterval([7, 7, 7])).toEqual({ estimate: 7, lower: 7, upper: 7 });
  });

  it('rejects fewer than two values and non-finite input', () => {
    expect(() => meanInterval([1])).toThrow('meanInterval requires at least two values');
    expect(() => meanInterval({ mean: 1, sd: 1, n: 1 })).toThrow('meanInterval requires at least two values');
    expect(() => meanInterval([1, Number.NaN])).toThrow(StatsInputError);
    expect(() => meanInterval({ mean: 1, sd: -1, n: 5 })).toThrow(StatsInputError);
  });
});
