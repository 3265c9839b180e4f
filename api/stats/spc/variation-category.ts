import { requireInput } from '../errors';
import type { SignalDirection, SpecialCause } from './point-type';

/** The seven Making Data Count variation icons. */
export type VariationCategory =
  | 'common_cause'
  | 'special_cause_improvement_high'
  | 'special_cause_improvement_low'
  | 'special_cause_concern_high'
  | 'special_cause_concern_low'
  | 'special_cause_neutral_high'
  | 'special_cause_neutral_low';

/**
 * The variation icon of a chart, read from its most recent point as Making Data Count (NHS England
 * / Improvement 2019) and NHSRplotthedots 0.2.2 (`geom_ptd_icon`, last point's `point_type`) do:
 * common cause, or special cause improving / concerning / neutral, high or low. High or low is
 * kept for improvement and concern too because the icons differ ("improvement, higher is better"
 * points up). Takes the per-point results of `specialCauseRules`.
 */
export function variationCategory(
  points: readonly { specialCause: SpecialCause | null; direction: SignalDirection | null }[],
): VariationCategory {
  requireInput(points.length > 0, 'variationCategory', 'at least one point');
  const { specialCause, direction } = points[points.length - 1];
  if (specialCause === null || direction === null) return 'common_cause';
  return `special_cause_${specialCause}_${direction}`;
}
