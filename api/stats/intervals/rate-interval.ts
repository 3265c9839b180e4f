import { requireConfidence, requireNonNegative, requirePositive } from './input-checks';
import type { Interval, PoissonMethod, PoissonMethodChoice } from './interval';
import { poissonCountInterval } from './poisson-count-interval';

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
  const name = 'rateInterval';
  requireNonNegative(observed, name, 'observed count');
  requirePositive(denominator, name, 'denominator');
  requirePositive(multiplier, name, 'multiplier');
  requireConfidence(confidence, name);
  const count = poissonCountInterval(observed, confidence, method);
  const scale = multiplier / denominator;
  return { estimate: observed * scale, lower: count.lower * scale, upper: count.upper * scale, method: count.method };
}
