import { chiSquaredQuantile, regularizedGammaP, regularizedGammaQ } from '../distributions';
import { requireInput } from '../errors';
import { requireCoverage } from './coverage';

/**
 * How Poisson funnel limits turn an expected count μ into limits on the observed count:
 * - 'chi-squared': Spiegelhalter's closed form as FunnelPlotR 0.6.0 and NHS Digital's SHMI use it,
 *   lower χ²(α/2; 2μ)/2, upper χ²(1 − α/2; 2(μ + 1))/2 — μ treated as if it were an observed count;
 * - 'exact-test': the exact Poisson test inverted, as PHEindicatormethods 2.1.0 (calculate_funnel_limits)
 *   and Fingertips draw ratio and rate funnels: the counts O at which the continuous extension of the
 *   tail probability reaches α/2, P(X ≤ O | μ) for the lower limit and P(X ≥ O | μ) for the upper,
 *   i.e. the O whose exact upper (lower) confidence limit is μ.
 */
export type PoissonLimitMethod = 'chi-squared' | 'exact-test';

/** Control limits for an observed count with expected count μ > 0 at one coverage; see {@link PoissonLimitMethod}. */
export function poissonCountLimits(expected: number, coverage: number, method: PoissonLimitMethod = 'chi-squared'): { lower: number; upper: number } {
  requireInput(expected > 0 && Number.isFinite(expected), 'poissonCountLimits', 'a finite expected count greater than zero');
  requireCoverage(coverage, 'poissonCountLimits');
  const tail = (1 - coverage) / 2;
  if (method === 'chi-squared') {
    return {
      lower: chiSquaredQuantile(tail, 2 * expected) / 2,
      upper: chiSquaredQuantile(1 - tail, 2 * (expected + 1)) / 2,
    };
  }
  // The exact upper confidence limit of a count O is the gamma(O + 1) quantile, so the lower control
  // limit solves Q(O + 1, μ) = α/2; the exact lower confidence limit is the gamma(O) quantile, so the
  // upper control limit solves P(O, μ) = α/2. Both are monotone in the shape: solved by bisection.
  const lowerShape = regularizedGammaQ(1, expected) >= tail ? 1 : solveShape((a) => regularizedGammaQ(a, expected) - tail, 1, expected);
  const upperShape = solveShape((a) => tail - regularizedGammaP(a, expected), 0, expected);
  return { lower: lowerShape - 1, upper: upperShape };
}

/** Root of an increasing function of the gamma shape above `from`, by bracketing then bisection to full precision. */
function solveShape(f: (shape: number) => number, from: number, expected: number): number {
  let lo = from;
  let hi = expected + 2 + 10 * Math.sqrt(expected + 1);
  while (f(hi) < 0) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 400 && hi - lo > 4 * Number.EPSILON * hi; i++) {
    const mid = lo + (hi - lo) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}
