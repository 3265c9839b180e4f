import type { ColumnSpec } from './columns';
import { csvObservationSource } from './csv-source';
import type { ObservationField, ObservationSource } from './raw-observation';

export const shmiColumns: readonly ColumnSpec<ObservationField>[] = [
  { field: 'organisation', names: ['provider_code', 'Provider code', 'PROVIDER CODE', 'Trust code', 'ORG_CODE'], required: true },
  { field: 'organisationName', names: ['provider_name', 'Provider name', 'Trust name'], required: false },
  { field: 'observed', names: ['observed', 'Observed deaths', 'OBSERVED'], required: true },
  { field: 'expected', names: ['expected', 'Expected deaths', 'EXPECTED'], required: true },
  { field: 'period', names: ['data_period', 'period', 'Time period', 'REPORTING_PERIOD'], required: false },
];

export interface ShmiOptions {
  /** Our indicator code for the file's ratios. */
  indicator: string;
  /** The period, when the file has no period column (NHS Digital publishes one file per period). */
  period?: string;
}

/**
 * A SHMI-style trust file: provider, observed deaths, expected deaths and, when the file has one, the
 * period (otherwise given with the load). Columns are matched by the names NHS Digital and this project use.
 */
export async function openShmiCsv(path: string, options: ShmiOptions): Promise<ObservationSource> {
  return csvObservationSource(path, 'shmi-csv', shmiColumns, { allowUnknown: true }, (record, cell) => ({
    row: record.row,
    indicator: options.indicator,
    organisation: cell('organisation') ?? '',
    organisationName: cell('organisationName'),
    period: cell('period') ?? options.period ?? '',
    measures: { observed: cell('observed') ?? null, expected: cell('expected') ?? null },
  }));
}
