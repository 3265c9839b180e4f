import { chiSquaredQuantile } from '../distributions';
import { requireConfidence, requireNonNegative } from './input-checks';
import type { Interval } from './interval';

/**
 * Exact interval for a Poisson count O (Garwood 1936, Biometrika 28:437), in its chi-squared form:
 * lower χ²(α/2; 2O)/2, upper χ²(1 − α/2; 2O + 2)/2. Count scale. Lower is 0 when O = 0.
 * Non-integer O is accepted, as in PHE (the chi-squared form is defined for it).
 */
export function exactPoissonInterval(observed: number, confidence = 0.95): Interval {
  const name = 'exactPoissonInterval';
  requireNonNegative(observed, name, 'observed count');
  requireConfidence(confidence, name);
  const tail = (1 - confidence) / 2;
  return {
    estimate: observed,
    lower: observed === 0 ? 0 : chiSquaredQuantile(tail, 2 * observed) / 2,
    upper: chiSquaredQuantile(1 - tail, 2 * observed + 2) / 2,
  };
}
