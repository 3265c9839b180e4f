import { requireInput } from '../errors';
import { logGamma } from './log-gamma';
import { normalQuantile } from './normal-quantile';
import { regularizedGammaP, regularizedGammaQ } from './regularized-gamma';
import { solveIncreasing, type IncreasingFunction } from './solve-increasing';

/**
 * Quantile of the gamma distribution with the given shape and scale. The starting value is
 * Wilson–Hilferty's cube-root normal approximation (Wilson & Hilferty 1931), or the small-shape
 * power law of Numerical Recipes' invgammp (3rd ed., §6.2.1); Halley's method with a bisection
 * safeguard then solves P(shape, x) = p, or Q(shape, x) = 1 − p in the upper half so extreme
 * upper tails keep their precision, to full double precision.
 * Returns 0 at p = 0 and Infinity at p = 1.
 */
export function gammaQuantile(p: number, shape: number, scale = 1): number {
  requireInput(p >= 0 && p <= 1, 'gammaQuantile', 'a probability between 0 and 1');
  requireInput(shape > 0 && Number.isFinite(shape), 'gammaQuantile', 'a finite shape greater than zero');
  requireInput(scale > 0 && Number.isFinite(scale), 'gammaQuantile', 'a finite scale greater than zero');
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  return solveIncreasing(new GammaEquation(p, shape), startingValue(p, shape), 0, Infinity) * scale;
}

/** P(shape, x) = p, or Q(shape, x) = 1 − p in the upper half; a class for the reason given in beta-quantile.ts. */
class GammaEquation implements IncreasingFunction {
  private readonly p: number;
  private readonly shape: number;
  private readonly logNormaliser: number;
  private readonly upperHalf: boolean;

  constructor(p: number, shape: number) {
    [this.p, this.shape] = [p, shape];
    this.logNormaliser = logGamma(shape);
    this.upperHalf = p > 0.5;
  }

  value(x: number): number {
    return this.upperHalf ? 1 - this.p - regularizedGammaQ(this.shape, x) : regularizedGammaP(this.shape, x) - this.p;
  }

  slope(x: number): number {
    return Math.exp((this.shape - 1) * Math.log(x) - x - this.logNormaliser);
  }

  curvature(x: number): number {
    return (this.shape - 1) / x - 1;
  }
}

function startingValue(p: number, shape: number): number {
  if (shape > 1) {
    const z = normalQuantile(p);
    const cube = 1 - 1 / (9 * shape) + z / (3 * Math.sqrt(shape));
    return Math.max(1e-3, shape * cube * cube * cube);
  }
  const t = 1 - shape * (0.253 + shape * 0.12);
  return p < t ? Math.pow(p / t, 1 / shape) : 1 - Math.log(1 - (p - t) / (1 - t));
}
