import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { clopperPearsonInterval } from './clopper-pearson-interval';

describe('clopperPearsonInterval', () => {
  // Newcombe 1998, Stat Med 17:857, Table I, method 5 (exact, Clopper–Pearson), 4 d.p.
  it.each([
    [81, 263, 0.2527, 0.3676],
    [15, 148, 0.0578, 0.1617],
    [0, 20, 0, 0.1684],
    [1, 29, 0.0009, 0.1776],
  ])('%i/%i matches Newcombe 1998 Table I: %f to %f', (x, n, lower, upper) => {
    const interval = clopperPearsonInterval(x, n);
    expect(Math.abs(interval.lower - lower)).toBeLessThan(5e-5);
    expect(Math.abs(interval.upper - upper)).toBeLessThan(5e-5);
  });

  it('matches R binom.test(5, 10)$conf.int = 0.1870860, 0.8129140 (7 d.p.)', () => {
    const { lower, upper } = clopperPearsonInterval(5, 10);
    expect(Math.abs(lower - 0.187086)).toBeLessThan(5e-8);
    expect(Math.abs(upper - 0.812914)).toBeLessThan(5e-8);
  });

  it('gives 1 − (α/2)^(1/n) above at x = 0 and the mirror at x = n (closed forms)', () => {
    const n = 20;
    expect(clopperPearsonInterval(0, n).lower).toBe(0);
    expect(clopperPearsonInterval(0, n).upper).toBeCloseTo(1 - 0.025 ** (1 / n), 14);
    expect(clopperPearsonInterval(n, n).upper).toBe(1);
    expect(clopperPearsonInterval(n, n).lower).toBeCloseTo(0.025 ** (1 / n), 14);
  });

  it('rejects invalid input', () => {
    expect(() => clopperPearsonInterval(3, 0)).toThrow('clopperPearsonInterval requires a denominator greater than zero');
    expect(() => clopperPearsonInterval(4, 3)).toThrow(StatsInputError);
  });
});
