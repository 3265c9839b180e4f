import { describe, expect, it } from 'vitest';
import { logBeta } from './log-beta';
import { regularizedBeta } from './regularized-beta';
import { solveIncreasing, type IncreasingFunction } from './solve-increasing';

/** Counts evaluations of the function whose root is sought. */
function counted(f: IncreasingFunction): IncreasingFunction & { calls: () => number } {
  let calls = 0;
  return { ...f, value: (x) => (calls++, f.value(x)), calls: () => calls };
}

describe('solveIncreasing', () => {
  it('stops once Newton converges from one side: Beta(40.68, 299.32) at 0.025 (binomial funnel, n = 339, θ = 0.12)', () => {
    // Every iterate stayed below the root, so the bracket's top was still 1. The last step (~1e-18) rounded
    // to x itself, read as leaving the bracket, and a bisection to 0.54 cost ~100 more evaluations.
    const [a, b, p] = [339 * 0.12, 339 * 0.88 + 1, 0.025];
    const normaliser = logBeta(a, b);
    const f = counted({
      value: (x) => regularizedBeta(x, a, b) - p,
      slope: (x) => Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - normaliser),
      curvature: (x) => (a - 1) / x - (b - 1) / (1 - x),
    });
    const root = solveIncreasing(f, 0.08737261577420811, 0, 1);
    expect(Math.abs(regularizedBeta(root, a, b) / p - 1)).toBeLessThan(1e-13);
    expect(f.calls()).toBeLessThanOrEqual(4);
  });

  it('solves x³ = 2 from either side to full precision', () => {
    const cube = { value: (x: number) => x ** 3 - 2, slope: (x: number) => 3 * x * x, curvature: (x: number) => 2 / x };
    for (const start of [0.5, 1, 5]) expect(solveIncreasing(cube, start, 0, 10)).toBeCloseTo(Math.cbrt(2), 15);
  });
});
