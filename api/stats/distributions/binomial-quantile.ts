import { requireInput } from '../errors';
import { regularizedBeta } from './regularized-beta';

/**
 * The q quantile of Binomial(n, p) as R's qbinom defines it: the smallest x with P(X ≤ x) ≥ q, where
 * P(X ≤ x) = I₁₋ₚ(n − x, x + 1) (Abramowitz & Stegun 26.5.24), found by bisection over 0…n. The CDF is
 * compared with q less 64 ulps, R's fuzz, so a quantile sitting exactly on a CDF step is not pushed up by
 * rounding. p = 0 gives 0 and p = 1 gives n.
 */
export function binomialQuantile(q: number, n: number, p: number): number {
  requireInput(q >= 0 && q <= 1, 'binomialQuantile', 'a probability q between 0 and 1');
  requireInput(Number.isInteger(n) && n >= 0, 'binomialQuantile', 'a whole number of trials of at least zero');
  requireInput(p >= 0 && p <= 1, 'binomialQuantile', 'a success probability between 0 and 1');
  if (p === 0 || n === 0) return 0;
  if (p === 1) return n;
  const wanted = q * (1 - 64 * Number.EPSILON);
  let low = 0;
  let high = n;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (regularizedBeta(1 - p, n - middle, middle + 1) >= wanted) high = middle;
    else low = middle + 1;
  }
  return low;
}
