import { type AnyPgColumn, check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { loadBatchStatus } from './enums';

/** Provenance of one loaded file: every observation belongs to exactly one batch. */
export const loadBatches = pgTable(
  'load_batches',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    fileName: text().notNull(),
    format: text().notNull(),
    // SHA-256 of the file's bytes, so loading the same file twice is recognised as a no-op.
    checksum: text().notNull(),
    rowCount: integer().notNull(),
    rejectedRowCount: integer().notNull().default(0),
    loadedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    loadedBy: text(),
    status: loadBatchStatus().notNull().default('loaded'),
    supersededById: integer().references((): AnyPgColumn => loadBatches.id, { onDelete: 'set null' }),
  },
  (table) => [
    check('load_batches_checksum_sha256', sql`${table.checksum} ~ '^[0-9a-f]{64}$'`),
    check('load_batches_counts_non_negative', sql`${table.rowCount} >= 0 and ${table.rejectedRowCount} >= 0`),
  ],
);
