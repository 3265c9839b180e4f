import { check, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { userRole } from './enums';

/** A person or script account: the identity provider's subject, or a local one made by `etl user add`. */
export const users = pgTable(
  'users',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    subject: text().notNull(),
    displayName: text(),
    email: text(),
    // The OpenID Connect issuer that vouched for the subject; null for accounts made by `etl user add`.
    issuer: text(),
    role: userRole().notNull().default('viewer'),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastSignInAt: timestamp({ withTimezone: true, mode: 'date' }),
  },
  (table) => [
    unique('users_subject_key').on(table.subject),
    check('users_subject_not_blank', sql`length(trim(${table.subject})) > 0`),
  ],
);
