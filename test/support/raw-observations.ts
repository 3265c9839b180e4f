import { and, asc, eq, type SQL } from 'drizzle-orm';
import { schema, type Database } from '../../db';

const { observations, indicators, periods, organisations } = schema;

/**
 * An indicator's observations straight from the tables, oldest period first, optionally for one period or one
 * organisation: what the API tests recompute their expected numbers from, independently of the API's queries.
 */
export function rawObservations(db: Database, indicatorCode: string, where: { period?: string; organisation?: string } = {}) {
  const conditions: SQL[] = [eq(indicators.code, indicatorCode)];
  if (where.period !== undefined) conditions.push(eq(periods.label, where.period));
  if (where.organisation !== undefined) conditions.push(eq(organisations.code, where.organisation));
  return db
    .select({
      code: organisations.code,
      name: organisations.name,
      period: periods.label,
      startDate: periods.startDate,
      endDate: periods.endDate,
      numerator: observations.numerator,
      denominator: observations.denominator,
      observed: observations.observed,
      expected: observations.expected,
      value: observations.value,
    })
    .from(observations)
    .innerJoin(indicators, eq(indicators.id, observations.indicatorId))
    .innerJoin(periods, eq(periods.id, observations.periodId))
    .innerJoin(organisations, eq(organisations.id, observations.organisationId))
    .where(and(...conditions))
    .orderBy(asc(periods.startDate), asc(organisations.code));
}

export const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** A response body has no stack trace: no "at file.ts:line" frame and no error class name. */
export const stackTracePattern = /at .*\.(ts|js):\d+|StatsInputError|TypeError|ReferenceError/;
