import { betaQuantile } from '../distributions';
import { requireInput } from '../errors';
import { coverageZ, requireCoverage } from './coverage';

/**
 * Unadjusted limits for a proportion about a target θ at denominator n:
 * - 'exact': the binomial analogue of Spiegelhalter's χ² form for ratios (Spiegelhalter 2005, Stat Med
 *   24:1185, appendix): the Clopper–Pearson interval of a provider observing exactly the expected count
 *   m = nθ, lower Beta⁻¹(α/2; m, n − m + 1), upper Beta⁻¹(1 − α/2; m + 1, n − m) — 0 when m = 0 and 1 when m = n;
 * - 'wilson': the Wilson score interval inverted about θ, PHEindicatormethods 2.1.0's closed form
 *   (sigma_adjustment). Its algebra reduces exactly to θ ± z√(θ(1 − θ)/n), the normal approximation about
 *   the target, so one method serves both names; clamped to [0, 1] as PHE clamps it.
 * The arcsine limits FunnelPlotR draws are the adjusted limits of transformed-limits.ts with τ² = 0.
 */
export type ProportionLimitMethod = 'exact' | 'wilson';

export function proportionLimits(denominator: number, coverage: number, target: number, method: ProportionLimitMethod = 'exact'): { lower: number; upper: number } {
  requireInput(denominator > 0 && Number.isFinite(denominator), 'proportionLimits', 'a finite denominator greater than zero');
  requireInput(target >= 0 && target <= 1, 'proportionLimits', 'a target proportion between 0 and 1');
  requireCoverage(coverage, 'proportionLimits');
  if (method === 'wilson') {
    const half = coverageZ(coverage) * Math.sqrt((target * (1 - target)) / denominator);
    return { lower: Math.max(0, target - half), upper: Math.min(1, target + half) };
  }
  const tail = (1 - coverage) / 2;
  const expected = denominator * target;
  const rest = denominator - expected;
  return {
    lower: expected > 0 ? betaQuantile(tail, expected, rest + 1) : 0,
    upper: rest > 0 ? betaQuantile(1 - tail, expected + 1, rest) : 1,
  };
}
