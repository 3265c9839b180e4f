import { requireInput } from '../errors';
import { logGamma } from './log-gamma';
import { stirlingCorrection } from './stirling-correction';

const LOG_SQRT_TWO_PI = 0.9189385332046728;

/**
 * ln B(a, b), splitting off Stirling's remainder when a shape is 10 or more so that
 * ln Γ(a + b) − ln Γ(b) is never formed by subtracting two large numbers (the method of R's lbeta).
 */
export function logBeta(a: number, b: number): number {
  requireInput(a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b), 'logBeta', 'finite shapes greater than zero');
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  const share = p / (p + q);
  if (p >= 10) {
    const correction = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return -0.5 * Math.log(q) + LOG_SQRT_TWO_PI + correction + (p - 0.5) * Math.log(share) + q * Math.log1p(-share);
  }
  if (q >= 10) {
    const correction = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + correction + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-share);
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}
