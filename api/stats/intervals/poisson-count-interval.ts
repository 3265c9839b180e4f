import { byarInterval } from './byar-interval';
import { exactPoissonInterval } from './exact-poisson-interval';
import { requireConfidence, requireNonNegative } from './input-checks';
import type { Interval, PoissonMethod, PoissonMethodChoice } from './interval';

/** Counts below this get the exact interval under PHE's rule (PHEindicatormethods phe_rate, calculate_ISRatio). */
export const byarMinimumCount = 10;

/**
 * Interval for a Poisson count by the chosen method. The default follows PHE practice: exact
 * (Garwood) below 10, Byar's from 10. The result names the method actually used.
 */
export function poissonCountInterval(
  observed: number,
  confidence = 0.95,
  method: PoissonMethodChoice = 'exact-below-10',
): Interval & { method: PoissonMethod } {
  const name = 'poissonCountInterval';
  requireNonNegative(observed, name, 'observed count');
  requireConfidence(confidence, name);
  const used: PoissonMethod =
    method === 'exact-below-10' ? (observed < byarMinimumCount ? 'exact' : 'byar') : method;
  const interval = used === 'exact' ? exactPoissonInterval(observed, confidence) : byarInterval(observed, confidence);
  return { ...interval, method: used };
}
