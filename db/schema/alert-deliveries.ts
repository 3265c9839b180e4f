import { check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { alertDigests } from './alert-digests';
import { alertSubscriptions } from './alert-subscriptions';

export interface DeliveryAttempt {
  at: string;
  ok: boolean;
  /** The webhook's HTTP status or the SMTP server's reply, when there was one. */
  status: number | null;
  error: string | null;
}

/**
 * A digest on its way out by e-mail (one per user and event) or webhook (one per subscription and event),
 * written in the load's transaction and sent after it commits (api/changes/alert-dispatcher.ts), retried with
 * exponential back-off; `attempts` is its delivery log.
 */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    digestId: integer().notNull().references(() => alertDigests.id, { onDelete: 'cascade' }),
    subscriptionId: integer().references(() => alertSubscriptions.id, { onDelete: 'set null' }),
    // 'email' or 'webhook'
    channel: text().notNull(),
    /** The e-mail address or the webhook URL when the digest was made. */
    target: text().notNull(),
    /** Exactly what is sent: the webhook's JSON body (signed as is) or the e-mail's subject and text. */
    payload: text().notNull(),
    // 'pending', 'delivered' or 'failed' (given up after the last retry)
    status: text().notNull().default('pending'),
    nextAttemptAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    attempts: jsonb().$type<DeliveryAttempt[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true, mode: 'date' }),
  },
  (table) => [
    check('alert_deliveries_channel', sql`${table.channel} in ('email', 'webhook')`),
    check('alert_deliveries_status', sql`${table.status} in ('pending', 'delivered', 'failed')`),
    index('alert_deliveries_due_idx').on(table.status, table.nextAttemptAt),
    index('alert_deliveries_digest_idx').on(table.digestId),
  ],
);
