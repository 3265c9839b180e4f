import { z } from 'zod';
import type { IndicatorFunnelOptions } from '../analysis/indicator-funnel';
import { ApiError } from '../errors';
import { targetInForce, type TargetInForce } from '../analysis/target-in-force';
import type { IndicatorRecord, PeriodRecord } from '../queries/catalogue.queries';
import type { FunnelConvention } from '../stats';
import { funnelMethod, suppression, suppressionReason } from './parameters';

// Shared by the funnel route and the views built on funnels (trends, overview, profile, variation): method parameters and summaries.

/** The funnel method and suppression parameters of every view built on funnels, as the funnel route takes them. */
export const funnelMethodQuery = { ...funnelMethod, suppression, suppressionReason };

const funnelMethodSchema = z.object(funnelMethod);
type FunnelMethodQuery = z.infer<typeof funnelMethodSchema>;

/**
 * Why a funnel used its convention: asked for, the indicator's own default, Spiegelhalter's for an indicator
 * without one, or the indicator's own because the one asked for does not apply to its measure (a view spanning indicators).
 */
export type ConventionSource = 'requested' | 'indicator_default' | 'product_default' | 'requested_not_applicable';

type MeasureKind = IndicatorRecord['measureKind'];

const conventionNames: Record<FunnelConvention, string> = { spiegelhalter: 'Spiegelhalter', cqc: 'CQC', shmi: 'SHMI' };

/**
 * The conventions a measure can take: SHMI's log scale is for indirectly standardised ratios only (NHS Digital's
 * SHMI methodology); CQC's additive τ² needs counts; means and directly standardised rates, compared as values
 * with standard errors, take Spiegelhalter's alone.
 */
export function applicableConventions(measureKind: MeasureKind): FunnelConvention[] {
  if (measureKind === 'indirectly_standardised_ratio') return ['spiegelhalter', 'cqc', 'shmi'];
  if (measureKind === 'proportion' || measureKind === 'crude_rate') return ['spiegelhalter', 'cqc'];
  return ['spiegelhalter'];
}

interface ConventionIndicator {
  code: string;
  measureKind: MeasureKind;
  defaultConvention: FunnelConvention | null;
}

const ownConvention = (indicator: ConventionIndicator) => indicator.defaultConvention ?? 'spiegelhalter';

export interface ResolvedFunnelOptions extends IndicatorFunnelOptions {
  conventionSource: ConventionSource;
}

const defaultAdjustment = (convention: FunnelConvention) => (convention === 'spiegelhalter' ? 'multiplicative' : 'additive');

/**
 * The options of `indicatorFunnel` for one indicator in a view spanning indicators: the convention asked for where
 * it applies to the indicator's measure, else the indicator's own default (its publisher's), else Spiegelhalter's,
 * so one choice never empties the view; the adjustment that convention takes unless one is asked for
 * (multiplicative φ for Spiegelhalter, additive τ² for CQC and SHMI); the benchmark is the pooled value (1 for ratios).
 */
export function funnelOptions(query: FunnelMethodQuery, indicator: ConventionIndicator): ResolvedFunnelOptions {
  const requested = query.convention !== undefined && applicableConventions(indicator.measureKind).includes(query.convention) ? query.convention : undefined;
  const convention = requested ?? ownConvention(indicator);
  const conventionSource: ConventionSource = requested
    ? 'requested'
    : query.convention
      ? 'requested_not_applicable'
      : indicator.defaultConvention
        ? 'indicator_default'
        : 'product_default';
  return {
    convention,
    conventionSource,
    adjustment: query.adjustment ?? defaultAdjustment(convention),
    trimFraction: query.trim,
    trimMethod: query.trimMethod,
  };
}

/**
 * The options of a view of one indicator: as `funnelOptions`, but a convention that does not apply to the
 * indicator's measure is refused (422) in words a reader can act on, rather than quietly replaced.
 */
export function indicatorFunnelOptions(query: FunnelMethodQuery, indicator: ConventionIndicator): ResolvedFunnelOptions {
  const applicable = applicableConventions(indicator.measureKind);
  if (query.convention !== undefined && !applicable.includes(query.convention)) {
    const measure = indicator.measureKind.replace(/_/g, ' ');
    const choices = applicable.map((convention) => conventionNames[convention]).join(' or ');
    throw new ApiError(422, 'funnel_not_available', `The ${conventionNames[query.convention]} convention cannot be used for ${indicator.code}, which is a ${measure}. Choose ${choices}.`, 'convention');
  }
  return funnelOptions(query, indicator);
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
 * indicator's own applies (each indicator then names its own, `conventionSummary`, with
 * `requested_not_applicable` where the one asked for does not apply to its measure).
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
    ...(convention && { conventionNote: `The ${conventionNames[convention]} convention applies to the indicators whose measure it suits; the others keep their own.` }),
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
  /** The conventions its measure can take, so a menu offers no other. */
  conventions: applicableConventions(indicator.measureKind),
  source: indicator.source,
});

export const periodSummary = (period: PeriodRecord) => ({ label: period.label, startDate: period.startDate, endDate: period.endDate, granularity: period.granularity });
