import type { ColumnSpec } from './columns';
import { csvObservationSource } from './csv-source';
import { measureFields, type ObservationField, type ObservationSource } from './raw-observation';

/**
 * The documented generic long format, one row per indicator, organisation and period:
 * indicator_code, organisation_code, period, then numerator and denominator (proportions, crude rates), or
 * observed and expected (indirectly standardised ratios), or value with value_lower and value_upper
 * (published rates and means). Unknown columns are refused, so a misspelt column cannot be silently ignored.
 */
export const genericColumns: readonly ColumnSpec<ObservationField>[] = [
  { field: 'indicator', names: ['indicator_code'], required: true },
  { field: 'organisation', names: ['organisation_code'], required: true },
  { field: 'period', names: ['period'], required: true },
  { field: 'numerator', names: ['numerator'], required: false },
  { field: 'denominator', names: ['denominator'], required: false },
  { field: 'observed', names: ['observed'], required: false },
  { field: 'expected', names: ['expected'], required: false },
  { field: 'value', names: ['value'], required: false },
  { field: 'valueLower', names: ['value_lower'], required: false },
  { field: 'valueUpper', names: ['value_upper'], required: false },
];

export function openGenericCsv(path: string): Promise<ObservationSource> {
  return csvObservationSource(path, 'generic-csv', genericColumns, { allowUnknown: false }, (record, cell) => ({
    row: record.row,
    indicator: cell('indicator') ?? '',
    organisation: cell('organisation') ?? '',
    period: cell('period') ?? '',
    measures: Object.fromEntries(measureFields.map((field) => [field, cell(field) ?? null])),
  }));
}
