import type { ImprovementDirection } from './types';

/** Which side of the centre a signal points to: above / increasing is `high`. */
export type SignalDirection = 'high' | 'low';
export type SpecialCause = 'improvement' | 'concern' | 'neutral';
/** NHSRplotthedots 0.2.2 `point_type` values, kept verbatim so outputs compare with it directly. */
export type PointType =
  | 'common_cause'
  | 'special_cause_improvement'
  | 'special_cause_concern'
  | 'special_cause_neutral_high'
  | 'special_cause_neutral_low';

export interface PointClassification {
  specialCause: SpecialCause | null;
  pointType: PointType;
}

/**
 * Classifies a signal against the measure's improvement direction, as Making Data Count (2019)
 * colours it and NHSRplotthedots 0.2.2 `ptd_point_type` names it: a high signal is improvement
 * when increase is better and concern when decrease is better; with no preferred direction it is
 * neutral, high or low. No signal is common cause.
 */
export function classifySignal(direction: SignalDirection | null, improvementDirection: ImprovementDirection): PointClassification {
  if (direction === null) return { specialCause: null, pointType: 'common_cause' };
  if (improvementDirection === 'neutral') {
    return { specialCause: 'neutral', pointType: direction === 'high' ? 'special_cause_neutral_high' : 'special_cause_neutral_low' };
  }
  const better = improvementDirection === 'increase' ? 'high' : 'low';
  return direction === better
    ? { specialCause: 'improvement', pointType: 'special_cause_improvement' }
    : { specialCause: 'concern', pointType: 'special_cause_concern' };
}
