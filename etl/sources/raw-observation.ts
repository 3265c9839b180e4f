/** The measures an observation row can carry, in the order of the observations table. */
export const measureFields = ['numerator', 'denominator', 'observed', 'expected', 'value', 'valueLower', 'valueUpper'] as const;
export type MeasureField = (typeof measureFields)[number];

export type KeyField = 'indicator' | 'organisation' | 'period';
export type ObservationField = KeyField | MeasureField | 'organisationName';

/** One row as a source read it, before validation: text from CSV; numbers, 64-bit integers or null from Arrow and Parquet. */
export interface RawObservation {
  row: number;
  indicator: string;
  organisation: string;
  period: string;
  organisationName?: string;
  measures: Partial<Record<MeasureField, string | number | bigint | null>>;
}

/** A readable observation file: its format, which of its columns feeds each field, and its rows. */
export interface ObservationSource {
  format: 'generic-csv' | 'fingertips-csv' | 'shmi-csv' | 'arrow-ipc' | 'parquet';
  file: string;
  columns: Partial<Record<ObservationField, string>>;
  rows(): AsyncIterable<RawObservation>;
  /** Rows the format says to pass over (e.g. Fingertips' England and sub-category rows), counted after a read. */
  skippedRows(): number;
}
