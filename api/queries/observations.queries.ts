import { and, asc, eq } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import type { Disclosed } from '../analysis/suppression';
import type { IndicatorDefinition, ProviderObservation } from '../analysis/types';
import type { PeriodRecord } from './catalogue.queries';
import { disclosedRows } from './disclosure.queries';

const { observations, organisations, periods } = schema;

/** The columns that carry a measure's figures, whatever its kind: counts, observed and expected, or a published value. */
export const measureFigures = {
  numerator: observations.numerator,
  denominator: observations.denominator,
  observed: observations.observed,
  expected: observations.expected,
  value: observations.value,
  valueLower: observations.valueLower,
  valueUpper: observations.valueUpper,
};

const figures = { organisationId: organisations.id, organisationCode: organisations.code, organisationName: organisations.name, ...measureFigures };

type StoredIndicator = Pick<IndicatorDefinition, 'measureKind'> & { id: number };

/** Every provider's figures for one indicator in one period, small numbers withheld: the peer group of a funnel. */
export async function periodObservations(
  db: Database,
  indicator: StoredIndicator,
  period: Pick<PeriodRecord, 'id' | 'startDate' | 'endDate'>,
  suppressionThreshold: number,
): Promise<Disclosed<ProviderObservation>[]> {
  const rows = await db
    .select(figures)
    .from(observations)
    .innerJoin(organisations, eq(organisations.id, observations.organisationId))
    .where(and(eq(observations.indicatorId, indicator.id), eq(observations.periodId, period.id)))
    .orderBy(asc(organisations.code));
  return disclosedRows(db, indicator, rows.map((row) => ({ ...row, startDate: period.startDate, endDate: period.endDate })), suppressionThreshold);
}

/** One provider's figures for one indicator over time, oldest period first, small numbers withheld. */
export async function organisationSeries(db: Database, indicator: StoredIndicator, organisationId: number, suppressionThreshold: number) {
  const rows = await db
    .select({ ...figures, periodId: periods.id, period: periods.label, startDate: periods.startDate, endDate: periods.endDate })
    .from(observations)
    .innerJoin(organisations, eq(organisations.id, observations.organisationId))
    .innerJoin(periods, eq(periods.id, observations.periodId))
    .where(and(eq(observations.indicatorId, indicator.id), eq(observations.organisationId, organisationId)))
    .orderBy(asc(periods.startDate), asc(periods.endDate));
  return disclosedRows(db, indicator, rows, suppressionThreshold);
}
