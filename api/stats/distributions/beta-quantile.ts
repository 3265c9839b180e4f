import { requireInput } from '../errors';
import { logBeta } from './log-beta';
import { normalQuantile } from './normal-quantile';
import { regularizedBeta, regularizedBetaComplement } from './regularized-beta';
import { solveIncreasing, type IncreasingFunction } from './solve-increasing';

/**
 * Quantile of the beta distribution Beta(a, b). Starting value from Numerical Recipes' invbetai
 * (3rd ed., §6.14.10: Abramowitz & Stegun 26.5.22 for a, b ≥ 1, a two-piece power law otherwise);
 * Halley's method with a bisection safeguard then solves I_x(a, b) = p, or 1 − I_x(a, b) = 1 − p in
 * the upper half, to full double precision. Returns 0 at p = 0 and 1 at p = 1.
 */
export function betaQuantile(p: number, a: number, b: number): number {
  requireInput(p >= 0 && p <= 1, 'betaQuantile', 'a probability between 0 and 1');
  requireInput(a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b), 'betaQuantile', 'finite shapes greater than zero');
  if (p === 0) return 0;
  if (p === 1) return 1;
  return solveIncreasing(new BetaEquation(p, a, b), startingValue(p, a, b), 0, 1);
}

/**
 * I_x(a, b) = p, or 1 − I_x(a, b) = 1 − p in the upper half, with its density and curvature for Halley's
 * method. A class rather than closures: funnels invert tens of thousands of quantiles, and per-call
 * closures (named at runtime by the TypeScript loader) cost more than the arithmetic.
 */
class BetaEquation implements IncreasingFunction {
  private readonly p: number;
  private readonly a: number;
  private readonly b: number;
  private readonly logNormaliser: number;
  private readonly upperHalf: boolean;

  constructor(p: number, a: number, b: number) {
    [this.p, this.a, this.b] = [p, a, b];
    this.logNormaliser = logBeta(a, b);
    this.upperHalf = p > 0.5;
  }

  value(x: number): number {
    return this.upperHalf ? 1 - this.p - regularizedBetaComplement(x, this.a, this.b) : regularizedBeta(x, this.a, this.b) - this.p;
  }

  slope(x: number): number {
    return Math.exp((this.a - 1) * Math.log(x) + (this.b - 1) * Math.log1p(-x) - this.logNormaliser);
  }

  curvature(x: number): number {
    return (this.a - 1) / x - (this.b - 1) / (1 - x);
  }
}

function startingValue(p: number, a: number, b: number): number {
  let x: number;
  if (a >= 1 && b >= 1) {
    const z = -normalQuantile(p);
    const lambda = (z * z - 3) / 6;
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
    const w = (z * Math.sqrt(h + lambda)) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (lambda + 5 / 6 - 2 / (3 * h));
    x = a / (a + b * Math.exp(2 * w));
  } else {
    const t = Math.exp(a * Math.log(a / (a + b))) / a;
    const u = Math.exp(b * Math.log(b / (a + b))) / b;
    const w = t + u;
    x = p < t / w ? Math.pow(a * w * p, 1 / a) : 1 - Math.pow(b * w * (1 - p), 1 / b);
  }
  // The solver needs a start strictly inside (0, 1).
  return x > 0 && x < 1 ? x : 0.5;
}
