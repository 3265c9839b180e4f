import type { measureKind, networkKind, organisationKind, periodGranularity, polarity } from '../../db/schema/enums';

/**
 * The rows of the demo files. Keys are exactly the CSV columns (snake_case, in file order), so a row is written
 * as it is and a loader reading the CSV sees the same names; null becomes an empty field.
 */

export type OrganisationKind = (typeof organisationKind.enumValues)[number];
export type NetworkKind = (typeof networkKind.enumValues)[number];
export type MeasureKind = (typeof measureKind.enumValues)[number];
export type Polarity = (typeof polarity.enumValues)[number];
export type PeriodGranularity = (typeof periodGranularity.enumValues)[number];

export interface OrganisationRow {
  code: string;
  name: string;
  kind: OrganisationKind;
  parent_code: string | null;
  opened_on: string | null;
  closed_on: string | null;
}

export interface NetworkRow {
  code: string;
  name: string;
  kind: NetworkKind;
  description: string;
  restricted: boolean;
}

/** valid_to is exclusive and null while the membership is current. */
export interface MembershipRow {
  network_code: string;
  organisation_code: string;
  valid_from: string;
  valid_to: string | null;
}

export interface IndicatorRow {
  code: string;
  name: string;
  domain: string;
  measure_kind: MeasureKind;
  polarity: Polarity;
  multiplier: number;
  unit: string;
  definition: string;
  source: string;
  target: number | null;
}

/** start_date and end_date are inclusive. */
export interface PeriodRow {
  label: string;
  start_date: string;
  end_date: string;
  granularity: PeriodGranularity;
}

export interface ObservationRow {
  indicator_code: string;
  organisation_code: string;
  period: string;
  numerator: number | null;
  denominator: number | null;
  observed: number | null;
  expected: number | null;
  value: number | null;
  value_lower: number | null;
  value_upper: number | null;
}

export const organisationColumns = ['code', 'name', 'kind', 'parent_code', 'opened_on', 'closed_on'] as const satisfies readonly (keyof OrganisationRow)[];
export const networkColumns = ['code', 'name', 'kind', 'description', 'restricted'] as const satisfies readonly (keyof NetworkRow)[];
export const membershipColumns = ['network_code', 'organisation_code', 'valid_from', 'valid_to'] as const satisfies readonly (keyof MembershipRow)[];
export const indicatorColumns = [
  'code', 'name', 'domain', 'measure_kind', 'polarity', 'multiplier', 'unit', 'definition', 'source', 'target',
] as const satisfies readonly (keyof IndicatorRow)[];
export const periodColumns = ['label', 'start_date', 'end_date', 'granularity'] as const satisfies readonly (keyof PeriodRow)[];
export const observationColumns = [
  'indicator_code', 'organisation_code', 'period', 'numerator', 'denominator', 'observed', 'expected', 'value', 'value_lower', 'value_upper',
] as const satisfies readonly (keyof ObservationRow)[];
