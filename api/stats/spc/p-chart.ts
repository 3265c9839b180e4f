import { attributeChart, type AttributeChart } from './attribute-chart';
import type { SegmentOptions } from './chart-segments';

export type PChartOptions = SegmentOptions;

/**
 * p chart for proportions (Montgomery, "Introduction to Statistical Quality Control", chapter 7;
 * Making Data Count 2019): p̄ = Σx / Σn over the baseline of each segment, per-point limits
 * p̄ ± 3√(p̄(1 − p̄) / nₜ) and two-sigma band p̄ ± 2√(…), clamped to [0, 1].
 * Degenerate: p̄ = 0 or 1 has no spread, so every limit equals the centre.
 */
export function pChart(numerators: readonly number[], denominators: readonly number[], options: PChartOptions = {}): AttributeChart {
  return attributeChart(numerators, denominators, options, {
    functionName: 'pChart',
    sigma: (centre, denominator) => Math.sqrt((centre * (1 - centre)) / denominator),
    ceiling: 1,
    numeratorWithinDenominator: true,
  });
}
