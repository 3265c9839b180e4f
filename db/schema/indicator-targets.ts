import { check, date, doublePrecision, index, integer, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { indicators } from './indicators';
import { networks } from './networks';

/**
 * An interim operational standard (a planning year's), the constitutional one it moves toward, or a local
 * ambition a network or ICB sets itself.
 */
export const targetKind = pgEnum('target_kind', ['operational', 'constitutional', 'local_ambition']);

/** A published standard of an indicator over a date range, on the display scale (75 for 75 %); national unless it names a network. */
export const indicatorTargets = pgTable(
  'indicator_targets',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    indicatorId: integer()
      .notNull()
      .references(() => indicators.id, { onDelete: 'cascade' }),
    kind: targetKind().notNull(),
    // A local ambition's network, shown when that network is asked for; null for a national standard.
    networkId: integer().references(() => networks.id, { onDelete: 'cascade' }),
    validFrom: date({ mode: 'string' }).notNull(),
    // Exclusive; null while in force.
    validTo: date({ mode: 'string' }),
    value: doublePrecision().notNull(),
    source: text().notNull(),
    note: text(),
  },
  (table) => [
    unique('indicator_targets_key').on(table.indicatorId, table.kind, table.validFrom, table.networkId).nullsNotDistinct(),
    index('indicator_targets_indicator_idx').on(table.indicatorId),
    check('indicator_targets_range', sql`${table.validTo} is null or ${table.validTo} > ${table.validFrom}`),
  ],
);
