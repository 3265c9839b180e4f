import { requireInput } from '../errors';
import { precisionOf, providersCentre, resolveOptions, type FunnelAnalysisInput, type FunnelConvention, type ResolvedOptions } from './funnel-analysis-options';
import { funnelBand, type FunnelBand } from './funnel-band';
import { funnelLimitCurves, type FunnelCurve } from './funnel-limit-curves';
import {
  adjustedFunnelLimits,
  funnelLimits,
  unadjustedFunnelLimits,
  type FunnelLimitModel,
  type FunnelLimitsAtPrecision,
  type FunnelMeasure,
} from './funnel-limits';
import { bandFromTail, exactTail } from './exact-tail';
import { trimmedOverdispersion, type FunnelOverdispersion } from './funnel-overdispersion';
import { funnelJudgement, judgementOfSide, type Judgement, type Polarity } from './judgement';
import { normalFunnelAnalysis, type NormalFunnelAnalysisResult, type NormalFunnelProviderBand } from './normal-funnel';
import type { NormalFunnelAnalysisInput } from './normal-funnel-options';
import type { PoissonLimitMethod } from './poisson-count-limits';
import type { ProportionLimitMethod } from './proportion-limits';
import { shmiBand } from './shmi-band';
import type { FunnelLimit, FunnelPosition, FunnelScale } from './types';
import { funnelZScore } from './z-score';

/** One provider's band and judgement, without its limits: what `providerLimits: false` returns. */
export interface FunnelProviderBand extends FunnelPosition {
  id: string;
  numerator: number;
  denominator: number;
  /** numerator/denominator × multiplier. */
  value: number;
  /** SHMI convention only: 1 higher than expected, 2 as expected, 3 lower than expected. */
  shmiBand?: 1 | 2 | 3;
}

export interface FunnelProviderResult extends FunnelProviderBand {
  /** Computed once per distinct precision: providers of equal precision share one object (treat as read-only). */
  limitsAtPrecision: FunnelLimitsAtPrecision;
}

export interface FunnelAnalysisResult<P extends FunnelProviderBand = FunnelProviderResult> {
  measure: FunnelMeasure;
  convention: FunnelConvention;
  scale: FunnelScale;
  /** θ × multiplier, on the scale of the values and limits. */
  target: number;
  /** θ on the z-score scale (a rate's z-scores are those of the ratio O/(θn), whose target is 1). */
  targetTransformed: number;
  multiplier: number;
  unadjustedLimits: PoissonLimitMethod | ProportionLimitMethod | 'arcsine' | 'normal-log';
  overdispersion: FunnelOverdispersion;
  providers: P[];
  curves: FunnelCurve[];
}

/** Either input: counts (ratio, proportion, rate, ratio of counts) or values with standard errors ('normal'). */
export type AnyFunnelAnalysisInput = FunnelAnalysisInput | NormalFunnelAnalysisInput;

/**
 * Funnel plot analysis of providers against a target (Spiegelhalter 2005, Stat Med 24:1185 and QSHC
 * 14:347; DerSimonian & Laird 1986; NHS Digital SHMI methodology; CQC; methods.md): z-scores on a
 * variance-stabilising scale, winsorised or truncated, φ and τ² estimated around the providers' own
 * centre even when a target is given, limits around the target at each provider's precision
 * and as curves, then a band and a polarity-aware judgement per provider. Limits are inclusive.
 * `measure: 'normal'` takes values with standard errors (normal-funnel.ts).
 *
 * `providerLimits: false` leaves out each provider's `limitsAtPrecision`: bands are then decided
 * without inverting exact limits (exact-tail.ts), the same bands at a fraction of the cost. Curves are
 * drawn on `curvePoints` precisions unless `curves: false` (callers that only judge providers), which leaves
 * `curves` empty and every other figure the same. Time and memory are linear in the providers (typed columns,
 * no per-provider intermediates; the trims sort one typed copy): see `npm run bench engine-scale`.
 */
export function funnelAnalysis(input: FunnelAnalysisInput & { providerLimits: false }): FunnelAnalysisResult<FunnelProviderBand>;
export function funnelAnalysis(input: FunnelAnalysisInput & { providerLimits?: true }): FunnelAnalysisResult;
export function funnelAnalysis(input: NormalFunnelAnalysisInput & { providerLimits: false }): NormalFunnelAnalysisResult<NormalFunnelProviderBand>;
export function funnelAnalysis(input: NormalFunnelAnalysisInput & { providerLimits?: true }): NormalFunnelAnalysisResult;
export function funnelAnalysis(
  input: AnyFunnelAnalysisInput & { providerLimits?: boolean },
): FunnelAnalysisResult<FunnelProviderBand> | NormalFunnelAnalysisResult<NormalFunnelProviderBand>;
export function funnelAnalysis(
  input: AnyFunnelAnalysisInput & { providerLimits?: boolean },
): FunnelAnalysisResult<FunnelProviderBand> | NormalFunnelAnalysisResult<NormalFunnelProviderBand> {
  const providerLimits = input.providerLimits ?? true;
  return input.measure === 'normal' ? normalFunnelAnalysis(input, providerLimits) : countFunnelAnalysis(input, providerLimits);
}

function countFunnelAnalysis(input: FunnelAnalysisInput, providerLimits: boolean): FunnelAnalysisResult<FunnelProviderBand> {
  const options = resolveOptions(input);
  const { measure, providers, multiplier } = options;
  const target = options.target;
  // One typed column per quantity rather than an object per provider: a million providers stay linear in time and memory.
  const count = providers.length;
  const precisions = new Float64Array(count);
  const y = new Float64Array(count);
  const s = new Float64Array(count);
  const z = new Float64Array(count);
  let targetTransformed = 0;
  for (let i = 0; i < count; i++) {
    const p = providers[i];
    const precision = (precisions[i] = precisionOf(options, p));
    const t = measure === 'rate' ? funnelZScore(options.scale, p.numerator, target * precision, 1) : funnelZScore(options.scale, p.numerator, precision, target);
    y[i] = t.y;
    s[i] = t.s;
    z[i] = t.z;
    if (i === 0) targetTransformed = t.targetTransformed;
  }
  requireInput(z.every(Number.isFinite), 'funnelAnalysis', 'finite z-scores (a proportion target of 0 or 1 leaves no variation on the proportion scale)');

  const centred = centredZScores(options, precisions, s, input.target === undefined ? null : providersCentre(measure, providers));
  const { overdispersion, trimmedZ, trimmed } = trimmedOverdispersion(
    centred?.z ?? z, centred?.s ?? s, options.adjustment, options.trimFraction, options.trimMethod,
  );
  const { applied, method } = overdispersion;
  const model: FunnelLimitModel = {
    measure,
    scale: options.scale,
    target,
    coverages: options.limits,
    poissonLimits: options.poissonLimits,
    proportionLimits: options.proportionLimits,
    tau2: applied && method === 'additive' ? overdispersion.tau2 : 0,
    phi: applied && method === 'multiplicative' ? overdispersion.phi : 1,
    multiplier,
  };
  const judgementIndex = options.limits.indexOf(options.judgementCoverage);
  const memo = new Map<number, FunnelLimitsAtPrecision>();
  const limitsAt = (precision: number) => {
    let limits = memo.get(precision);
    if (!limits) memo.set(precision, (limits = funnelLimits(model, precision)));
    return limits;
  };
  const bandAgainst = (value: number, limits: FunnelLimit[]) => ({
    band: funnelBand(value, limits),
    judgement: funnelJudgement(value, limits[judgementIndex], options.polarity),
  });

  const results = new Array<FunnelProviderBand>(count);
  for (let i = 0; i < count; i++) {
    const p = providers[i];
    const precision = precisions[i];
    const value = (p.numerator / p.denominator) * multiplier;
    const limitsAtPrecision = providerLimits ? limitsAt(precision) : undefined;
    const { band, judgement } = limitsAtPrecision
      ? bandAgainst(value, applied ? limitsAtPrecision.adjusted : limitsAtPrecision.unadjusted)
      : applied
        ? bandAgainst(value, adjustedFunnelLimits(model, precision))
        : (bandFromExactTail(model, options, precision, p.numerator / p.denominator) ?? bandAgainst(value, unadjustedFunnelLimits(model, precision)));
    const result: FunnelProviderBand & { limitsAtPrecision?: FunnelLimitsAtPrecision } = {
      id: p.id,
      numerator: p.numerator,
      denominator: p.denominator,
      precision,
      value,
      y: y[i],
      s: s[i],
      z: z[i],
      trimmedZ: trimmedZ[i],
      trimmed: trimmed[i],
      band,
      judgement,
    };
    if (limitsAtPrecision) result.limitsAtPrecision = limitsAtPrecision;
    if (options.convention === 'shmi') result.shmiBand = shmiBand(value / multiplier, precision, model.tau2);
    results[i] = result;
  }

  return {
    measure,
    convention: options.convention,
    scale: options.scale,
    target: target * multiplier,
    targetTransformed,
    multiplier,
    unadjustedLimits: unadjustedMethodName(options),
    overdispersion,
    providers: results,
    curves: options.curves ? curvesFor(model, precisions, options.curvePoints) : [],
  };
}

/**
 * z and s around the providers' own centre, for φ and τ² when the limits are drawn around a given target
 * (Spiegelhalter 2005, Stat Med 24:1185: a target is only the centre line; overdispersion is a property of
 * the providers, and estimating it around a distant target mistakes the gap to the target for chance
 * variation). Null when no target was given (the centre is the target). With no events anywhere (or, for a
 * proportion, all events) every provider sits on the centre: z = 0, so φ = 0 and nothing is adjusted.
 */
function centredZScores(
  options: ResolvedOptions, precisions: Float64Array, targetS: Float64Array, centre: number | null,
): { z: Float64Array; s: Float64Array } | null {
  if (centre === null) return null;
  const { measure, scale, providers } = options;
  const onCentre = measure === 'proportion' ? centre === 0 || centre === 1 : !(centre > 0);
  if (onCentre) return { z: new Float64Array(providers.length), s: targetS };
  const z = new Float64Array(providers.length);
  const s = new Float64Array(providers.length);
  for (let i = 0; i < providers.length; i++) {
    const t = measure === 'rate' ? funnelZScore(scale, providers[i].numerator, centre * precisions[i], 1) : funnelZScore(scale, providers[i].numerator, precisions[i], centre);
    z[i] = t.z;
    s[i] = t.s;
  }
  return { z, s };
}

/** Band and judgement against exact unadjusted limits from one tail probability; null when the limits must be computed. */
function bandFromExactTail(
  model: FunnelLimitModel, options: { judgementCoverage: number; polarity: Polarity }, precision: number, ratio: number,
): { band: FunnelBand; judgement: Judgement } | null {
  const tail = exactTail(model, precision, ratio);
  const banded = tail && bandFromTail(tail, model.coverages, options.judgementCoverage);
  if (!tail || !banded) return null;
  const side = !banded.beyondJudgement ? 'as-expected' : tail.side === 'above' ? 'higher' : 'lower';
  return { band: banded.band, judgement: judgementOfSide(side, options.polarity) };
}

function unadjustedMethodName(options: ResolvedOptions): FunnelAnalysisResult['unadjustedLimits'] {
  if (options.measure === 'proportion') return options.proportionLimits;
  if (options.measure === 'ratio-of-counts') return 'normal-log';
  return options.poissonLimits;
}

/** Curves span the providers' precisions; a ratio of counts may have precision 0, which a log axis cannot show. */
function curvesFor(model: FunnelLimitModel, precisions: Float64Array, points: number): FunnelCurve[] {
  // A loop rather than spreading into Math.min, which overflows the call stack at about 125,000 providers.
  let lowest = Infinity;
  let highest = -Infinity;
  for (const precision of precisions) {
    if (!(precision > 0)) continue;
    if (precision < lowest) lowest = precision;
    if (precision > highest) highest = precision;
  }
  requireInput(lowest <= highest, 'funnelAnalysis', 'at least one precision greater than zero to draw curves');
  return funnelLimitCurves(model, lowest, highest, points);
}
