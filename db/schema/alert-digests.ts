import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { changeEvents } from './change-events';
import { outlierCaseOverdueNotices } from './outlier-case-overdue-notices';
import { users } from './users';

/**
 * One user's digest of one load's (or rollback's) changes, or their notice of an overdue case stage: their in-app
 * inbox entry, the e-mail's and webhooks' content.
 */
export const alertDigests = pgTable(
  'alert_digests',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer().notNull().references(() => users.id, { onDelete: 'cascade' }),
    eventId: integer().references(() => changeEvents.id, { onDelete: 'cascade' }),
    overdueNoticeId: integer().references(() => outlierCaseOverdueNotices.id, { onDelete: 'cascade' }),
    /** A rollback's digest: it corrects what the load's digest said. */
    correction: boolean().notNull(),
    title: text().notNull(),
    content: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true, mode: 'date' }),
  },
  (table) => [
    unique('alert_digests_user_event_key').on(table.userId, table.eventId),
    unique('alert_digests_user_overdue_notice_key').on(table.userId, table.overdueNoticeId),
    check('alert_digests_one_source', sql`(${table.eventId} is null) <> (${table.overdueNoticeId} is null)`),
    index('alert_digests_user_idx').on(table.userId, table.createdAt),
  ],
);
