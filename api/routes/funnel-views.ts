import { z } from 'zod';
import type { IndicatorFunnelOptions } from '../analysis/indicator-funnel';
import { targetInForce, type TargetInForce } from '../analysis/target-in-force';
import type { IndicatorRecord, PeriodRecord } from '../queries/catalogue.queries';
import type { FunnelConvention } from '../stats';
import { funnelMethod, suppression, suppressionReason } from './parameters';

// Shared by the funnel route and the views built on funnels (trends, overview, profile, variation): method parameters and summaries.

/** The funnel method and suppression parameters of every view built on funnels, as the funnel route takes them. */
export const funnelMethodQuery = { ...funnelMethod, suppression, suppressionReason };

const funnelMethodSchema = z.object(funnelMethod);
type FunnelMethodQuery = z.infer<typeof funnelMethodSchema>;

/** Why a funnel used its convention: asked for, the indicator's own default, or Spiegelhalter's for an indicator without one. */
export type ConventionSource = 'requested' | 'indicator_default' | 'product_default';

export interface ResolvedFunnelOptions extends IndicatorFunnelOptions {
  conventionSource: ConventionSource;
}

const defaultAdjustment = (convention: FunnelConvention) => (convention === 'spiegelhalter' ? 'multiplicative' : 'additive');

/**
 * The options of `indicatorFunnel` for one indicator: the convention asked for, else the indicator's own default
 * (its publisher's), else Spiegelhalter's; the adjustment that convention takes unless one is asked for
 * (multiplicative φ for Spiegelhalter, additive τ² for CQC and SHMI); the benchmark is the pooled value (1 for ratios).
 */
export function funnelOptions(query: FunnelMethodQuery, indicator: { defaultConvention: FunnelConvention | null }): ResolvedFunnelOptions {
  const convention = query.convention ?? indicator.defaultConvention ?? 'spiegelhalter';
  return {
    convention,
    conventionSource: query.convention ? 'requested' : indicator.defaultConvention ? 'indicator_default' : 'product_default',
    adjustment: query.adjustment ?? defaultAdjustment(convention),
    trimFraction: query.trim,
    trimMethod: query.trimMethod,
  };
}

/** The method an answer about one indicator names: the convention that applied and why, defaults filled in, and the threshold. */
export function methodSummary(options: ResolvedFunnelOptions, suppressionThreshold: number) {
  return {
    convention: options.convention,
    conventionSource: options.conventionSource,
    adjustment: options.adjustment,
    trimFraction: options.trimFraction,
    trimMethod: options.trimMethod ?? null,
    suppressionThreshold,
    limits: [95, 99.8],
    judgementLimit: 99.8,
  };
}

/**
 * The method of a view spanning indicators: the convention asked for, or null with `per_indicator` when each
 * indicator's own applies (each indicator then names its own, `conventionSummary`).
 */
export function viewMethodSummary(query: FunnelMethodQuery, suppressionThreshold: number) {
  const convention = query.convention ?? null;
  return {
    convention,
    conventionSource: convention ? ('requested' as const) : ('per_indicator' as const),
    adjustment: query.adjustment ?? (convention ? defaultAdjustment(convention) : null),
    trimFraction: query.trim,
    trimMethod: query.trimMethod ?? null,
    suppressionThreshold,
    limits: [95, 99.8],
    judgementLimit: 99.8,
  };
}

/** One indicator's convention in a view spanning indicators. */
export const conventionSummary = (options: ResolvedFunnelOptions) => ({ convention: options.convention, conventionSource: options.conventionSource, adjustment: options.adjustment });

/**
 * The indicator as answers name it; `target` is the one in force at the period's end when it is given
 * (`periodTarget`), else the indicator's own, with where it comes from.
 */
export const indicatorSummary = (indicator: IndicatorRecord, target: TargetInForce | null = targetInForce(indicator, [], '')) => ({
  code: indicator.code,
  name: indicator.name,
  domain: indicator.domain,
  unit: indicator.unit,
  multiplier: indicator.multiplier,
  measureKind: indicator.measureKind,
  polarity: indicator.polarity,
  target: target?.value ?? null,
  targetSource: target ? { kind: target.kind, source: target.source, validFrom: target.validFrom, validTo: target.validTo } : null,
  defaultConvention: indicator.defaultConvention,
  source: indicator.source,
});

export const periodSummary = (period: PeriodRecord) => ({ label: period.label, startDate: period.startDate, endDate: period.endDate, granularity: period.granularity });
