import { check, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './users';

/**
 * A scoped, expiring bearer token for scripts. Only the SHA-256 of the token is stored, so a copy of the
 * database yields no usable token; the prefix lets its owner tell tokens apart.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text(),
    tokenHash: text().notNull(),
    prefix: text().notNull(),
    scopes: text().array().notNull(),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp({ withTimezone: true, mode: 'date' }),
    lastUsedAt: timestamp({ withTimezone: true, mode: 'date' }),
  },
  (table) => [
    unique('api_tokens_token_hash_key').on(table.tokenHash),
    index('api_tokens_user_idx').on(table.userId),
    check('api_tokens_token_hash_sha256', sql`${table.tokenHash} ~ '^[0-9a-f]{64}$'`),
    check('api_tokens_scopes_known', sql`${table.scopes} <@ array['read', 'write']::text[] and cardinality(${table.scopes}) > 0`),
  ],
);
