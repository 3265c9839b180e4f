import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { auditOutcome } from './enums';

/**
 * Who did what and when: sign-ins, tokens, loads, rollbacks and setting changes. The actor is kept as text
 * (a user's subject, an OS user for the ETL, or 'local') so the record outlives the user row.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actor: text().notNull(),
    userId: integer(),
    action: text().notNull(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    outcome: auditOutcome().notNull().default('success'),
  },
  (table) => [
    index('audit_events_occurred_at_idx').on(table.occurredAt),
    index('audit_events_action_occurred_at_idx').on(table.action, table.occurredAt),
  ],
);
