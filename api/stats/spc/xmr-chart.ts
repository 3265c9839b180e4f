import { requireInput } from '../errors';
import { chartSegments, type SegmentOptions } from './chart-segments';
import { preciseMean } from './precise-mean';
import type { ControlLimits, LimitedPoint, SpcSegment } from './types';

/** 3 / d₂ for subgroups of two (d₂ = 1.128), rounded as Wheeler (1993) and Making Data Count print it. */
export const XMR_LIMIT_FACTOR = 2.66;
/** Two thirds of the three-sigma factor: the inner band used by the "two of three" rule. */
export const XMR_TWO_SIGMA_FACTOR = (2 * XMR_LIMIT_FACTOR) / 3;
/** D₄ for subgroups of two: a moving range this many times the average is itself a signal. */
export const MOVING_RANGE_SCREEN_FACTOR = 3.267;

export interface XmrOptions extends SegmentOptions {
  /**
   * Screen the moving ranges: drop those ≥ 3.267 × their mean and average the rest, once.
   * Default `true`, as in NHSRplotthedots 0.2.2, so one extreme point does not widen the limits
   * it should fall outside; the Making Data Count Excel tool does not screen (pass `false`).
   */
  screenMovingRanges?: boolean;
}

export interface XmrSegment extends SpcSegment {
  /** Mean moving range of the baseline after screening; `null` for a one-point baseline. */
  averageMovingRange: number | null;
  /** How many baseline moving ranges screening dropped. */
  movingRangesExcluded: number;
}

export interface XmrChart {
  segments: XmrSegment[];
  points: LimitedPoint[];
}

/**
 * XmR (individuals and moving range) chart, as Making Data Count (NHS England / Improvement 2019,
 * revised November 2023) and NHSRplotthedots 0.2.2 draw it: per segment, centre = mean of the
 * baseline, limits = centre ± 2.66 × mean moving range, two-sigma band = centre ± 1.7733 × mean
 * moving range (Wheeler, "Understanding Variation", 1993). Moving ranges never cross a rebase.
 *
 * Degenerate cases: identical baseline values give a mean moving range of 0, so the limits
 * collapse onto the centre (screening is skipped then; NHSRplotthedots would drop every range and
 * return NaN limits); a one-point segment after a rebase has its value as centre and `null` limits.
 */
export function xmrChart(values: readonly number[], options: XmrOptions = {}): XmrChart {
  requireInput(values.length >= 2, 'xmrChart', 'at least two values');
  requireInput(values.every(Number.isFinite), 'xmrChart', 'finite values');
  const screen = options.screenMovingRanges ?? true;
  const segments: XmrSegment[] = [];
  const points: LimitedPoint[] = [];
  for (const bounds of chartSegments(values.length, options, 'xmrChart', 2)) {
    const baseline = values.slice(bounds.start, bounds.start + bounds.baselineLength);
    const centre = preciseMean(baseline);
    const { averageMovingRange, movingRangesExcluded } = averageMovingRangeOf(baseline, screen);
    segments.push({ ...bounds, centre, averageMovingRange, movingRangesExcluded });
    const { lowerLimit, upperLimit, lowerTwoSigma, upperTwoSigma } = xmrLimits(centre, averageMovingRange);
    const segment = segments.length - 1;
    for (let index = bounds.start; index < bounds.end; index++) {
      points.push({ index, value: values[index], segment, centre, lowerLimit, upperLimit, lowerTwoSigma, upperTwoSigma });
    }
  }
  return { segments, points };
}

function averageMovingRangeOf(baseline: readonly number[], screen: boolean) {
  const ranges = baseline.slice(1).map((value, i) => Math.abs(value - baseline[i]));
  if (ranges.length === 0) return { averageMovingRange: null, movingRangesExcluded: 0 };
  const average = preciseMean(ranges);
  // With an average of 0 every range would be "≥ 3.267 × 0" and screening would leave none.
  if (!screen || average === 0) return { averageMovingRange: average, movingRangesExcluded: 0 };
  const kept = ranges.filter((range) => range < MOVING_RANGE_SCREEN_FACTOR * average);
  return { averageMovingRange: preciseMean(kept), movingRangesExcluded: ranges.length - kept.length };
}

function xmrLimits(centre: number, averageMovingRange: number | null): ControlLimits {
  if (averageMovingRange === null) {
    return { centre, lowerLimit: null, upperLimit: null, lowerTwoSigma: null, upperTwoSigma: null };
  }
  return {
    centre,
    lowerLimit: centre - XMR_LIMIT_FACTOR * averageMovingRange,
    upperLimit: centre + XMR_LIMIT_FACTOR * averageMovingRange,
    lowerTwoSigma: centre - XMR_TWO_SIGMA_FACTOR * averageMovingRange,
    upperTwoSigma: centre + XMR_TWO_SIGMA_FACTOR * averageMovingRange,
  };
}
