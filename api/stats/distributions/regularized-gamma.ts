import { requireInput } from '../errors';
import { logGamma } from './log-gamma';
import { stirlingCorrection } from './stirling-correction';

const EPS = Number.EPSILON;
const FPMIN = Number.MIN_VALUE / EPS;
// Both expansions need O(√a) terms; this cap allows shapes far beyond any count the product sees.
const MAX_ITERATIONS = 100_000;

/**
 * Regularised lower incomplete gamma P(a, x), by the series for x < a + 1 and Lentz's continued
 * fraction for Q otherwise (Numerical Recipes, 3rd ed., §6.2).
 */
export function regularizedGammaP(a: number, x: number): number {
  checkArguments(a, x, 'regularizedGammaP');
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperContinuedFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly so small tails keep their precision. */
export function regularizedGammaQ(a: number, x: number): number {
  checkArguments(a, x, 'regularizedGammaQ');
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
}

function checkArguments(a: number, x: number, name: string): void {
  requireInput(a > 0 && Number.isFinite(a), name, 'a finite shape greater than zero');
  requireInput(x >= 0, name, 'a non-negative argument');
}

/** x^a·e^−x/Γ(a). For a ≥ 10 it is written as Temme's saddle-point form so that a·ln x − ln Γ(a) is not a difference of large numbers. */
function prefactor(a: number, x: number): number {
  if (a < 10) return Math.exp(-x + a * Math.log(x) - logGamma(a));
  const t = (x - a) / a;
  return Math.exp(a * (Math.log1p(t) - t) + 0.5 * Math.log(a / (2 * Math.PI)) - stirlingCorrection(a));
}

function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * prefactor(a, x);
}

function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPS) break;
  }
  return prefactor(a, x) * h;
}
