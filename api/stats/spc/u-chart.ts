import { attributeChart, type AttributeChart } from './attribute-chart';
import type { SegmentOptions } from './chart-segments';

export type UChartOptions = SegmentOptions;

/**
 * u chart for rates of events per unit of exposure (Montgomery, "Introduction to Statistical
 * Quality Control", chapter 7; Making Data Count 2019): ū = Σc / Σn over the baseline of each segment,
 * per-point limits ū ± 3√(ū / nₜ) and two-sigma band ū ± 2√(ū / nₜ), the lower ones clamped at 0.
 * Degenerate: ū = 0 (no events in the baseline) gives every limit equal to 0.
 */
export function uChart(numerators: readonly number[], denominators: readonly number[], options: UChartOptions = {}): AttributeChart {
  return attributeChart(numerators, denominators, options, {
    functionName: 'uChart',
    sigma: (centre, denominator) => Math.sqrt(centre / denominator),
    ceiling: Infinity,
    numeratorWithinDenominator: false,
  });
}
