import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { logBeta } from './log-beta';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('logBeta', () => {
  it('matches the closed forms ln π, −ln b and −ln(b(b + 1)) in each branch', () => {
    expect(relativeError(logBeta(0.5, 0.5), Math.log(Math.PI))).toBeLessThan(1e-15);
    expect(relativeError(logBeta(1, 7), -Math.log(7))).toBeLessThan(1e-15);
    // One shape small, one large: ln Γ(b + 1) − ln Γ(b) must not be formed by subtraction.
    expect(relativeError(logBeta(1, 1e6), -Math.log(1e6))).toBeLessThan(1e-15);
    expect(relativeError(logBeta(1e6, 2), -Math.log(1e6 * (1e6 + 1)))).toBeLessThan(1e-15);
  });

  // Reference: mpmath 1.3 at 40 digits, log(beta(a, b)).
  it.each([
    [100, 100, -139.66525908670664],
    [1045, 3956, -2565.8177311424662],
  ])('ln B(%f, %f) matches a 40-digit evaluation with both shapes large', (a, b, expected) => {
    expect(relativeError(logBeta(a, b), expected)).toBeLessThan(1e-15);
  });

  it('rejects non-positive shapes', () => {
    expect(() => logBeta(0, 1)).toThrow(StatsInputError);
  });
});
