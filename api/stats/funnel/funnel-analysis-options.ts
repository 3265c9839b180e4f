import { requireInput } from '../errors';
import { requireCoverage } from './coverage';
import type { FunnelMeasure } from './funnel-limits';
import type { Polarity } from './judgement';
import type { PoissonLimitMethod } from './poisson-count-limits';
import type { ProportionLimitMethod } from './proportion-limits';
import type { FunnelScale } from './types';

/**
 * - 'spiegelhalter' (Spiegelhalter 2005, QSHC 14:347): square-root scale for ratios and rates, arcsine
 *   for proportions, winsorised, multiplicative φ;
 * - 'cqc': the same scales and winsorisation with additive τ² (CQC's surveillance method);
 * - 'shmi' (NHS Digital SHMI methodology; ratios only): log scale, truncated, additive τ², and the SHMI
 *   band 1/2/3 from the 95 % limits on the log scale with τ².
 * Explicit options override the convention's defaults.
 */
export type FunnelConvention = 'spiegelhalter' | 'shmi' | 'cqc';
export type OverdispersionAdjustment = 'none' | 'multiplicative' | 'additive';
export type TrimMethod = 'winsorise' | 'truncate';

/** One provider: for ratios numerator = observed and denominator = expected; for rates denominator = population. */
export interface FunnelProviderInput {
  id: string;
  numerator: number;
  denominator: number;
}

/** Method options every funnel takes, whatever its measure, with the same defaults. */
export interface FunnelMethodOptions {
  /** Fraction trimmed from each tail before estimating overdispersion; 0 trims nothing. Default 0.1. */
  trimFraction?: number;
  /** Coverages of the limits, default [0.95, 0.998]. */
  limits?: readonly number[];
  /** Which limit triggers a judgement; default the widest (99.8 %). */
  judgementCoverage?: number;
  /** Default 'no-judgement'. */
  polarity?: Polarity;
  /** Points per curve, default 150. */
  curvePoints?: number;
  /** Draw the limit curves; default true. False for callers that only judge providers: `curves` is then empty. */
  curves?: boolean;
}

export interface FunnelAnalysisInput extends FunnelMethodOptions {
  measure: FunnelMeasure;
  providers: readonly FunnelProviderInput[];
  /** θ on the natural scale (0.8, not 80); default 1 for ratios, else pooled Σnumerator/Σdenominator. */
  target?: number;
  /** Default 'spiegelhalter'. */
  convention?: FunnelConvention;
  /** Default 'multiplicative' for spiegelhalter, 'additive' for cqc and shmi; applied only when φ > 1. */
  adjustment?: OverdispersionAdjustment;
  /** Default 'truncate' for shmi, 'winsorise' otherwise. */
  trimMethod?: TrimMethod;
  /** Scale of values, target and limits (100 for per cent); default 1. */
  multiplier?: number;
  /** Override the convention's z-score scale. */
  scale?: FunnelScale;
  /** Default 'chi-squared' for ratios (FunnelPlotR, SHMI) and 'exact-test' for rates (PHEindicatormethods). */
  poissonLimits?: PoissonLimitMethod;
  /** Default 'exact'. */
  proportionLimits?: ProportionLimitMethod | 'arcsine';
  /** Round E to this many decimals for z-scores and limits, as FunnelPlotR's SHMI mode does (2); values keep the raw E. */
  expectedDecimalPlaces?: number;
}

const NAME = 'funnelAnalysis';

/** The input with every default filled in; validated once here, trusted inside funnelAnalysis. */
export type ResolvedOptions = Required<Omit<FunnelAnalysisInput, 'expectedDecimalPlaces'>> & Pick<FunnelAnalysisInput, 'expectedDecimalPlaces'>;

export function resolveOptions(input: FunnelAnalysisInput): ResolvedOptions {
  const { measure, providers } = input;
  const convention = input.convention ?? 'spiegelhalter';
  requireInput(convention !== 'shmi' || measure === 'ratio', NAME, "measure 'ratio' for the shmi convention");
  requireInput(providers.length > 0, NAME, 'at least one provider');
  validateProviders(measure, providers);
  const { limits, judgementCoverage } = resolveCoverages(input);
  const trimFraction = resolveTrimFraction(input);
  const multiplier = input.multiplier ?? 1;
  requireInput(multiplier > 0 && Number.isFinite(multiplier), NAME, 'a multiplier greater than zero');
  const places = input.expectedDecimalPlaces;
  requireInput(places === undefined || (Number.isInteger(places) && places >= 0), NAME, 'a whole number of decimal places');
  const curvePoints = resolveCurvePoints(input);
  return {
    ...input,
    convention,
    target: resolveTarget(measure, providers, input.target),
    adjustment: input.adjustment ?? (convention === 'spiegelhalter' ? 'multiplicative' : 'additive'),
    trimFraction,
    trimMethod: input.trimMethod ?? (convention === 'shmi' ? 'truncate' : 'winsorise'),
    limits,
    judgementCoverage,
    polarity: input.polarity ?? 'no-judgement',
    multiplier,
    scale: input.scale ?? defaultScale(measure, convention),
    poissonLimits: input.poissonLimits ?? (measure === 'rate' ? 'exact-test' : 'chi-squared'),
    proportionLimits: input.proportionLimits ?? 'exact',
    curvePoints,
    curves: input.curves ?? true,
  };
}

/** Options every funnel measure shares, validated the same way for each. */
type SharedOptions = Pick<FunnelAnalysisInput, 'limits' | 'judgementCoverage' | 'trimFraction' | 'curvePoints'>;

export function resolveCoverages(input: SharedOptions): { limits: readonly number[]; judgementCoverage: number } {
  const limits = input.limits ?? [0.95, 0.998];
  requireInput(limits.length > 0, NAME, 'at least one limit');
  limits.forEach((coverage) => requireCoverage(coverage, NAME));
  const judgementCoverage = input.judgementCoverage ?? Math.max(...limits);
  requireInput(limits.includes(judgementCoverage), NAME, 'a judgement coverage that is one of the limits');
  return { limits, judgementCoverage };
}

export function resolveTrimFraction(input: SharedOptions): number {
  const trimFraction = input.trimFraction ?? 0.1;
  requireInput(trimFraction >= 0 && trimFraction < 0.5, NAME, 'a trim fraction of at least 0 and below 0.5');
  return trimFraction;
}

export function resolveCurvePoints(input: SharedOptions): number {
  const curvePoints = input.curvePoints ?? 150;
  requireInput(Number.isInteger(curvePoints) && curvePoints >= 2, NAME, 'at least two curve points');
  return curvePoints;
}

function validateProviders(measure: FunnelMeasure, providers: readonly FunnelProviderInput[]): void {
  const counts = measure === 'ratio' || measure === 'ratio-of-counts';
  for (const { numerator, denominator } of providers) {
    requireInput(Number.isFinite(numerator) && Number.isFinite(denominator), NAME, 'numerators and denominators that are finite numbers');
    requireInput(numerator >= 0, NAME, counts ? 'observed counts of at least zero' : 'numerators of at least zero');
    if (measure === 'ratio-of-counts') requireInput(denominator >= 0 && numerator + denominator > 0, NAME, 'two counts of which at least one is greater than zero');
    else requireInput(denominator > 0, NAME, measure === 'ratio' ? 'expected counts greater than zero' : 'denominators greater than zero');
    requireInput(measure !== 'proportion' || numerator <= denominator, NAME, 'numerators no greater than denominators for a proportion');
  }
}

/**
 * The providers' own centre: 1 for indirectly standardised ratios (expected counts are standardised to the
 * observed total), else the pooled Σnumerator/Σdenominator. Overdispersion is always estimated around it.
 */
export function providersCentre(measure: FunnelMeasure, providers: readonly FunnelProviderInput[]): number {
  if (measure === 'ratio') return 1;
  let numerators = 0;
  let denominators = 0;
  for (const { numerator, denominator } of providers) {
    numerators += numerator;
    denominators += denominator;
  }
  return numerators / denominators;
}

function resolveTarget(measure: FunnelMeasure, providers: readonly FunnelProviderInput[], given: number | undefined): number {
  const target = given ?? providersCentre(measure, providers);
  if (measure === 'proportion') requireInput(target >= 0 && target <= 1, NAME, 'a target proportion between 0 and 1');
  else requireInput(target > 0 && Number.isFinite(target), NAME, 'a target greater than zero (a pooled target is 0 when no provider has an event)');
  return target;
}

function defaultScale(measure: FunnelMeasure, convention: FunnelConvention): FunnelScale {
  if (measure === 'proportion') return 'arcsine';
  if (measure === 'ratio-of-counts') return 'log-ratio-of-counts';
  return convention === 'shmi' ? 'log' : 'square-root';
}

export function precisionOf(options: ResolvedOptions, provider: FunnelProviderInput): number {
  const places = options.expectedDecimalPlaces;
  if (places === undefined) return provider.denominator;
  const factor = 10 ** places;
  const rounded = Math.round(provider.denominator * factor) / factor;
  requireInput(rounded > 0, NAME, 'expected counts greater than zero after rounding');
  return rounded;
}
