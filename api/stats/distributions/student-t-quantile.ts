import { requireInput } from '../errors';
import { betaQuantile } from './beta-quantile';

/**
 * Quantile of Student's t distribution on df > 0 degrees of freedom, through the beta quantile:
 * P(|T| > t) = I_{df/(df+t²)}(df/2, ½) (Abramowitz & Stegun 26.7.1, 26.5.27). When the two-sided
 * tail q is large, t² is taken from the complementary Beta(½, df/2) quantile so a t near zero keeps
 * its precision. Returns ∓Infinity at p = 0 and 1.
 */
export function studentTQuantile(p: number, df: number): number {
  requireInput(p >= 0 && p <= 1, 'studentTQuantile', 'a probability between 0 and 1');
  requireInput(df > 0 && Number.isFinite(df), 'studentTQuantile', 'finite degrees of freedom greater than zero');
  if (p === 0.5) return 0;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const twoSidedTail = 2 * Math.min(p, 1 - p);
  let tSquared: number;
  if (twoSidedTail <= 0.5) {
    const x = betaQuantile(twoSidedTail, df / 2, 0.5);
    tSquared = (df * (1 - x)) / x;
  } else {
    const y = betaQuantile(1 - twoSidedTail, 0.5, df / 2);
    tSquared = (df * y) / (1 - y);
  }
  const t = Math.sqrt(tSquared);
  return p < 0.5 ? -t : t;
}
