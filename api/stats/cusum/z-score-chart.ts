import { requireInput } from '../errors';
import { specialCauseRules, type RulePoint, type SpecialCauseOptions, type SpecialCauseResult } from '../spc/special-cause-rules';
import { variationCategory, type VariationCategory } from '../spc/variation-category';

/** The fixed lines of a chart of z-scores: Normal(0, 1) under the null, so centre 0, limits ±3 and the two-sigma band ±2. */
export const Z_SCORE_LIMITS = { centre: 0, lowerLimit: -3, upperLimit: 3, lowerTwoSigma: -2, upperTwoSigma: 2 } as const;

export interface ZScoreChart {
  /** One per score, in order; null for a period with no score. */
  points: (SpecialCauseResult | null)[];
  /** The icon of the latest scored period, or null when no period has a score. */
  variation: VariationCategory | null;
}

/**
 * The Making Data Count special-cause rules (`specialCauseRules`) on a provider's z-scores over time. Each period's z
 * is standardised against that period's funnel, so under the null of no special cause it is Normal(0, 1) and the
 * chart needs no estimated limits: centre 0, limits ±3, two-sigma band ±2, as a Shewhart chart with known
 * parameters (Montgomery, Introduction to Statistical Quality Control, §6.2). Periods without a score are left out of
 * the rules (the runs and trends join the scored periods either side) and given no point type.
 */
export function zScoreChart(scores: readonly (number | null)[], options: SpecialCauseOptions = {}): ZScoreChart {
  const { centre, lowerLimit, upperLimit, lowerTwoSigma, upperTwoSigma } = Z_SCORE_LIMITS;
  const points: RulePoint[] = [];
  for (const value of scores) {
    if (value === null) continue;
    requireInput(Number.isFinite(value), 'zScoreChart', 'finite scores');
    // Written out: an object spread here costs several times the rules themselves.
    points.push({ value, segment: 0, centre, lowerLimit, upperLimit, lowerTwoSigma, upperTwoSigma });
  }
  const results = specialCauseRules(points, options);
  let next = 0;
  return { points: scores.map((z) => (z === null ? null : results[next++])), variation: results.length === 0 ? null : variationCategory(results) };
}
