import { requireInput } from '../errors';
import type { ImprovementDirection } from './types';

/** NHSRplotthedots 0.2.2 `assurance_type` values: the MDC icons "pass", "fail" and "hit and miss". */
export type AssuranceCategory = 'consistent_pass' | 'consistent_fail' | 'inconsistent';

export interface AssuranceInput {
  target: number;
  /** Limits of the most recent point. */
  lowerLimit: number | null;
  upperLimit: number | null;
  improvementDirection: ImprovementDirection;
}

/**
 * The assurance icon (Making Data Count, NHS England / Improvement 2019; NHSRplotthedots 0.2.2
 * `ptd_calculate_assurance_type`): a target beyond the upper limit will consistently be failed when
 * increase is better (passed when decrease is), beyond the lower limit the reverse; a target on or
 * between the limits is hit and miss. `null` when no direction is better (a target cannot be
 * passed or failed) or the limits are unknown (one-point segment).
 */
export function assuranceCategory(input: AssuranceInput): AssuranceCategory | null {
  requireInput(Number.isFinite(input.target), 'assuranceCategory', 'a finite target');
  const { target, lowerLimit, upperLimit, improvementDirection } = input;
  if (improvementDirection === 'neutral' || lowerLimit === null || upperLimit === null) return null;
  const increaseIsBetter = improvementDirection === 'increase';
  if (target > upperLimit) return increaseIsBetter ? 'consistent_fail' : 'consistent_pass';
  if (target < lowerLimit) return increaseIsBetter ? 'consistent_pass' : 'consistent_fail';
  return 'inconsistent';
}
