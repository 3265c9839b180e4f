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
  // upper control limit solves P(O, μ) = α/2. Both are monotone in the shape. (P → 1 as the shape → 0.)
  const atOne = regularizedGammaQ(1, expected) - tail;
  const lowerShape = atOne >= 0 ? 1 : solveShape((a) => regularizedGammaQ(a, expected) - tail, 1, atOne, expected);
  const upperShape = solveShape((a) => tail - regularizedGammaP(a, expected), 0, tail - 1, expected);
  return { lower: lowerShape - 1, upper: upperShape };
}

/**
 * Root of an increasing function of the gamma shape above `from` (where it is fFrom < 0), bracketed and
 * then narrowed to full precision by the Illinois variant of regula falsi (Dowell & Jarratt 1971): a dozen
 * evaluations where bisection needs about sixty, the same root to within the final bracket.
 */
function solveShape(f: (shape: number) => number, from: number, fFrom: number, expected: number): number {
  let [lo, fLo] = [from, fFrom];
  let hi = expected + 2 + 10 * Math.sqrt(expected + 1);
  let fHi = f(hi);
  while (fHi < 0) {
    [lo, fLo] = [hi, fHi];
    hi *= 2;
    fHi = f(hi);
  }
  let kept = 0;
  for (let i = 0; i < 400 && hi - lo > 4 * Number.EPSILON * hi; i++) {
    let x = hi - (fHi * (hi - lo)) / (fHi - fLo);
    if (!(x > lo && x < hi)) x = lo + (hi - lo) / 2;
    const fx = f(x);
    if (fx === 0) return x;
    // Halve the value kept at an end that survives twice running, so both ends close in.
    if (fx < 0) {
      [lo, fLo] = [x, fx];
      if (kept === -1) fHi /= 2;
      kept = -1;
    } else {
      [hi, fHi] = [x, fx];
      if (kept === 1) fLo /= 2;
      kept = 1;
    }
  }
  return lo + (hi - lo) / 2;
}
