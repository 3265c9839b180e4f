import { bigint, check, integer, pgTable } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * One row whose version rises, in the same transaction, with every statement that writes a table the analyses
 * read (triggers in migration 0005): a cached analysis keyed by it can never outlive the data behind it, whatever
 * path wrote the data (a load, a rollback, an admin edit, or SQL by hand), and every replica sees the same version.
 */
export const dataVersion = pgTable(
  'data_version',
  {
    id: integer().primaryKey().default(1),
    version: bigint({ mode: 'number' }).notNull().default(0),
  },
  (table) => [check('data_version_single_row', sql`${table.id} = 1`)],
);
