import { boolean, check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { changeEvents } from './change-events';
import { indicators } from './indicators';
import { organisations } from './organisations';
import { periods } from './periods';

/**
 * One provider's verdict that a load or rollback changed, on an indicator in a period: its funnel band
 * (within, above-95, below-99.8, …) and judgement at 99.8 % before and after, null when it was not judged
 * (no figures, or withheld by disclosure control). `change` is entered, left or band_changed (the outlier
 * bands), or persistent_new / persistent_ended (outside the same 95 % limit in each of the last 4 periods).
 */
export const verdictChanges = pgTable(
  'verdict_changes',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer().notNull().references(() => changeEvents.id, { onDelete: 'cascade' }),
    indicatorId: integer().notNull().references(() => indicators.id),
    periodId: integer().notNull().references(() => periods.id),
    organisationId: integer().notNull().references(() => organisations.id),
    change: text().notNull(),
    beforeBand: text(),
    beforeJudgement: text(),
    afterBand: text(),
    afterJudgement: text(),
    /** The figures of that period were revised (rather than a new period compared with the one before). */
    revision: boolean().notNull(),
    /** The judgement at 99.8 % differs (as expected ↔ worse, better, higher or lower). */
    verdictFlipped: boolean().notNull(),
  },
  (table) => [
    check('verdict_changes_change', sql`${table.change} in ('entered', 'left', 'band_changed', 'persistent_new', 'persistent_ended')`),
    index('verdict_changes_event_idx').on(table.eventId),
  ],
);
