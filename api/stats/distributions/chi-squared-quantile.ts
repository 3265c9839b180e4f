import { requireInput } from '../errors';
import { gammaQuantile } from './gamma-quantile';

/**
 * Quantile of the chi-squared distribution on df degrees of freedom (df > 0, not necessarily an
 * integer): the gamma quantile with shape df/2 and scale 2, as R's qchisq. Returns 0 at p = 0.
 */
export function chiSquaredQuantile(p: number, df: number): number {
  requireInput(p >= 0 && p <= 1, 'chiSquaredQuantile', 'a probability between 0 and 1');
  requireInput(df > 0 && Number.isFinite(df), 'chiSquaredQuantile', 'finite degrees of freedom greater than zero');
  return gammaQuantile(p, df / 2, 2);
}
