import { check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { uploadStatus } from './enums';
import { loadBatches } from './load-batches';
import { users } from './users';

/**
 * A file an analyst uploaded in the dashboard, staged (on disk, or on PostgreSQL in upload_chunks) until it is confirmed or thrown away. The
 * preview (row problems; new, revised, unchanged and withdrawn rows per indicator and period) is kept so the
 * review page and the confirmation see the same figures; progress is written while the load runs.
 */
export const uploads = pgTable(
  'uploads',
  {
    // Random and unguessable: it appears in the review page's address.
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    fileName: text().notNull(),
    format: text().notNull(),
    byteSize: integer().notNull(),
    checksum: text().notNull(),
    storedPath: text().notNull(),
    options: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    status: uploadStatus().notNull(),
    preview: jsonb().$type<Record<string, unknown>>(),
    progressDone: integer().notNull().default(0),
    progressTotal: integer(),
    batchId: integer().references(() => loadBatches.id, { onDelete: 'set null' }),
    // The job that loads the confirmed file (api/jobs): its place in the queue and its state are read from it.
    loadJobId: text(),
    error: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
    confirmedAt: timestamp({ withTimezone: true, mode: 'date' }),
    finishedAt: timestamp({ withTimezone: true, mode: 'date' }),
  },
  (table) => [
    index('uploads_user_created_idx').on(table.userId, table.createdAt),
    check('uploads_checksum_sha256', sql`${table.checksum} ~ '^[0-9a-f]{64}$'`),
    check('uploads_sizes_non_negative', sql`${table.byteSize} >= 0 and ${table.progressDone} >= 0`),
  ],
);
