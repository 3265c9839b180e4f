import { requireInput } from '../errors';
import { funnelLimits, type FunnelLimitModel } from './funnel-limits';

export interface FunnelCurvePoint {
  precision: number;
  lower: number;
  upper: number;
}

/** One pair of limit lines to draw: unadjusted or adjusted, at one coverage. */
export interface FunnelCurve {
  coverage: number;
  kind: 'unadjusted' | 'adjusted';
  points: FunnelCurvePoint[];
}

/**
 * `count` precisions spaced evenly on a log scale from min to max inclusive: funnels bend most at
 * small precisions, so equal ratios between points keep the curves smooth where they curve.
 * When min equals max (one provider, or all alike) the range is widened to [min/2, 2·max].
 */
export function logSpacedPrecisions(min: number, max: number, count = 150): number[] {
  requireInput(min > 0 && max >= min && Number.isFinite(max), 'logSpacedPrecisions', 'precisions with 0 < min ≤ max');
  requireInput(Number.isInteger(count) && count >= 2, 'logSpacedPrecisions', 'at least two points');
  const [from, to] = min === max ? [min / 2, max * 2] : [min, max];
  const step = Math.log(to / from) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? to : from * Math.exp(step * i)));
}

/**
 * Funnel limit curves over a range of precisions for drawing (Spiegelhalter 2005, Stat Med 24:1185):
 * for each coverage an unadjusted and an adjusted pair of lines, evaluated by {@link funnelLimits}.
 */
export function funnelLimitCurves(model: FunnelLimitModel, minPrecision: number, maxPrecision: number, count = 150): FunnelCurve[] {
  const precisions = logSpacedPrecisions(minPrecision, maxPrecision, count);
  const atEach = precisions.map((precision) => funnelLimits(model, precision));
  return (['unadjusted', 'adjusted'] as const).flatMap((kind) =>
    model.coverages.map((coverage, c) => ({
      coverage,
      kind,
      points: atEach.map((limits, i) => ({ precision: precisions[i], lower: limits[kind][c].lower, upper: limits[kind][c].upper })),
    })),
  );
}
