import { betaQuantile } from '../distributions';
import { requireInput } from '../errors';
import { requireConfidence, requireNonNegative, requirePositive } from './input-checks';
import type { Interval } from './interval';

/**
 * Clopper–Pearson "exact" interval for a proportion x/n (Clopper & Pearson 1934, Biometrika 26:404),
 * from beta quantiles: lower B(α/2; x, n − x + 1), upper B(1 − α/2; x + 1, n − x), as R's binom.test.
 * Proportion scale. Degenerate counts: lower is 0 when x = 0 and upper is 1 when x = n.
 */
export function clopperPearsonInterval(numerator: number, denominator: number, confidence = 0.95): Interval {
  const name = 'clopperPearsonInterval';
  requirePositive(denominator, name, 'denominator');
  requireNonNegative(numerator, name, 'numerator');
  requireInput(numerator <= denominator, name, 'a numerator no greater than the denominator');
  requireConfidence(confidence, name);
  const tail = (1 - confidence) / 2;
  return {
    estimate: numerator / denominator,
    lower: numerator === 0 ? 0 : betaQuantile(tail, numerator, denominator - numerator + 1),
    upper: numerator === denominator ? 1 : betaQuantile(1 - tail, numerator + 1, denominator - numerator),
  };
}
