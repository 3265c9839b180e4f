import { bigint, doublePrecision, index, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { indicators } from './indicators';
import { loadBatches } from './load-batches';
import { organisations } from './organisations';
import { periods } from './periods';

/**
 * Observations replaced by a revised file, kept so that rolling the revision back restores them exactly.
 * loadBatchId is the batch the row came from; supersededByBatchId the batch that replaced it.
 */
export const observationRevisions = pgTable(
  'observation_revisions',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    indicatorId: integer()
      .notNull()
      .references(() => indicators.id, { onDelete: 'cascade' }),
    organisationId: integer()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    periodId: integer()
      .notNull()
      .references(() => periods.id, { onDelete: 'cascade' }),
    numerator: doublePrecision(),
    denominator: doublePrecision(),
    observed: doublePrecision(),
    expected: doublePrecision(),
    value: doublePrecision(),
    valueLower: doublePrecision(),
    valueUpper: doublePrecision(),
    loadBatchId: integer()
      .notNull()
      .references(() => loadBatches.id, { onDelete: 'restrict' }),
    supersededByBatchId: integer()
      .notNull()
      .references(() => loadBatches.id, { onDelete: 'restrict' }),
    supersededAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('observation_revisions_superseded_by_idx').on(table.supersededByBatchId),
    index('observation_revisions_load_batch_idx').on(table.loadBatchId),
  ],
);
