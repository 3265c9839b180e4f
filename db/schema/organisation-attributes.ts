import { check, doublePrecision, index, integer, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { loadBatches } from './load-batches';
import { organisations } from './organisations';

/** numeric attributes (size, deprivation decile, case-mix index) measure; categorical ones (type) classify. */
export const attributeKind = pgEnum('attribute_kind', ['numeric', 'categorical']);

/**
 * One organisation's attribute as one load batch gave it. Every batch's values are kept: the current value is
 * the latest loaded batch's, so rolling an attributes file back brings the earlier values back.
 */
export const organisationAttributes = pgTable(
  'organisation_attributes',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    loadBatchId: integer()
      .notNull()
      .references(() => loadBatches.id, { onDelete: 'cascade' }),
    organisationId: integer()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    attribute: text().notNull(),
    kind: attributeKind().notNull(),
    numericValue: doublePrecision(),
    category: text(),
  },
  (table) => [
    unique('organisation_attributes_batch_key').on(table.loadBatchId, table.organisationId, table.attribute),
    index('organisation_attributes_organisation_idx').on(table.organisationId, table.attribute),
    check(
      'organisation_attributes_typed_value',
      sql`(${table.kind} = 'numeric' and ${table.numericValue} is not null and ${table.category} is null) or (${table.kind} = 'categorical' and ${table.category} is not null and ${table.numericValue} is null)`,
    ),
  ],
);
