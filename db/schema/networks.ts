import { boolean, check, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { networkKind } from './enums';

/** A clinical network (SCN, ODN, PCN, cancer network, ICB or a custom grouping) that joins providers up. */
export const networks = pgTable(
  'networks',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    code: text().notNull(),
    name: text().notNull(),
    kind: networkKind().notNull(),
    description: text(),
    // Restricted networks are visible only to their members (access control builds on this).
    restricted: boolean().notNull().default(false),
  },
  (table) => [
    unique('networks_code_key').on(table.code),
    check('networks_code_not_blank', sql`length(trim(${table.code})) > 0`),
  ],
);
