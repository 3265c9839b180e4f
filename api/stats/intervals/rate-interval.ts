import type { Interval, PoissonMethod, PoissonMethodChoice } from './interval';
import { scaledCountInterval } from './scaled-count-interval';

/**
 * Crude rate O/n × multiplier with the count's Poisson interval scaled the same way
 * (PHE, Technical Guide: Confidence Intervals, 2018; PHEindicatormethods phe_rate).
 * The default method is PHE's: exact below 10 events, Byar's from 10.
 */
export function rateInterval(
  observed: number,
  denominator: number,
  multiplier = 100_000,
  confidence = 0.95,
  method: PoissonMethodChoice = 'exact-below-10',
): Interval & { method: PoissonMethod } {
  return scaledCountInterval('rateInterval', observed, { value: denominator, label: 'denominator' }, multiplier, confidence, method);
}
