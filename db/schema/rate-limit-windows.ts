import { bigint, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * Requests counted per key (a client address, a user) and fixed window, in the database so that every replica
 * behind a load balancer counts the same requests (api/rate-limit.ts). Windows older than the previous one are
 * deleted as new ones open.
 */
export const rateLimitWindows = pgTable(
  'rate_limit_windows',
  {
    key: text().notNull(),
    // Milliseconds since the epoch at which the window opened.
    windowStart: bigint({ mode: 'number' }).notNull(),
    count: integer().notNull(),
  },
  (table) => [primaryKey({ name: 'rate_limit_windows_pkey', columns: [table.key, table.windowStart] })],
);
