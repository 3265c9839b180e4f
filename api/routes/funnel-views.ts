import { z } from 'zod';
import type { IndicatorFunnelOptions } from '../analysis/indicator-funnel';
import type { IndicatorRecord, PeriodRecord } from '../queries/catalogue.queries';
import { funnelMethod, suppression, suppressionReason } from './parameters';

// Shared by the views built on funnels (trends, overview, profile, variation): method parameters and summaries.

/** The funnel method and suppression parameters of every view built on funnels, as the funnel route takes them. */
export const funnelMethodQuery = { ...funnelMethod, suppression, suppressionReason };

const funnelMethodSchema = z.object(funnelMethodQuery);

/**
 * The options of `indicatorFunnel` from the query, defaults as the funnel route's: multiplicative φ for the
 * Spiegelhalter convention, additive τ² for CQC and SHMI; the benchmark is the pooled value (1 for ratios).
 */
export function funnelOptions(query: z.infer<typeof funnelMethodSchema>): IndicatorFunnelOptions {
  return {
    convention: query.convention,
    adjustment: query.adjustment ?? (query.convention === 'spiegelhalter' ? 'multiplicative' : 'additive'),
    trimFraction: query.trim,
    trimMethod: query.trimMethod,
  };
}

/** The method a response names: what was asked for, defaults filled in (each funnel reports the trimming it used), and the threshold that applied. */
export function methodSummary(options: IndicatorFunnelOptions, suppressionThreshold: number) {
  return {
    convention: options.convention,
    adjustment: options.adjustment,
    trimFraction: options.trimFraction,
    trimMethod: options.trimMethod ?? null,
    suppressionThreshold,
    limits: [95, 99.8],
    judgementLimit: 99.8,
  };
}

export const indicatorSummary = (indicator: IndicatorRecord) => ({
  code: indicator.code,
  name: indicator.name,
  domain: indicator.domain,
  unit: indicator.unit,
  multiplier: indicator.multiplier,
  measureKind: indicator.measureKind,
  polarity: indicator.polarity,
  target: indicator.target,
  source: indicator.source,
});

export const periodSummary = (period: PeriodRecord) => ({ label: period.label, startDate: period.startDate, endDate: period.endDate, granularity: period.granularity });
