import { normalQuantile } from '../stats';
import { measureValue, type MeasureValue } from './measure-value';
import type { IndicatorDefinition, ObservationFigures } from './types';

export interface PooledValue extends Omit<MeasureValue, 'method'> {
  method: MeasureValue['method'] | 'inverse-variance';
  providers: number;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/**
 * A group's value: the counts summed for proportions (Σx/Σn), rates (ΣO/Σn) and indirectly standardised ratios
 * (ΣO/ΣE), with the interval of a single provider of those totals; for published rates and means, the
 * inverse-variance weighted mean (standard errors from the published 95 % intervals, on the log scale for
 * directly standardised rates), the usual fixed-effect pooling when the underlying counts are not published.
 * The interval is at `confidence` (0.95 by default).
 */
export function pooledValue(indicator: Pick<IndicatorDefinition, 'measureKind' | 'multiplier'>, rows: readonly ObservationFigures[], confidence = 0.95): PooledValue {
  const kind = indicator.measureKind;
  const empty = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null };
  if (kind === 'proportion' || kind === 'crude_rate') {
    const counted = rows.filter((row) => row.numerator !== null && row.denominator !== null);
    if (counted.length > 0) return { ...measureValue(indicator, { ...empty, numerator: sumOf(counted, 'numerator'), denominator: sumOf(counted, 'denominator') }, confidence), providers: counted.length };
  }
  if (kind === 'indirectly_standardised_ratio') {
    const counted = rows.filter((row) => row.observed !== null && row.expected !== null);
    if (counted.length > 0) return { ...measureValue(indicator, { ...empty, observed: sumOf(counted, 'observed'), expected: sumOf(counted, 'expected') }, confidence), providers: counted.length };
  }
  const published = rows.filter((row) => row.value !== null && row.valueLower !== null && row.valueUpper !== null && row.valueUpper > row.valueLower);
  if (published.length === 0) {
    return { value: null, lower: null, upper: null, method: 'none', providers: 0 };
  }
  // Each published interval is a 95 % one: its width gives the standard error; the pooled interval is at `confidence`.
  const z95 = normalQuantile(0.975);
  const z = normalQuantile((1 + confidence) / 2);
  const onLog = kind === 'directly_standardised_rate' && published.every((row) => row.value! > 0 && row.valueLower! > 0);
  const forward = onLog ? Math.log : (value: number) => value;
  const back = onLog ? Math.exp : (value: number) => value;
  const weights = published.map((row) => (2 * z95) ** 2 / (forward(row.valueUpper!) - forward(row.valueLower!)) ** 2);
  const mean = sum(published.map((row, i) => weights[i] * forward(row.value!))) / sum(weights);
  const standardError = 1 / Math.sqrt(sum(weights));
  return { value: back(mean), lower: back(mean - z * standardError), upper: back(mean + z * standardError), method: 'inverse-variance', providers: published.length };
}

function sumOf(rows: readonly ObservationFigures[], field: 'numerator' | 'denominator' | 'observed' | 'expected'): number {
  return sum(rows.map((row) => row[field]!));
}
