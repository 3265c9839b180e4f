import {
  funnelAnalysis,
  logStandardErrorFromInterval,
  standardErrorFromInterval,
  type FunnelAnalysisResult,
  type FunnelConvention,
  type FunnelCurve,
  type FunnelOverdispersion,
  type FunnelProviderBand,
  type NormalFunnelProviderBand,
  type OverdispersionAdjustment,
  type TrimMethod,
} from '../stats';
import { measureValue } from './measure-value';
import type { IndicatorDefinition, ProviderObservation } from './types';

export interface IndicatorFunnelOptions {
  convention: FunnelConvention;
  adjustment: OverdispersionAdjustment;
  trimFraction: number;
  trimMethod?: TrimMethod;
  /** The benchmark on the display scale; default: 1 × multiplier for ratios, else the pooled value of all providers. */
  benchmark?: number;
}

export interface FunnelProvider {
  code: string;
  name: string;
  suppressed: boolean;
  /** Withheld (null) when suppressed. */
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  lower: number | null;
  upper: number | null;
  z: number | null;
  /** z after the overdispersion adjustment: (y − θ)/√(s² + τ²) additive, z/√φ multiplicative, z when none is applied. */
  adjustedZ: number | null;
  precision: number | null;
  band: string | null;
  judgement: string | null;
}

export interface IndicatorFunnel {
  measure: FunnelAnalysisResult['measure'] | 'normal';
  convention: FunnelConvention;
  scale: FunnelAnalysisResult['scale'] | 'linear';
  unadjustedLimits: FunnelAnalysisResult['unadjustedLimits'] | 'normal';
  target: number;
  overdispersion: FunnelOverdispersion;
  curves: FunnelCurve[];
  providers: FunnelProvider[];
  /** Providers reporting the indicator whose figures cannot be placed on this funnel, with the reason. */
  excluded: { code: string; name: string; reason: string }[];
}

const funnelMeasures = { proportion: 'proportion', crude_rate: 'rate', indirectly_standardised_ratio: 'ratio' } as const;


export class FunnelNotAvailableError extends Error {
  override name = 'FunnelNotAvailableError';
}

type Polarity = 'higher-is-better' | 'lower-is-better' | 'no-judgement';
const polarityOf = (indicator: IndicatorDefinition) => indicator.polarity.replace(/_/g, '-') as Polarity;

/**
 * The funnel of one indicator in one period across its peer providers (Spiegelhalter 2005): proportions on
 * the arcsine scale, rates and indirectly standardised ratios on the square-root or (SHMI) log scale; means
 * and directly standardised rates, whose counts are not published, as values with standard errors taken from
 * their published 95 % intervals (normal case; DSRs on the log scale, as Dobson's interval is skewed).
 * Overdispersion is estimated from every provider whose figures are published, around their own centre even
 * when the benchmark is a target, which moves only the centre line, the limits and the z-scores. Suppressed providers come with
 * no figures (disclosure control withholds them before any statistic), so they take no part in θ, φ, τ² or the
 * limits, which therefore cannot be differenced back to their counts; they are listed as suppressed.
 */
export function indicatorFunnel(indicator: IndicatorDefinition, rows: readonly ProviderObservation[], options: IndicatorFunnelOptions): IndicatorFunnel {
  if (indicator.measureKind === 'mean' || indicator.measureKind === 'directly_standardised_rate') return normalIndicatorFunnel(indicator, rows, options);
  const measure = funnelMeasures[indicator.measureKind];
  const ratio = measure === 'ratio';
  const usable = rows.filter((row) => (ratio ? row.observed !== null && row.expected !== null : row.numerator !== null && row.denominator !== null));
  const kept = new Set(usable);
  const excluded = rows
    .filter((row) => !kept.has(row) && !row.suppressed)
    .map((row) => ({ code: row.organisationCode, name: row.organisationName, reason: ratio ? 'no observed and expected counts' : 'no numerator and denominator' }));
  if (usable.length === 0) throw new FunnelNotAvailableError(`no provider has the counts a funnel of ${indicator.code} needs in this period`);

  const result = funnelAnalysis({
    measure,
    providers: usable.map((row) => ({ id: row.organisationCode, numerator: ratio ? row.observed! : row.numerator!, denominator: ratio ? row.expected! : row.denominator! })),
    target: options.benchmark === undefined ? undefined : options.benchmark / indicator.multiplier,
    convention: options.convention,
    adjustment: options.adjustment,
    trimFraction: options.trimFraction,
    trimMethod: options.trimMethod,
    polarity: polarityOf(indicator),
    multiplier: indicator.multiplier,
    // The API draws curves and bands; per-provider limits would cost a quantile inversion each.
    providerLimits: false,
  });
  return {
    measure: result.measure,
    convention: result.convention,
    scale: result.scale,
    unadjustedLimits: result.unadjustedLimits,
    target: result.target,
    overdispersion: result.overdispersion,
    curves: result.curves,
    providers: outputProviders(indicator, usable, rows, result),
    excluded,
  };
}

function normalIndicatorFunnel(indicator: IndicatorDefinition, rows: readonly ProviderObservation[], options: IndicatorFunnelOptions): IndicatorFunnel {
  if (options.convention !== 'spiegelhalter') {
    throw new FunnelNotAvailableError(`the ${options.convention.toUpperCase()} convention is for counts; ${indicator.code} is a ${indicator.measureKind.replace(/_/g, ' ')}, compared as a value with its standard error`);
  }
  const onLog = indicator.measureKind === 'directly_standardised_rate';
  const usable = rows.filter(
    (row) => row.value !== null && row.valueLower !== null && row.valueUpper !== null && row.valueUpper > row.valueLower && (!onLog || row.valueLower > 0),
  );
  const kept = new Set(usable);
  const excluded = rows
    .filter((row) => !kept.has(row) && !row.suppressed)
    .map((row) => ({ code: row.organisationCode, name: row.organisationName, reason: 'no published value with a 95 % interval' }));
  if (usable.length === 0) throw new FunnelNotAvailableError(`no provider has a published value with a 95 % interval for ${indicator.code} in this period`);
  const result = funnelAnalysis({
    measure: 'normal',
    scale: onLog ? 'log' : 'linear',
    providers: usable.map((row) => ({
      id: row.organisationCode,
      value: row.value!,
      standardError: onLog ? logStandardErrorFromInterval(row.valueLower!, row.valueUpper!) : standardErrorFromInterval(row.valueLower!, row.valueUpper!),
    })),
    target: options.benchmark,
    adjustment: options.adjustment,
    trimFraction: options.trimFraction,
    trimMethod: options.trimMethod,
    polarity: polarityOf(indicator),
    providerLimits: false,
  });
  return {
    measure: 'normal',
    convention: options.convention,
    scale: result.scale,
    unadjustedLimits: 'normal',
    target: result.target,
    overdispersion: result.overdispersion,
    curves: result.curves,
    providers: outputProviders(indicator, usable, rows, result),
    excluded,
  };
}

interface EngineFunnel {
  targetTransformed: number;
  overdispersion: FunnelOverdispersion;
  providers: readonly (FunnelProviderBand | NormalFunnelProviderBand)[];
}

/** The z that the adjusted limits judge by, so providers of indicators with different overdispersion compare fairly. */
function adjustedZ(funnel: EngineFunnel, provider: FunnelProviderBand | NormalFunnelProviderBand): number {
  const { applied, method, phi, tau2 } = funnel.overdispersion;
  if (!applied) return provider.z;
  if (method === 'multiplicative') return provider.z / Math.sqrt(phi);
  return (provider.y - funnel.targetTransformed) / Math.sqrt(provider.s ** 2 + tau2);
}

/** The judged providers, then the suppressed ones, which are named with every figure withheld. */
function outputProviders(indicator: IndicatorDefinition, usable: readonly ProviderObservation[], rows: readonly ProviderObservation[], funnel: EngineFunnel): FunnelProvider[] {
  const byCode = new Map(usable.map((row) => [row.organisationCode, row]));
  const judged = funnel.providers.map((provider): FunnelProvider => {
    const row = byCode.get(provider.id)!;
    const interval = measureValue(indicator, row);
    return {
      code: provider.id,
      name: row.organisationName,
      suppressed: false,
      numerator: 'numerator' in provider ? provider.numerator : row.numerator,
      denominator: 'denominator' in provider ? provider.denominator : row.denominator,
      value: provider.value,
      lower: interval.lower,
      upper: interval.upper,
      z: provider.z,
      adjustedZ: adjustedZ(funnel, provider),
      precision: provider.precision,
      band: provider.band,
      judgement: provider.judgement,
    };
  });
  const suppressed = rows
    .filter((row) => row.suppressed)
    .map((row): FunnelProvider => ({ code: row.organisationCode, name: row.organisationName, suppressed: true, numerator: null, denominator: null, value: null, lower: null, upper: null, z: null, adjustedZ: null, precision: null, band: null, judgement: null }));
  return [...judged, ...suppressed];
}
