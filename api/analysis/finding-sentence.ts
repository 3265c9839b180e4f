import type { IndicatorDefinition } from './types';

export type PeriodGranularity = 'month' | 'quarter' | 'financial_year' | 'calendar_year' | 'rolling_12_months' | 'rolling_36_months' | 'other';

/** The numbers a finding states; the sentence says nothing that is not one of these. */
export interface FindingFacts {
  organisationName: string;
  indicator: Pick<IndicatorDefinition, 'name' | 'unit' | 'multiplier' | 'measureKind'>;
  /** On the display scale. */
  value: number;
  /** Which 99.8 % limit the value lies beyond. */
  side: 'above' | 'below';
  /** In how many of the last `periods` periods the provider sat outside its 95 % limits. */
  outside95: number;
  periods: number;
  granularity: PeriodGranularity;
}

const twoPlaces = (indicator: FindingFacts['indicator']) => indicator.measureKind === 'indirectly_standardised_ratio' && indicator.multiplier === 1;

/**
 * A value as the indicator publishes it: per cent to 1 decimal place ("48.7 %"), ratios of 1 to 2 places
 * ("1.62"), rates, means and ratios per 100 to 1 place followed by their unit ("23.4 per 100,000 bed days").
 */
export function formatIndicatorValue(value: number, indicator: FindingFacts['indicator']): string {
  const places = twoPlaces(indicator) ? 2 : 1;
  const number = value.toLocaleString('en-GB', { minimumFractionDigits: places, maximumFractionDigits: places });
  if (indicator.unit === '%') return `${number} %`;
  if (indicator.measureKind === 'indirectly_standardised_ratio' || indicator.unit === 'ratio' || indicator.unit === '') return number;
  return `${number} ${indicator.unit}`;
}

const periodNouns: Partial<Record<PeriodGranularity, string>> = { quarter: 'quarters', month: 'months' };

/**
 * One plain-English sentence for a provider beyond the 99.8 % funnel limit, built only from the figures:
 * "Marrowmere … Trust's hospital mortality ratio, 1.62, is above the 99.8 % limit for its size, and has been
 * outside 95 % in 4 of the last 4 quarters." It names no cause and makes no judgement beyond the limits.
 */
export function findingSentence(facts: FindingFacts): string {
  const possessive = facts.organisationName.endsWith('s') ? `${facts.organisationName}'` : `${facts.organisationName}'s`;
  const head = `${possessive} ${lowerFirst(facts.indicator.name)}, ${formatIndicatorValue(facts.value, facts.indicator)}, is ${facts.side} the 99.8 % limit for its size`;
  // With one period there is no history to report.
  if (facts.periods <= 1) return `${head}.`;
  return `${head}, and has been outside 95 % in ${facts.outside95} of the last ${facts.periods} ${periodNouns[facts.granularity] ?? 'periods'}.`;
}

/** "Hospital mortality ratio" → "hospital mortality ratio", but "A&E attendances" and "HbA1c …" keep their capitals. */
function lowerFirst(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? name[0].toLowerCase() + name.slice(1) : name;
}
