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

/** A cell as it may leave the product: `suppressed` says whether its figures were withheld. */
export type Disclosed<T> = T & { suppressed: boolean };

const withheldFigures = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null } as const;

/**
 * Withholds a cell's figures entirely: it keeps who and when, but no number, so every statistic built on it
 * (a funnel's benchmark, φ and τ², a pooled value, an SPC centre) treats it as missing and nothing derived
 * from the answers can give its count back. Applied to every stored row as it is read (disclosedRows in
 * api/queries/disclosure.queries.ts), never by the views themselves.
 */
export function withhold<T extends ObservationFigures>(row: T): Disclosed<T> {
  return { ...row, ...withheldFigures, suppressed: true };
}
