import type { IndicatorDefinition, ObservationFigures } from './types';

/**
 * Small-number suppression (NHS statistical disclosure practice): a count from 1 up to threshold − 1 could
 * identify patients, so any output that would reveal it is withheld. The counts checked are the numerator or
 * observed count, and for a proportion also its complement (denominator − numerator), which reveals as much.
 * Zero is not suppressed. A threshold of 0 switches suppression off.
 */
export function isSuppressed(indicator: Pick<IndicatorDefinition, 'measureKind'>, figures: ObservationFigures, threshold: number): boolean {
  if (threshold <= 0) return false;
  const small = (count: number | null) => count !== null && count > 0 && count < threshold;
  if (small(figures.numerator) || small(figures.observed)) return true;
  if (indicator.measureKind === 'proportion' && figures.numerator !== null && figures.denominator !== null) {
    return small(figures.denominator - figures.numerator);
  }
  return false;
}
