import { check, doublePrecision, integer, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { measureKind, polarity } from './enums';

/** The funnel conventions of api/stats: Spiegelhalter's (multiplicative φ), CQC's (additive τ²) and NHS Digital's SHMI. */
export const funnelConvention = pgEnum('funnel_convention', ['spiegelhalter', 'cqc', 'shmi']);

/** A quality measure: how its value is formed, which direction is better, and how it is scaled for display. */
export const indicators = pgTable(
  'indicators',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    code: text().notNull(),
    name: text().notNull(),
    domain: text().notNull(),
    measureKind: measureKind().notNull(),
    polarity: polarity().notNull(),
    multiplier: doublePrecision().notNull().default(1),
    unit: text().notNull(),
    definition: text(),
    source: text(),
    // An optional national standard (on the display scale) for SPC assurance, e.g. 95 for the 4-hour standard.
    target: doublePrecision(),
    // The publisher's funnel convention, used when a request names none; null falls back to Spiegelhalter's.
    defaultConvention: funnelConvention(),
  },
  (table) => [
    unique('indicators_code_key').on(table.code),
    check('indicators_code_not_blank', sql`length(trim(${table.code})) > 0`),
    check('indicators_multiplier_positive', sql`${table.multiplier} > 0`),
  ],
);
