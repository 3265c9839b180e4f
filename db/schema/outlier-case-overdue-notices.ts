import { date, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { outlierCases } from './outlier-cases';

/**
 * That a case's stage went past its due date and its people were told: one row per case and stage, whose unique
 * key is what stops two dispatchers (replicas on one PostgreSQL) from sending the same overdue notice twice.
 */
export const outlierCaseOverdueNotices = pgTable(
  'outlier_case_overdue_notices',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    caseId: integer()
      .notNull()
      .references(() => outlierCases.id, { onDelete: 'cascade' }),
    stage: text().notNull(),
    /** The stage's due date that passed. */
    dueOn: date({ mode: 'string' }).notNull(),
    noticedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [unique('outlier_case_overdue_notices_case_stage_key').on(table.caseId, table.stage)],
);
