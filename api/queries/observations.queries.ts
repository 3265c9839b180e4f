import { and, asc, eq } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import type { ProviderObservation } from '../analysis/types';

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

const figures = { organisationCode: organisations.code, organisationName: organisations.name, ...measureFigures };

/** Every provider's figures for one indicator in one period: the peer group of a funnel. */
export function periodObservations(db: Database, indicatorId: number, periodId: number): Promise<ProviderObservation[]> {
  return db
    .select(figures)
    .from(observations)
    .innerJoin(organisations, eq(organisations.id, observations.organisationId))
    .where(and(eq(observations.indicatorId, indicatorId), eq(observations.periodId, periodId)))
    .orderBy(asc(organisations.code));
}

/** One provider's figures for one indicator over time, oldest period first. */
export function organisationSeries(db: Database, indicatorId: number, organisationId: number) {
  return db
    .select({ ...figures, periodId: periods.id, period: periods.label, startDate: periods.startDate, endDate: periods.endDate })
    .from(observations)
    .innerJoin(organisations, eq(organisations.id, observations.organisationId))
    .innerJoin(periods, eq(periods.id, observations.periodId))
    .where(and(eq(observations.indicatorId, indicatorId), eq(observations.organisationId, organisationId)))
    .orderBy(asc(periods.startDate), asc(periods.endDate));
}
