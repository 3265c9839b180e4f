import type { Interval, PoissonMethod, PoissonMethodChoice } from './interval';
import { scaledCountInterval } from './scaled-count-interval';

/**
 * Indirectly standardised ratio O/E × multiplier (1 for a ratio, 100 for an SMR) with the interval
 * of O treated as Poisson and E as fixed (Breslow & Day 1987, §2.3; PHEindicatormethods
 * calculate_ISRatio). An indirectly standardised rate is the same with multiplier = reference rate.
 * The default method is PHE's: exact below 10 events, Byar's from 10.
 */
export function standardisedRatioInterval(
  observed: number,
  expected: number,
  multiplier = 1,
  confidence = 0.95,
  method: PoissonMethodChoice = 'exact-below-10',
): Interval & { method: PoissonMethod } {
  return scaledCountInterval('standardisedRatioInterval', observed, { value: expected, label: 'expected count' }, multiplier, confidence, method);
}
