import { funnelAnalysis, type FunnelAnalysisResult, type FunnelConvention, type OverdispersionAdjustment, type TrimMethod } from '../stats';
import { measureValue } from './measure-value';
import { isSuppressed } from './suppression';
import type { IndicatorDefinition, ProviderObservation } from './types';

export interface IndicatorFunnelOptions {
  convention: FunnelConvention;
  adjustment: OverdispersionAdjustment;
  trimFraction: number;
  trimMethod?: TrimMethod;
  /** The benchmark on the display scale; default: 1 × multiplier for ratios, else the pooled value of all providers. */
  benchmark?: number;
  suppressionThreshold: number;
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
  precision: number | null;
  band: string | null;
  judgement: string | null;
}

export interface IndicatorFunnel {
  measure: FunnelAnalysisResult['measure'];
  convention: FunnelConvention;
  scale: FunnelAnalysisResult['scale'];
  unadjustedLimits: FunnelAnalysisResult['unadjustedLimits'];
  target: number;
  overdispersion: FunnelAnalysisResult['overdispersion'];
  curves: FunnelAnalysisResult['curves'];
  providers: FunnelProvider[];
  /** Providers reporting the indicator whose figures cannot be placed on this funnel, with the reason. */
  excluded: { code: string; name: string; reason: string }[];
}

const funnelMeasures = { proportion: 'proportion', crude_rate: 'rate', indirectly_standardised_ratio: 'ratio' } as const;

export class FunnelNotAvailableError extends Error {
  override name = 'FunnelNotAvailableError';
}

/**
 * The funnel of one indicator in one period across its peer providers (Spiegelhalter 2005): proportions on
 * the arcsine scale, rates and indirectly standardised ratios on the square-root or (SHMI) log scale, with
 * overdispersion estimated from every provider. Suppressed providers count in θ, φ and τ² (leaving them out
 * would bias the limits every reader sees) but their figures, z and band are withheld from the output.
 */
export function indicatorFunnel(indicator: IndicatorDefinition, rows: readonly ProviderObservation[], options: IndicatorFunnelOptions): IndicatorFunnel {
  const measure = funnelMeasures[indicator.measureKind as keyof typeof funnelMeasures];
  if (!measure) {
    throw new FunnelNotAvailableError(`a funnel of counts needs numerators and denominators or observed and expected counts; ${indicator.code} is a ${indicator.measureKind.replace(/_/g, ' ')}`);
  }
  const ratio = measure === 'ratio';
  const usable = rows.filter((row) => (ratio ? row.observed !== null && row.expected !== null : row.numerator !== null && row.denominator !== null));
  const excluded = rows
    .filter((row) => !usable.includes(row))
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
    polarity: indicator.polarity.replace(/_/g, '-') as 'higher-is-better' | 'lower-is-better' | 'no-judgement',
    multiplier: indicator.multiplier,
  });
  const byCode = new Map(usable.map((row) => [row.organisationCode, row]));
  const providers = result.providers.map((provider): FunnelProvider => {
    const row = byCode.get(provider.id)!;
    const suppressed = isSuppressed(indicator, row, options.suppressionThreshold);
    const interval = measureValue(indicator, row);
    return suppressed
      ? { code: provider.id, name: row.organisationName, suppressed, numerator: null, denominator: null, value: null, lower: null, upper: null, z: null, precision: null, band: null, judgement: null }
      : {
          code: provider.id,
          name: row.organisationName,
          suppressed,
          numerator: provider.numerator,
          denominator: provider.denominator,
          value: provider.value,
          lower: interval.lower,
          upper: interval.upper,
          z: provider.z,
          precision: provider.precision,
          band: provider.band,
          judgement: provider.judgement,
        };
  });
  return {
    measure: result.measure,
    convention: result.convention,
    scale: result.scale,
    unadjustedLimits: result.unadjustedLimits,
    target: result.target,
    overdispersion: result.overdispersion,
    curves: result.curves,
    providers,
    excluded,
  };
}
