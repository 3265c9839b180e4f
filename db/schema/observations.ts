import { bigint, check, index, pgTable, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { observationColumns } from './observation-columns';

/**
 * One organisation's figures for one indicator and period. Which columns are filled depends on the
 * indicator's measure kind: numerator/denominator (proportions, rates), observed/expected (indirectly
 * standardised ratios), or value with its published interval (means, directly standardised rates).
 */
export const observations = pgTable(
  'observations',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    ...observationColumns(),
  },
  (table) => [
    unique('observations_indicator_organisation_period_key').on(table.indicatorId, table.organisationId, table.periodId),
    index('observations_indicator_period_idx').on(table.indicatorId, table.periodId),
    index('observations_organisation_idx').on(table.organisationId),
    index('observations_load_batch_idx').on(table.loadBatchId),
    check('observations_numerator_non_negative', sql`${table.numerator} is null or ${table.numerator} >= 0`),
    check('observations_denominator_positive', sql`${table.denominator} is null or ${table.denominator} > 0`),
    check('observations_observed_non_negative', sql`${table.observed} is null or ${table.observed} >= 0`),
    check('observations_expected_positive', sql`${table.expected} is null or ${table.expected} > 0`),
    check(
      'observations_has_a_measure',
      sql`(${table.numerator} is not null and ${table.denominator} is not null)
        or (${table.observed} is not null and ${table.expected} is not null)
        or ${table.value} is not null`,
    ),
  ],
);
