import { requireInput } from '../errors';
import { normalCriticalValue, requireConfidence, requireNonNegative, requirePositive } from './input-checks';
import type { Interval } from './interval';

/**
 * Wilson score interval for a proportion x/n (Wilson 1927, JASA 22:209; Newcombe 1998, Stat Med
 * 17:857, method 3), in the closed form Fingertips uses: (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²)).
 * Proportion scale (multiply by 100 for a percentage). Degenerate counts: lower is 0 when x = 0
 * and upper is 1 when x = n. Non-integer x is accepted, as in PHE.
 */
export function wilsonInterval(numerator: number, denominator: number, confidence = 0.95): Interval {
  const name = 'wilsonInterval';
  requirePositive(denominator, name, 'denominator');
  requireNonNegative(numerator, name, 'numerator');
  requireInput(numerator <= denominator, name, 'a numerator no greater than the denominator');
  requireConfidence(confidence, name);
  const z = normalCriticalValue(confidence);
  const zSquared = z * z;
  const centre = 2 * numerator + zSquared;
  const halfWidth = z * Math.sqrt(zSquared + 4 * numerator * (1 - numerator / denominator));
  const scale = 2 * (denominator + zSquared);
  // (centre − halfWidth) cancels for small x; centre² − halfWidth² = 4x²(1 + z²/n) does not.
  const lower = (4 * numerator * numerator * (1 + zSquared / denominator)) / (scale * (centre + halfWidth));
  const upper = numerator === denominator ? 1 : (centre + halfWidth) / scale;
  return { estimate: numerator / denominator, lower, upper };
}
