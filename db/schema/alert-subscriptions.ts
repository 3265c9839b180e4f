import { boolean, check, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './users';

/**
 * A user's interest in a network, an indicator or a provider (by code): after each load the user gets one
 * digest of the changes that concern any of their subscriptions, in the inbox always, by e-mail when asked,
 * and each subscription with a webhook gets the part that concerns it, signed with its own secret.
 */
export const alertSubscriptions = pgTable(
  'alert_subscriptions',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer().notNull().references(() => users.id, { onDelete: 'cascade' }),
    // 'network', 'indicator' or 'provider'
    scope: text().notNull(),
    code: text().notNull(),
    email: boolean().notNull().default(false),
    webhookUrl: text(),
    /** The HMAC-SHA256 key of the webhook's signature; shown once, when the subscription is made. */
    webhookSecret: text(),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    check('alert_subscriptions_scope', sql`${table.scope} in ('network', 'indicator', 'provider')`),
    check('alert_subscriptions_webhook_secret', sql`(${table.webhookUrl} is null) = (${table.webhookSecret} is null)`),
    unique('alert_subscriptions_user_scope_code_key').on(table.userId, table.scope, table.code),
    index('alert_subscriptions_user_idx').on(table.userId),
  ],
);
