import { schema, type Database } from '../../db';
import type { IndicatorRef } from '../validate/observation-row';

/** Code → id maps of the reference tables, read once per load (they are small next to the observations). */
export async function readLookups(db: Database) {
  const [indicatorRows, organisationRows, periodRows] = await Promise.all([
    db.select({ id: schema.indicators.id, code: schema.indicators.code, measureKind: schema.indicators.measureKind }).from(schema.indicators),
    db.select({ id: schema.organisations.id, code: schema.organisations.code }).from(schema.organisations),
    db.select({ id: schema.periods.id, label: schema.periods.label }).from(schema.periods),
  ]);
  return {
    indicators: new Map<string, IndicatorRef>(indicatorRows.map((row) => [row.code, { id: row.id, measureKind: row.measureKind }])),
    organisations: new Map(organisationRows.map((row) => [row.code, row.id])),
    periods: new Map(periodRows.map((row) => [row.label, row.id])),
  };
}

export type Lookups = Awaited<ReturnType<typeof readLookups>>;
