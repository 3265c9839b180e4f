import { check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { loadBatches } from './load-batches';

/**
 * One load or rollback as the verdicts saw it: which batch, when, by whom, the small-number threshold the
 * verdicts were judged at and the chance context of each indicator × period it touched. Its verdict_changes
 * say what it changed; a reloaded identical file makes none (the loader refuses it before writing).
 */
export const changeEvents = pgTable(
  'change_events',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    batchId: integer().notNull().references(() => loadBatches.id, { onDelete: 'cascade' }),
    // 'load' or 'rollback' (a rollback's changes are a correction of the load's).
    kind: text().notNull(),
    occurredAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actor: text().notNull(),
    suppressionThreshold: integer().notNull(),
    /** Per indicator × period touched: results judged and beyond each limit, after the event (api/changes/verdict-snapshot.ts). */
    slices: jsonb().$type<ChangeEventSlice[]>().notNull().default([]),
  },
  (table) => [
    check('change_events_kind', sql`${table.kind} in ('load', 'rollback')`),
    index('change_events_occurred_at_idx').on(table.occurredAt),
    index('change_events_batch_idx').on(table.batchId),
  ],
);

export interface ChangeEventSlice {
  indicator: string;
  period: string;
  /** The period the verdicts were compared with: the same one when it was revised, else the indicator's latest before it. */
  comparedWith: string | null;
  /** The indicator's first figures: nothing to compare with, so no verdict was computed (judged 0). */
  baseline?: boolean;
  judged: number;
  beyond95: number;
  beyond998: number;
}
