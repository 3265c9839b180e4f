import { check, date, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { periodGranularity } from './enums';

/** A reporting period; start and end are inclusive dates (e.g. 2024-04-01 to 2024-06-30 for 2024/25 Q1). */
export const periods = pgTable(
  'periods',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    label: text().notNull(),
    startDate: date({ mode: 'string' }).notNull(),
    endDate: date({ mode: 'string' }).notNull(),
    granularity: periodGranularity().notNull(),
  },
  (table) => [
    unique('periods_label_key').on(table.label),
    index('periods_start_idx').on(table.startDate),
    check('periods_start_before_end', sql`${table.endDate} >= ${table.startDate}`),
  ],
);
