import { type AnyPgColumn, check, date, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisationKind } from './enums';

/** Providers and the bodies above them, keyed by their ODS code (e.g. RJ1 for a trust, F84003 for a practice). */
export const organisations = pgTable(
  'organisations',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    code: text().notNull(),
    name: text().notNull(),
    kind: organisationKind().notNull(),
    parentId: integer().references((): AnyPgColumn => organisations.id, { onDelete: 'set null' }),
    openedOn: date({ mode: 'string' }),
    closedOn: date({ mode: 'string' }),
  },
  (table) => [
    unique('organisations_code_key').on(table.code),
    index('organisations_parent_idx').on(table.parentId),
    check('organisations_code_not_blank', sql`length(trim(${table.code})) > 0`),
    check(
      'organisations_opened_before_closed',
      sql`${table.closedOn} is null or ${table.openedOn} is null or ${table.closedOn} >= ${table.openedOn}`,
    ),
  ],
);
