import { requireInput } from '../errors';
import { regularizedGammaP, regularizedGammaQ } from './regularized-gamma';

/**
 * Standard normal distribution function Φ(x), through the regularised incomplete gamma:
 * Φ(x) = ½·Q(½, x²/2) for x < 0 and ½·(1 + P(½, x²/2)) otherwise (Abramowitz & Stegun 7.1.2, 6.5.17),
 * so the lower tail keeps its relative precision (Φ(−10) ≈ 7.6e-24 to about 4e-15) down to the subnormal range.
 */
export function normalCdf(x: number): number {
  requireInput(!Number.isNaN(x), 'normalCdf', 'a number');
  if (x === -Infinity) return 0;
  if (x === Infinity) return 1;
  const halfSquare = (x * x) / 2;
  if (halfSquare === 0) return 0.5;
  return x < 0 ? 0.5 * regularizedGammaQ(0.5, halfSquare) : 0.5 * (1 + regularizedGammaP(0.5, halfSquare));
}
