import type { LoadProblem } from '../problems';
import type { MeasureField, ObservationField, RawObservation } from '../sources/raw-observation';

export type MeasureKind = 'proportion' | 'crude_rate' | 'indirectly_standardised_ratio' | 'directly_standardised_rate' | 'mean';

export interface IndicatorRef {
  id: number;
  measureKind: MeasureKind;
}

/** An observation that passed every check, still keyed by codes and period label. */
export interface ValidObservation {
  indicatorId: number;
  organisationCode: string;
  organisationName?: string;
  periodLabel: string;
  figures: Record<MeasureField, number | null>;
}

export interface ValidationContext {
  file: string;
  columns: Partial<Record<ObservationField, string>>;
  indicators: ReadonlyMap<string, IndicatorRef>;
  isKnownOrganisation(code: string): boolean;
  createMissingOrganisations: boolean;
  isValidPeriod(label: string): boolean;
}

const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Checks one raw row against its indicator's measure kind. Pure: every problem names the file, row, column,
 * value and reason; the row is returned only when there are none.
 */
export function validateObservation(raw: RawObservation, context: ValidationContext): { observation: ValidObservation } | { problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const problem = (field: ObservationField, value: unknown, reason: string) =>
    problems.push({ file: context.file, row: raw.row, column: context.columns[field] ?? field, value: value === null || value === undefined ? '' : String(value), reason });

  const indicatorCode = raw.indicator.trim();
  const organisationCode = raw.organisation.trim();
  const periodLabel = raw.period.trim().replace(/\s+/g, ' ');
  const indicator = context.indicators.get(indicatorCode);
  if (indicatorCode === '') problem('indicator', raw.indicator, 'the indicator code is empty');
  else if (!indicator) problem('indicator', raw.indicator, 'unknown indicator; load its definition with `etl indicators` first');
  if (organisationCode === '') problem('organisation', raw.organisation, 'the organisation code is empty');
  else if (!context.createMissingOrganisations && !context.isKnownOrganisation(organisationCode)) {
    problem('organisation', raw.organisation, 'unknown organisation; load it with `etl organisations` or pass --create-missing');
  }
  if (periodLabel === '') problem('period', raw.period, 'the period is empty');
  else if (!context.isValidPeriod(periodLabel)) {
    problem('period', raw.period, 'the period is not one of the documented forms (e.g. 2024-04, 2024/25 Q1, 2024/25, 2023-07..2024-06)');
  }

  const figures = {} as Record<MeasureField, number | null>;
  for (const field of ['numerator', 'denominator', 'observed', 'expected', 'value', 'valueLower', 'valueUpper'] as const) {
    const value = raw.measures[field];
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) figures[field] = null;
    else if (typeof value === 'number') {
      if (Number.isFinite(value)) figures[field] = value;
      else {
        figures[field] = null;
        problem(field, value, 'not a finite number');
      }
    } else if (plainNumber.test(value.trim())) figures[field] = Number(value.trim());
    else {
      figures[field] = null;
      problem(field, value, 'not a number (write plain digits, with no thousands separators or symbols)');
    }
  }
  if (problems.length === 0 && indicator) checkMeasures(indicator.measureKind, figures, problem);
  if (problems.length > 0) return { problems };
  return {
    observation: { indicatorId: indicator!.id, organisationCode, organisationName: raw.organisationName?.trim() || undefined, periodLabel, figures },
  };
}

function checkMeasures(
  kind: MeasureKind,
  figures: Record<MeasureField, number | null>,
  problem: (field: ObservationField, value: unknown, reason: string) => void,
): void {
  // A ratio given as a count and its expected value in numerator/denominator columns (as Fingertips does).
  if (kind === 'indirectly_standardised_ratio' && figures.observed === null && figures.expected === null) {
    [figures.observed, figures.expected, figures.numerator, figures.denominator] = [figures.numerator, figures.denominator, null, null];
  }
  for (const field of ['numerator', 'observed'] as const) {
    if (figures[field] !== null && figures[field]! < 0) problem(field, figures[field], `the ${field} count is negative`);
  }
  if (figures.denominator !== null && figures.denominator <= 0) problem('denominator', figures.denominator, 'the denominator must be greater than zero');
  // A mean may give its number of cases as the denominator alone.
  if (kind !== 'mean' && (figures.numerator === null) !== (figures.denominator === null)) {
    const missing = figures.numerator === null ? 'numerator' : 'denominator';
    problem(missing, '', `the ${missing} is missing while the ${missing === 'numerator' ? 'denominator' : 'numerator'} is given`);
  }
  if ((figures.observed === null) !== (figures.expected === null)) {
    const missing = figures.observed === null ? 'observed' : 'expected';
    problem(missing, '', `the ${missing} count is missing while the ${missing === 'observed' ? 'expected' : 'observed'} is given`);
  }
  const { lower, upper, value } = { lower: figures.valueLower, upper: figures.valueUpper, value: figures.value };
  if (lower !== null && upper !== null && lower > upper) problem('valueLower', lower, 'the lower limit is above the upper limit');
  if (value !== null && lower !== null && value < lower) problem('value', value, 'the value is below its lower limit');
  if (value !== null && upper !== null && value > upper) problem('value', value, 'the value is above its upper limit');

  switch (kind) {
    case 'proportion':
    case 'crude_rate':
      if (figures.numerator === null && figures.value === null) problem('numerator', '', `a ${kind === 'proportion' ? 'proportion' : 'rate'} needs a numerator and denominator, or a value`);
      if (kind === 'proportion' && figures.numerator !== null && figures.denominator !== null && figures.numerator > figures.denominator) {
        problem('numerator', figures.numerator, `the numerator is greater than the denominator (${figures.denominator}) for a proportion`);
      }
      if (kind === 'proportion' && figures.value !== null && figures.value < 0) problem('value', figures.value, 'a proportion cannot be negative');
      break;
    case 'indirectly_standardised_ratio':
      if (figures.expected !== null && figures.expected <= 0) problem('expected', figures.expected, 'the expected count must be greater than zero for a ratio');
      if (figures.observed === null && figures.value === null) problem('observed', '', 'a ratio needs observed and expected counts, or a value');
      break;
    case 'directly_standardised_rate':
    case 'mean':
      if (figures.value === null) problem('value', '', `a ${kind === 'mean' ? 'mean' : 'directly standardised rate'} needs a value`);
      if (kind === 'directly_standardised_rate' && figures.value !== null && figures.value < 0) problem('value', figures.value, 'a rate cannot be negative');
      break;
  }
}
