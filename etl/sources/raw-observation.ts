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
  /** The measure kind the reader computed (age bands: a DSR or a ratio), which the indicator must have. */
  computedKind?: 'directly_standardised_rate' | 'indirectly_standardised_ratio';
}

/** Rows a reader passed over, by reason, for a load summary. */
export const passedOverRows = (source: ObservationSource) => [...(source.passedOver?.() ?? new Map<string, number>())].map(([reason, rows]) => ({ reason, rows }));

/** A readable observation file: its format, which of its columns feeds each field, and its rows. */
export interface ObservationSource {
  format: 'generic-csv' | 'fingertips-csv' | 'shmi-csv' | 'cwt-csv' | 'ae-csv' | 'age-bands-csv' | 'arrow-ipc' | 'parquet';
  file: string;
  columns: Partial<Record<ObservationField, string>>;
  rows(): AsyncIterable<RawObservation>;
  /** Rows the format says to pass over (e.g. Fingertips' England and sub-category rows), counted after a read. */
  skippedRows(): number;
  /** The same rows by why they were passed over, counted after a read (readers that pass nothing over leave it out). */
  passedOver?(): ReadonlyMap<string, number>;
  /** What the reader kept and where it found the period, stated in the load summary. */
  filters?: readonly string[];
  /** Counts may end in .5: NHS England's cancer waiting times count a treatment shared by two providers as half to each. */
  halfCounts?: boolean;
}
