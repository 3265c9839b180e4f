import { normalCriticalValue, requireConfidence, requireNonNegative } from './input-checks';
import type { Interval } from './interval';

/**
 * Byar's approximation to the exact Poisson interval for a count O (Breslow & Day 1987, Statistical
 * Methods in Cancer Research II, IARC, p. 69): lower O(1 − 1/(9O) − z/(3√O))³,
 * upper (O + 1)(1 − 1/(9(O + 1)) + z/(3√(O + 1)))³. Count scale. Lower is 0 when O = 0.
 * Where the lower bracket turns negative (small O at high confidence) the approximation has failed
 * and lower is NaN, as PHE reports NA; poissonCountInterval switches to the exact interval there.
 */
export function byarInterval(observed: number, confidence = 0.95): Interval {
  const name = 'byarInterval';
  requireNonNegative(observed, name, 'observed count');
  requireConfidence(confidence, name);
  const z = normalCriticalValue(confidence);
  const above = observed + 1;
  const upperBracket = 1 - 1 / (9 * above) + z / (3 * Math.sqrt(above));
  return {
    estimate: observed,
    lower: observed === 0 ? 0 : byarLower(observed, z),
    upper: above * upperBracket ** 3,
  };
}

function byarLower(observed: number, z: number): number {
  const bracket = 1 - 1 / (9 * observed) - z / (3 * Math.sqrt(observed));
  return bracket < 0 ? Number.NaN : observed * bracket ** 3;
}
