import { requireConfidence, requireNonNegative, requirePositive } from './input-checks';
import type { Interval, PoissonMethod, PoissonMethodChoice } from './interval';
import { poissonCountInterval } from './poisson-count-interval';

/** O/base × multiplier with the Poisson interval of O scaled the same way: the shared core of rates and ratios. */
export function scaledCountInterval(
  name: string,
  observed: number,
  base: { value: number; label: string },
  multiplier: number,
  confidence: number,
  method: PoissonMethodChoice,
): Interval & { method: PoissonMethod } {
  requireNonNegative(observed, name, 'observed count');
  requirePositive(base.value, name, base.label);
  requirePositive(multiplier, name, 'multiplier');
  requireConfidence(confidence, name);
  const count = poissonCountInterval(observed, confidence, method);
  const scale = multiplier / base.value;
  return { estimate: observed * scale, lower: count.lower * scale, upper: count.upper * scale, method: count.method };
}
