import { customType, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { uploads } from './uploads';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * A staged upload's bytes on PostgreSQL, in pieces of at most a MiB in order, so that whichever replica the
 * confirmation reaches and whichever worker runs the load can read the file the preview read
 * (api/routes/uploads/staged-files.ts). They go with the file's load, discard or expiry.
 */
export const uploadChunks = pgTable(
  'upload_chunks',
  {
    uploadId: text()
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    bytes: bytea().notNull(),
  },
  (table) => [primaryKey({ name: 'upload_chunks_pkey', columns: [table.uploadId, table.seq] })],
);
