/**
 * The fields of the API's JSON answers that a board pack reads. The pack asks the routes themselves (in
 * process), so these describe their answers; nothing here is computed.
 */
import type { FunnelJson, SpcJson } from '../charts/api-chart-data';
import type { VariationCategory } from '../stats';

export interface IndicatorJson {
  code: string;
  name: string;
  unit: string;
  multiplier: number;
  measureKind: 'proportion' | 'crude_rate' | 'indirectly_standardised_ratio' | 'directly_standardised_rate' | 'mean';
  polarity: 'higher_is_better' | 'lower_is_better' | 'no_judgement';
  target: number | null;
  source: string | null;
}

export type PeriodGranularity = 'month' | 'quarter' | 'financial_year' | 'calendar_year' | 'rolling_12_months' | 'rolling_36_months' | 'other';

/** `GET /api/funnel` with a network flagged. */
export interface PackFunnelJson extends FunnelJson {
  indicator: IndicatorJson;
  method: FunnelJson['method'] & { scale: string };
  overdispersion: FunnelJson['overdispersion'] & { pValue: number; n: number; method: string };
}

/** One finding of `GET /api/variation`: a network member beyond 99.8 %. */
export interface VariationFindingJson {
  indicator: string;
  organisation: { code: string; name: string };
  period: string;
  value: number;
  adjustedZ: number;
  band: string;
  judgement: string;
  side: 'above' | 'below';
  persistence: { outside95: number; judged: number; periods: string[] };
  sentence: string;
}

export interface VariationJson {
  network: { code: string; name: string; kind: string };
  period: string | null;
  recent: number;
  // convention and adjustment are null when none was asked for and each indicator's own applied.
  method: { convention: string | null; adjustment: string | null; trimFraction: number; trimMethod: string | null; suppressionThreshold: number };
  findings: VariationFindingJson[];
  indicators: (IndicatorJson & {
    domain: string;
    period: { label: string; endDate: string; granularity: PeriodGranularity };
    findings: number;
    /** Members whose latest verdict changes with the overdispersion method. */
    methodSensitive: number;
    /** Members outside the same 95 % limit in each of the last periods the finder looks back over. */
    persistent: number;
  })[];
}

interface PooledJson {
  value: number | null;
  lower: number | null;
  upper: number | null;
  providers: number;
}

/** `GET /api/measures/network`: the network's pooled value beside all providers'. */
export interface NetworkMeasureJson {
  pooled: PooledJson;
  all: PooledJson;
}

/** `GET /api/trends/network-spc`: the network's pooled value as an SPC chart. */
export interface NetworkSpcJson extends Omit<SpcJson, 'organisation'> {
  network: { code: string; name: string };
  points: (SpcJson['points'][number] & { providers: number })[];
}

/** What a provider's own SPC chart (`GET /api/trends/spc`) says at its latest point. */
export interface ProviderSpcSummary {
  organisation: { code: string; name: string };
  variation: VariationCategory;
}

export interface ProvenanceJson {
  loadedAt: string | null;
  batches: { id: number; fileName: string; format: string; checksum: string; loadedAt: string; status: string; observations: number }[];
}

/** The API's error body. */
export interface ApiErrorJson {
  error: { code: string; message: string; parameter?: string };
}
