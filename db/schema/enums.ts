import { pgEnum } from 'drizzle-orm/pg-core';

export const organisationKind = pgEnum('organisation_kind', ['trust', 'site', 'gp_practice', 'icb', 'region', 'other']);

export const networkKind = pgEnum('network_kind', [
  'strategic_clinical_network',
  'operational_delivery_network',
  'primary_care_network',
  'cancer_network',
  'icb',
  'custom',
]);

/** How an indicator's value is formed, which decides its interval and funnel limits. */
export const measureKind = pgEnum('measure_kind', [
  'proportion',
  'crude_rate',
  'indirectly_standardised_ratio',
  'directly_standardised_rate',
  'mean',
]);

export const polarity = pgEnum('polarity', ['higher_is_better', 'lower_is_better', 'no_judgement']);

export const periodGranularity = pgEnum('period_granularity', [
  'month',
  'quarter',
  'financial_year',
  'calendar_year',
  'rolling_12_months',
  'rolling_36_months',
  'other',
]);

export const loadBatchStatus = pgEnum('load_batch_status', ['loaded', 'superseded', 'rolled_back']);

/** viewer reads, analyst also loads and rolls back, admin also manages tokens and reads the audit. */
export const userRole = pgEnum('user_role', ['viewer', 'analyst', 'admin']);

export const auditOutcome = pgEnum('audit_outcome', ['success', 'failure']);

/** An uploaded file's way from staging to a load: checked, then loaded or refused, or thrown away unloaded. */
export const uploadStatus = pgEnum('upload_status', ['validated', 'rejected', 'loading', 'loaded', 'failed', 'discarded']);
