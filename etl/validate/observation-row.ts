import { periodProblem } from '../periods/parse-period';
import type { LoadProblem } from '../problems';
import { measureFields, type MeasureField, type ObservationField, type RawObservation } from '../sources/raw-observation';

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
  /** The source publishes half counts (cancer waiting times' shared treatments): a count may end in .5. */
  halfCounts?: boolean;
}

/** A plain decimal: digits, an optional point and fraction, an optional leading minus; no exponent, no separators. */
const plainDecimal = /^-?\d+(\.\d+)?$/;
/** A count: digits only (a minus is read so the row can be refused as negative, with that reason). */
const plainCount = /^-?\d+$/;
/** A count where the publisher halves shared cases: digits, optionally ".5". */
const halfCount = /^-?\d+(\.5)?$/;
const exponentForm = /^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;
// C0 controls other than tab, LF and CR, and DEL: no code, period or figure holds one, and PostgreSQL refuses NUL.
const controlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const largestCount = `${Number.MAX_SAFE_INTEGER.toLocaleString('en-GB')}, the largest count the loader keeps exactly`;

type RawMeasure = RawObservation['measures'][MeasureField];
/** The fields that hold whole counts: a crude rate's denominator is person-time (bed-days, person-years), which may be fractional. */
const isCountField = (field: MeasureField, measureKind: string | undefined) =>
  field === 'numerator' || field === 'observed' || (field === 'denominator' && measureKind !== 'crude_rate');
const isBlank = (value: RawMeasure) => value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/** A cell's control character as its escape, for the reason: \u0000. */
export function controlCharacterIn(value: string): string | undefined {
  const match = controlCharacter.exec(value);
  return match ? `\\u${match[0].charCodeAt(0).toString(16).padStart(4, '0')}` : undefined;
}

/** A figure as a number, or the reason it is not one of the documented forms. */
function readFigure(value: Exclude<RawMeasure, null | undefined>): number | { reason: string } {
  if (typeof value === 'bigint') {
    return value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER) ? { reason: `the integer is larger than ${largestCount}` } : Number(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : { reason: 'not a finite number' };
  const text = value.trim();
  // The documented form first: it is nearly every cell, and the reasons below are only for the rest.
  if (plainDecimal.test(text)) {
    const number = Number(text);
    return Number.isFinite(number) ? number : { reason: 'not a finite number' };
  }
  const escape = controlCharacterIn(text);
  if (escape) return { reason: `contains the control character ${escape}` };
  if (exponentForm.test(text)) return { reason: 'not a plain number: write it without an exponent (e.g. 1000, not 1e3)' };
  return { reason: 'not a number (write plain digits, with no thousands separators or symbols)' };
}

/** Why a figure read as a number is not a count, if it is not: counts are whole and within exact range. */
function countProblem(value: Exclude<RawMeasure, null | undefined>, number: number, halves: boolean): string | undefined {
  if (halves) {
    const half = typeof value === 'string' ? halfCount.test(value.trim()) : Number.isInteger(number * 2);
    if (!half) return 'a count must be a whole number or a half (digits, optionally .5: a treatment shared by two providers counts half to each)';
  } else if (!(typeof value === 'string' ? plainCount.test(value.trim()) : Number.isInteger(number))) return 'a count must be a whole number (digits only)';
  if (Math.abs(number) > Number.MAX_SAFE_INTEGER) return `the count is larger than ${largestCount}`;
  return undefined;
}

export function validateObservation(raw: RawObservation, context: ValidationContext): { observation: ValidObservation } | { problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const problem = (field: ObservationField, value: unknown, reason: string) =>
    problems.push({ file: context.file, row: raw.row, column: context.columns[field] ?? field, value: value === null || value === undefined ? '' : String(value), reason });

  if (controlCharacter.test(raw.indicator + raw.organisation + raw.period + (raw.organisationName ?? ''))) {
    for (const field of ['indicator', 'organisation', 'period', 'organisationName'] as const) {
      const escape = controlCharacterIn(raw[field] ?? '');
      if (escape) problem(field, raw[field], `contains the control character ${escape}`);
    }
    return { problems };
  }

  const indicatorCode = raw.indicator.trim();
  const organisationCode = raw.organisation.trim();
  const periodLabel = raw.period.trim().replace(/\s+/g, ' ');
  const indicator = context.indicators.get(indicatorCode);
  if (indicatorCode === '') problem('indicator', raw.indicator, 'the indicator code is empty');
  else if (!indicator) problem('indicator', raw.indicator, 'unknown indicator; load its definition with `etl indicators` first');
  else if (raw.computedKind && raw.computedKind !== indicator.measureKind) {
    problem('indicator', raw.indicator, `the indicator's measure kind is ${indicator.measureKind.replaceAll('_', ' ')}, but the file's columns give ${raw.computedKind.replaceAll('_', ' ')}`);
  }
  if (organisationCode === '') problem('organisation', raw.organisation, 'the organisation code is empty');
  else if (!context.createMissingOrganisations && !context.isKnownOrganisation(organisationCode)) {
    problem('organisation', raw.organisation, 'unknown organisation; load it with `etl organisations` or pass --create-missing');
  }
  if (periodLabel === '') problem('period', raw.period, 'the period is empty');
  else if (!context.isValidPeriod(periodLabel)) {
    problem('period', raw.period, periodProblem(periodLabel));
  }

  // A ratio given as a count and its expected value in numerator/denominator columns (as Fingertips does):
  // moved before reading, since the expected value is a decimal where a denominator is a count.
  const moved = indicator?.measureKind === 'indirectly_standardised_ratio' && isBlank(raw.measures.observed) && isBlank(raw.measures.expected);
  const raws = moved ? { ...raw.measures, observed: raw.measures.numerator, expected: raw.measures.denominator, numerator: null, denominator: null } : raw.measures;
  const columnOf = (field: MeasureField): MeasureField => (moved && field === 'observed' ? 'numerator' : moved && field === 'expected' ? 'denominator' : field);
  const figures = {} as Record<MeasureField, number | null>;
  for (const field of measureFields) {
    const value = raws[field];
    figures[field] = null;
    if (value === null || value === undefined || isBlank(value)) continue;
    const number = readFigure(value);
    if (typeof number !== 'number') problem(columnOf(field), value, number.reason);
    else {
      const notCount = isCountField(field, indicator?.measureKind) ? countProblem(value, number, context.halfCounts ?? false) : undefined;
      if (notCount) problem(columnOf(field), value, notCount);
      else figures[field] = number;
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
