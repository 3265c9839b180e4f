import type { ColumnSpec } from './columns';
import { csvObservationSource } from './csv-source';
import type { ObservationField, ObservationSource } from './raw-observation';

// Fingertips' own column names (data export CSV); other columns of the export are ignored.
const fingertipsColumns: readonly ColumnSpec<ObservationField | 'categoryType'>[] = [
  { field: 'indicator', names: ['Indicator ID'], required: true },
  { field: 'organisation', names: ['Area Code'], required: true },
  { field: 'organisationName', names: ['Area Name'], required: false },
  { field: 'period', names: ['Time period'], required: true },
  { field: 'value', names: ['Value'], required: true },
  { field: 'valueLower', names: ['Lower CI 95.0 limit'], required: false },
  { field: 'valueUpper', names: ['Upper CI 95.0 limit'], required: false },
  { field: 'numerator', names: ['Count'], required: false },
  { field: 'denominator', names: ['Denominator'], required: false },
  { field: 'categoryType', names: ['Category Type'], required: false },
];

const englandAreaCode = 'E92000001';

export interface FingertipsOptions {
  /** Fingertips indicator ID → our indicator code; an ID not listed is used as the code itself. */
  indicatorMap?: ReadonlyMap<string, string>;
}

/**
 * A Fingertips data export. Count and Denominator become numerator and denominator (observed and expected
 * for a ratio indicator), Value and its 95 % limits the published value. The England row (the benchmark,
 * not a provider), sub-category rows (rows with a Category Type, e.g. deprivation deciles) and rows with
 * neither a value nor a count (suppressed) are passed over and counted.
 */
export function openFingertipsCsv(path: string, options: FingertipsOptions = {}): Promise<ObservationSource> {
  return csvObservationSource(path, 'fingertips-csv', fingertipsColumns as readonly ColumnSpec<ObservationField>[], { allowUnknown: true }, (record, cell) => {
    const categoryType = (cell('categoryType' as ObservationField) ?? '').trim();
    const organisation = cell('organisation') ?? '';
    if (categoryType !== '') return 'a sub-category row (Category Type given)';
    if (organisation.trim() === englandAreaCode) return `England (${englandAreaCode})`;
    // Suppressed or not-yet-published rows carry neither a value nor a count.
    if ((cell('value') ?? '').trim() === '' && (cell('numerator') ?? '').trim() === '') return 'neither a value nor a count (suppressed)';
    const indicatorId = (cell('indicator') ?? '').trim();
    return {
      row: record.row,
      indicator: options.indicatorMap?.get(indicatorId) ?? indicatorId,
      organisation,
      organisationName: cell('organisationName'),
      period: cell('period') ?? '',
      measures: {
        numerator: cell('numerator') ?? null,
        denominator: cell('denominator') ?? null,
        value: cell('value') ?? null,
        valueLower: cell('valueLower') ?? null,
        valueUpper: cell('valueUpper') ?? null,
      },
    };
  });
}
