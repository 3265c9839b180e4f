import {
  funnelAnalysis,
  logStandardErrorFromInterval,
  standardErrorFromInterval,
  type FunnelAnalysisResult,
  type FunnelConvention,
  type FunnelCurve,
  type FunnelLimit,
  type FunnelOverdispersion,
  type FunnelProviderResult,
  type NormalFunnelAnalysisResult,
  type NormalFunnelProviderResult,
  type FunnelProviderBand,
  type NormalFunnelProviderBand,
  type OverdispersionAdjustment,
  type TrimMethod,
} from '../stats';
import { funnelFdrLine, type FunnelFdrLine } from './funnel-chance';
import { funnelShrinkage, type FunnelShrinkage } from './funnel-shrinkage';
import { measureValue } from './measure-value';
import type { IndicatorDefinition, ProviderObservation } from './types';

export interface IndicatorFunnelOptions {
  convention: FunnelConvention;
  adjustment: OverdispersionAdjustment;
  trimFraction: number;
  trimMethod?: TrimMethod;
  /** The benchmark on the display scale; default: 1 × multiplier for ratios, else the pooled value of all providers. */
  benchmark?: number;
  /** Each provider's own limits, as NHS Digital and PHE publish them. */
  providerLimits?: boolean;
  /** Empirical-Bayes shrunken estimates and rank intervals. */
  shrinkage?: boolean;
  /** The false discovery rate of a Benjamini–Hochberg line; none when absent. */
  fdrLevel?: number;
  /** The limit curves to draw (default true); false where only the providers' judgements are used, leaving `curves` empty. */
  curves?: boolean;
}

/** A provider's limits at its own precision, display scale. */
export interface LimitPair {
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

export interface ProviderLimits {
  unadjusted: LimitPair;
  /** Null when no overdispersion adjustment is applied. */
  adjusted: LimitPair | null;
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
  /** With `providerLimits`; null when suppressed. */
  limits?: ProviderLimits | null;
  /** With `shrinkage`: the empirical-Bayes estimate with its 95 % interval; null when suppressed. */
  shrunken?: { value: number; lower: number; upper: number } | null;
  /** With `shrinkage`: the rank (1 = highest value) with its 95 % interval among `of` judged providers; null when suppressed. */
  rank?: { estimate: number; lower: number; upper: number; of: number } | null;
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
  /** With `fdrLevel`. */
  fdr?: FunnelFdrLine;
  /** With `shrinkage`: the DerSimonian–Laird τ² the estimates shrink with (funnel's scale) and the draws behind the ranks. */
  shrinkage?: Pick<FunnelShrinkage, 'tau2' | 'rankDraws'>;
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

  const input = {
    measure,
    providers: usable.map((row) => ({ id: row.organisationCode, numerator: ratio ? row.observed! : row.numerator!, denominator: ratio ? row.expected! : row.denominator! })),
    target: options.benchmark === undefined ? undefined : options.benchmark / indicator.multiplier,
    convention: options.convention,
    adjustment: options.adjustment,
    trimFraction: options.trimFraction,
    trimMethod: options.trimMethod,
    polarity: polarityOf(indicator),
    multiplier: indicator.multiplier,
    curves: options.curves ?? true,
  };
  // Per-provider limits cost a quantile inversion each, so only when asked for.
  const result: FunnelAnalysisResult<FunnelProviderBand> = options.providerLimits ? funnelAnalysis({ ...input, providerLimits: true }) : funnelAnalysis({ ...input, providerLimits: false });
  // A rate's funnel scale is the ratio O/(θn): back on the display scale it is × θ·multiplier.
  const shrinkage = options.shrinkage ? funnelShrinkage(result, measure === 'rate' ? result.target : indicator.multiplier) : null;
  return {
    ...extras(result, options, shrinkage, (coverage) => funnelAnalysis({ ...input, limits: [coverage], providerLimits: false, curves: true }).curves),
    measure: result.measure,
    convention: result.convention,
    scale: result.scale,
    unadjustedLimits: result.unadjustedLimits,
    target: result.target,
    overdispersion: result.overdispersion,
    curves: result.curves,
    providers: outputProviders(usable, rows, result, options, shrinkage, (row) => measureValue(indicator, row)),
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
  const input = {
    measure: 'normal' as const,
    scale: onLog ? ('log' as const) : ('linear' as const),
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
    curves: options.curves ?? true,
  };
  const result: NormalFunnelAnalysisResult<NormalFunnelProviderBand> = options.providerLimits ? funnelAnalysis({ ...input, providerLimits: true }) : funnelAnalysis({ ...input, providerLimits: false });
  const shrinkage = options.shrinkage ? funnelShrinkage(result, 1) : null;
  return {
    ...extras(result, options, shrinkage, (coverage) => funnelAnalysis({ ...input, limits: [coverage], providerLimits: false, curves: true }).curves),
    measure: 'normal',
    convention: options.convention,
    scale: result.scale,
    unadjustedLimits: 'normal',
    target: result.target,
    overdispersion: result.overdispersion,
    curves: result.curves,
    providers: outputProviders(usable, rows, result, options, shrinkage, (row) => measureValue(indicator, row)),
    excluded,
  };
}

interface EngineFunnel {
  scale: FunnelAnalysisResult['scale'] | 'linear';
  targetTransformed: number;
  overdispersion: FunnelOverdispersion;
  providers: readonly (FunnelProviderBand | NormalFunnelProviderBand | FunnelProviderResult | NormalFunnelProviderResult)[];
}

/** The FDR line (its curve from the engine at coverage 1 − p*, `curvesAt`) and the shrinkage summary, when asked for. */
function extras(
  funnel: EngineFunnel, options: IndicatorFunnelOptions, shrinkage: FunnelShrinkage | null, curvesAt: (coverage: number) => FunnelCurve[],
): Pick<IndicatorFunnel, 'fdr' | 'shrinkage'> {
  return {
    ...(options.fdrLevel !== undefined && { fdr: funnelFdrLine(funnel.providers.map((provider) => adjustedZ(funnel, provider)), options.fdrLevel, curvesAt) }),
    ...(shrinkage && { shrinkage: { tau2: shrinkage.tau2, rankDraws: shrinkage.rankDraws } }),
  };
}

const limitPair = (limits: readonly FunnelLimit[]): LimitPair => ({ lower95: limits[0].lower, upper95: limits[0].upper, lower998: limits[1].lower, upper998: limits[1].upper });

/** The z that the adjusted limits judge by, so providers of indicators with different overdispersion compare fairly. */
function adjustedZ(funnel: EngineFunnel, provider: FunnelProviderBand | NormalFunnelProviderBand): number {
  const { applied, method, phi, tau2 } = funnel.overdispersion;
  if (!applied) return provider.z;
  if (method === 'multiplicative') return provider.z / Math.sqrt(phi);
  return (provider.y - funnel.targetTransformed) / Math.sqrt(provider.s ** 2 + tau2);
}

/** The judged providers, then the suppressed ones, which are named with every figure withheld. */
function outputProviders(
  usable: readonly ProviderObservation[], rows: readonly ProviderObservation[], funnel: EngineFunnel, options: IndicatorFunnelOptions, shrinkage: FunnelShrinkage | null,
  intervalOf: (row: ProviderObservation) => { lower: number | null; upper: number | null },
): FunnelProvider[] {
  const byCode = new Map(usable.map((row) => [row.organisationCode, row]));
  const judged = funnel.providers.map((provider, i): FunnelProvider => {
    const row = byCode.get(provider.id)!;
    const interval = intervalOf(row);
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
      ...('limitsAtPrecision' in provider && {
        limits: {
          unadjusted: limitPair(provider.limitsAtPrecision.unadjusted),
          adjusted: funnel.overdispersion.applied ? limitPair(provider.limitsAtPrecision.adjusted) : null,
        },
      }),
      ...(shrinkage && shrinkage.providers[i]),
    };
  });
  const suppressed = rows
    .filter((row) => row.suppressed)
    .map((row): FunnelProvider => ({
      code: row.organisationCode, name: row.organisationName, suppressed: true, numerator: null, denominator: null, value: null, lower: null, upper: null, z: null, adjustedZ: null, precision: null, band: null, judgement: null,
      ...(options.providerLimits && { limits: null }),
      ...(options.shrinkage && { shrunken: null, rank: null }),
    }));
  return [...judged, ...suppressed];
}
