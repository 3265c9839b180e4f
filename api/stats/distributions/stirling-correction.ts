import { requireInput } from '../errors';

// B₂ₖ / (2k(2k − 1)) for k = 1…8: the terms of Stirling's series (Abramowitz & Stegun 6.1.40).
const COEFFICIENTS = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

/**
 * δ(x) = ln Γ(x) − [(x − ½)·ln x − x + ½·ln 2π], the remainder of Stirling's formula, by its
 * asymptotic series (Abramowitz & Stegun 6.1.40), for x ≥ 10 where eight terms give double precision.
 * Keeping δ apart lets the incomplete gamma and beta functions cancel the large terms of ln Γ
 * analytically instead of in floating point (as R's lgammacor and bratio do).
 */
export function stirlingCorrection(x: number): number {
  requireInput(x >= 10, 'stirlingCorrection', 'an argument of at least 10');
  const inverseSquare = 1 / (x * x);
  let sum = 0;
  for (let k = COEFFICIENTS.length - 1; k >= 0; k--) sum = sum * inverseSquare + COEFFICIENTS[k];
  return sum / x;
}
