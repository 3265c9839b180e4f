import { rateInterval, standardisedRatioInterval, wilsonInterval } from '../stats';
import type { IndicatorDefinition, ObservationFigures } from './types';

export interface MeasureValue {
  /** On the display scale (× the indicator's multiplier); null when the figures cannot give one. */
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** How the interval was formed, named in outputs. */
  method: 'wilson' | 'exact-poisson' | 'byar' | 'published' | 'none';
}

/**
 * One provider's value and 95 % (or other) interval from its stored figures, by measure kind: Wilson for
 * proportions (Wilson 1927), Poisson exact below 10 events and Byar's above for rates and indirectly
 * standardised ratios (PHE practice), and the published value and interval for directly standardised rates
 * and means, whose interval needs figures the publication does not carry.
 */
export function measureValue(indicator: Pick<IndicatorDefinition, 'measureKind' | 'multiplier'>, figures: ObservationFigures, confidence = 0.95): MeasureValue {
  const { measureKind, multiplier } = indicator;
  const { numerator, denominator, observed, expected } = figures;
  if (measureKind === 'proportion' && numerator !== null && denominator !== null) {
    const interval = wilsonInterval(numerator, denominator, confidence);
    return { value: (numerator / denominator) * multiplier, lower: interval.lower * multiplier, upper: interval.upper * multiplier, method: 'wilson' };
  }
  if (measureKind === 'crude_rate' && numerator !== null && denominator !== null) {
    const interval = rateInterval(numerator, denominator, multiplier, confidence);
    return { value: interval.estimate, lower: interval.lower, upper: interval.upper, method: interval.method === 'exact' ? 'exact-poisson' : 'byar' };
  }
  if (measureKind === 'indirectly_standardised_ratio' && observed !== null && expected !== null) {
    const interval = standardisedRatioInterval(observed, expected, multiplier, confidence);
    return { value: interval.estimate, lower: interval.lower, upper: interval.upper, method: interval.method === 'exact' ? 'exact-poisson' : 'byar' };
  }
  if (figures.value !== null) {
    // A published interval is a 95 % one; it is not rescaled to another confidence.
    const published = confidence === 0.95;
    return {
      value: figures.value,
      lower: published ? figures.valueLower : null,
      upper: published ? figures.valueUpper : null,
      method: published && figures.valueLower !== null ? 'published' : 'none',
    };
  }
  return { value: null, lower: null, upper: null, method: 'none' };
}
