import { doublePrecision, integer } from 'drizzle-orm/pg-core';
import { indicators } from './indicators';
import { loadBatches } from './load-batches';
import { organisations } from './organisations';
import { periods } from './periods';

/**
 * The columns an observation and its archived revision share. A function, because drizzle needs fresh
 * column builders for each table.
 */
export const observationColumns = () => ({
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
});
