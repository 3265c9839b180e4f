import { bigint, index, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { loadBatches } from './load-batches';
import { observationColumns } from './observation-columns';

/**
 * Observations replaced by a revised file, kept so that rolling the revision back restores them exactly.
 * loadBatchId is the batch the row came from; supersededByBatchId the batch that replaced it.
 */
export const observationRevisions = pgTable(
  'observation_revisions',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    ...observationColumns(),
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
