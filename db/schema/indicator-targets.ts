import { check, date, doublePrecision, index, integer, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { indicators } from './indicators';

/** An interim operational standard (a planning year's) or the constitutional one it moves toward. */
export const targetKind = pgEnum('target_kind', ['operational', 'constitutional']);

/** A published standard of an indicator over a date range, on the display scale (75 for 75 %). */
export const indicatorTargets = pgTable(
  'indicator_targets',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    indicatorId: integer()
      .notNull()
      .references(() => indicators.id, { onDelete: 'cascade' }),
    kind: targetKind().notNull(),
    validFrom: date({ mode: 'string' }).notNull(),
    // Exclusive; null while in force.
    validTo: date({ mode: 'string' }),
    value: doublePrecision().notNull(),
    source: text().notNull(),
    note: text(),
  },
  (table) => [
    unique('indicator_targets_key').on(table.indicatorId, table.kind, table.validFrom),
    index('indicator_targets_indicator_idx').on(table.indicatorId),
    check('indicator_targets_range', sql`${table.validTo} is null or ${table.validTo} > ${table.validFrom}`),
  ],
);
