import { sum } from 'simple-statistics';

/**
 * Arithmetic mean with one refinement pass, as R's `mean.default` computes it: the compensated
 * sum (simple-statistics' Kahan–Babuška `sum`) over n, then the mean of the residuals added back.
 * Why: the refinement makes the mean of identical values exactly that value, so a flat series
 * sits on its centre line instead of one ulp above it (which would start a spurious run), and it
 * keeps centre lines within rounding of NHSRplotthedots 0.2.2, whose oracles come from R.
 * The caller guarantees a non-empty array.
 */
export function preciseMean(values: readonly number[]): number {
  const first = sum(values as number[]) / values.length;
  let residual = 0;
  for (const value of values) residual += value - first;
  return first + residual / values.length;
}
