/** The indicator fields the analysis needs, as stored (snake_case enum values from the schema). */
export interface IndicatorDefinition {
  code: string;
  name: string;
  measureKind: 'proportion' | 'crude_rate' | 'indirectly_standardised_ratio' | 'directly_standardised_rate' | 'mean';
  polarity: 'higher_is_better' | 'lower_is_better' | 'no_judgement';
  multiplier: number;
  unit: string;
  target: number | null;
}

/** One organisation's stored figures for one indicator and period. */
export interface ObservationFigures {
  numerator: number | null;
  denominator: number | null;
  observed: number | null;
  expected: number | null;
  value: number | null;
  valueLower: number | null;
  valueUpper: number | null;
}

export interface ProviderObservation extends ObservationFigures {
  organisationCode: string;
  organisationName: string;
  /** Withheld by disclosure control (api/queries/disclosure.queries.ts): its figures are all null. */
  suppressed: boolean;
}
