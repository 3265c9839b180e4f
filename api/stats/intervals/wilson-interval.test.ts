import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { wilsonInterval } from './wilson-interval';

describe('wilsonInterval', () => {
  // Newcombe 1998, Stat Med 17:857, Table I, method 3 (score method without continuity correction), 4 d.p.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i matches Newcombe 1998 Table I: %f to %f', (x, n, lower, upper) => {
    const interval = wilsonInterval(x, n);
    expect(Math.abs(interval.lower - lower)).toBeLessThan(5e-5);
    expect(Math.abs(interval.upper - upper)).toBeLessThan(5e-5);
    expect(interval.estimate).toBe(x / n);
  });

  it('is 0 below at x = 0 and 1 above at x = n (documented degenerate values)', () => {
    expect(wilsonInterval(0, 50).lower).toBe(0);
    expect(wilsonInterval(50, 50).upper).toBe(1);
  });

  it('is symmetric under x ↔ n − x', () => {
    const left = wilsonInterval(7, 40, 0.998);
    const right = wilsonInterval(33, 40, 0.998);
    expect(left.lower).toBeCloseTo(1 - right.upper, 14);
    expect(left.upper).toBeCloseTo(1 - right.lower, 14);
  });

  it('keeps relative precision in the lower limit for a rare event in a huge denominator', () => {
    // Reference: the same formula in mpmath at 40 digits. Evaluated as written in doubles,
    // 2x + z² − z√(…) cancels and keeps only about 11 of the 16 digits here.
    const { lower } = wilsonInterval(0.01, 1e9);
    expect(Math.abs(lower / 2.5897122125197513e-14 - 1)).toBeLessThan(1e-14);
  });

  it('widens with confidence', () => {
    const narrow = wilsonInterval(30, 100, 0.95);
    const wide = wilsonInterval(30, 100, 0.998);
    expect(wide.lower).toBeLessThan(narrow.lower);
    expect(wide.upper).toBeGreaterThan(narrow.upper);
  });

  it('rejects invalid input with one message shape', () => {
    expect(() => wilsonInterval(1, 0)).toThrow('wilsonInterval requires a denominator greater than zero');
    expect(() => wilsonInterval(-1, 10)).toThrow('wilsonInterval requires a non-negative finite numerator');
    expect(() => wilsonInterval(11, 10)).toThrow('wilsonInterval requires a numerator no greater than the denominator');
    expect(() => wilsonInterval(1, 10, 95)).toThrow('wilsonInterval requires a confidence level between 0 and 1, such as 0.95');
    expect(() => wilsonInterval(Number.NaN, 10)).toThrow(StatsInputError);
  });
});
