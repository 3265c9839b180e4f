import { check, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './users';

/**
 * A signed-in browser. The cookie holds a random secret and only its SHA-256 is stored, as for API tokens,
 * so a copy of the database signs nobody in. Signing out deletes the row.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    tokenHash: text().notNull(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    unique('sessions_token_hash_key').on(table.tokenHash),
    index('sessions_user_idx').on(table.userId),
    check('sessions_token_hash_sha256', sql`${table.tokenHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * An OpenID Connect sign-in under way: the PKCE verifier and nonce kept server-side between the redirect to
 * the identity provider and its callback, found by the SHA-256 of the state, used once and short-lived.
 */
export const signInRequests = pgTable(
  'sign_in_requests',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    stateHash: text().notNull(),
    codeVerifier: text().notNull(),
    nonce: text().notNull(),
    returnTo: text().notNull().default('/'),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    unique('sign_in_requests_state_hash_key').on(table.stateHash),
    check('sign_in_requests_state_hash_sha256', sql`${table.stateHash} ~ '^[0-9a-f]{64}$'`),
  ],
);
