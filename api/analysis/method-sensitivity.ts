import {
  funnelAnalysis,
  funnelJudgement,
  funnelZScore,
  judgementOfSide,
  type FunnelAnalysisInput,
  type FunnelConvention,
  type FunnelLimitModel,
  type Judgement,
  type NormalFunnelAnalysisInput,
  type OverdispersionAdjustment,
  type Polarity,
  type TrimMethod,
} from '../stats';
import { requireInput } from '../stats/errors';
import { bandFromTail, exactTail } from '../stats/funnel/exact-tail';
import { precisionOf, providersCentre, resolveOptions, type ResolvedOptions } from '../stats/funnel/funnel-analysis-options';
import { trimmedOverdispersion } from '../stats/funnel/funnel-overdispersion';
import { adjustedFunnelLimits, unadjustedFunnelLimits } from '../stats/funnel/funnel-limits';
import { tau2ConfidenceInterval, type Tau2ConfidenceInterval } from '../stats/funnel/tau2-confidence-interval';
import type { IndicatorFunnel, IndicatorFunnelOptions } from './indicator-funnel';
import type { IndicatorDefinition } from './types';

/** One way of drawing the funnel the product offers: a convention, its adjustment and its trimming. */
export interface SweepMethod {
  /** "φ, 10 % winsorised": what a reader is told. */
  label: string;
  /** "φ", "τ²", "SHMI τ²" or "no adjustment": the adjustment as sentences group methods. */
  family: string;
  convention: FunnelConvention;
  adjustment: OverdispersionAdjustment;
  trimFraction: number;
  trimMethod: TrimMethod;
}

export interface MethodVerdict {
  /** The method's label. */
  method: string;
  family: string;
  /** null without adjustment, where trimming changes nothing. */
  trimFraction: number | null;
  verdict: Judgement;
}

export interface ProviderSensitivity {
  id: string;
  /** One per method of the sweep, in its order. */
  verdicts: MethodVerdict[];
  /** Every method gives the same verdict. */
  robust: boolean;
}

/** φ and τ² as one scale and trimming estimate them. */
export interface SweepOverdispersion {
  scale: string;
  trimMethod: TrimMethod;
  trimFraction: number;
  phi: number;
  tau2: number;
  pValue: number;
  n: number;
}

/** One funnel's φ and τ², with τ²'s Q-profile 95 % interval (null with fewer than two providers kept). */
export interface FunnelOverdispersionEstimate extends SweepOverdispersion {
  tau2Interval: Tau2ConfidenceInterval | null;
}

export interface MethodSensitivity {
  methods: SweepMethod[];
  providers: ProviderSensitivity[];
  overdispersion: SweepOverdispersion[];
}

/** The funnel of one indicator-period, without method options: the sweep supplies those. */
export type SensitivityInput =
  | Pick<FunnelAnalysisInput, 'measure' | 'providers' | 'target' | 'polarity' | 'multiplier'>
  | Pick<NormalFunnelAnalysisInput, 'measure' | 'providers' | 'scale' | 'target' | 'polarity'>;

const trims = [0.05, 0.1, 0.2] as const;
const percent = (fraction: number) => `${Math.round(fraction * 100)} %`;
const JUDGEMENT_COVERAGE = 0.998;

/**
 * Every method the product offers for a funnel: no adjustment (exact limits); Spiegelhalter's multiplicative
 * φ and the additive τ² of the CQC convention, each winsorised at 5, 10 and 20 %; and for indirectly
 * standardised ratios NHS Digital's SHMI convention (log scale, τ², truncated at 5, 10 and 20 %). Means and
 * directly standardised rates take Spiegelhalter's normal funnel only, so their τ² is on that scale.
 */
export function sweepMethods(measure: SensitivityInput['measure']): SweepMethod[] {
  const additiveConvention: FunnelConvention = measure === 'normal' ? 'spiegelhalter' : 'cqc';
  const methods: SweepMethod[] = [{ label: 'no adjustment', family: 'no adjustment', convention: 'spiegelhalter', adjustment: 'none', trimFraction: 0.1, trimMethod: 'winsorise' }];
  for (const trimFraction of trims) methods.push({ label: `φ, ${percent(trimFraction)} winsorised`, family: 'φ', convention: 'spiegelhalter', adjustment: 'multiplicative', trimFraction, trimMethod: 'winsorise' });
  for (const trimFraction of trims) methods.push({ label: `τ², ${percent(trimFraction)} winsorised`, family: 'τ²', convention: additiveConvention, adjustment: 'additive', trimFraction, trimMethod: 'winsorise' });
  if (measure === 'ratio') {
    for (const trimFraction of trims) methods.push({ label: `SHMI τ², ${percent(trimFraction)} truncated`, family: 'SHMI τ²', convention: 'shmi', adjustment: 'additive', trimFraction, trimMethod: 'truncate' });
  }
  return methods;
}

/**
 * Method sensitivity of one funnel (issue 15; Spiegelhalter 2005, Stat Med 24:1185 and QSHC 14:347 on the
 * choice between φ and τ²; Viechtbauer 2007 for τ²'s interval): each provider's judgement at 99.8 % under every
 * method of {@link sweepMethods}. A provider is robust when all give the same verdict, otherwise
 * method-sensitive. The verdicts are funnelAnalysis's; for counts the shared work is done once: z-scores per
 * scale, φ and τ² re-estimated per trimming, the exact unadjusted verdict (every method whose overdispersion is
 * not applied) decided once from a tail probability, and each adjusted verdict against the provider's own
 * closed-form limit, with no curves. Normal funnels, which have no exact limits, are each drawn whole.
 */
export function methodSensitivity(input: SensitivityInput): MethodSensitivity {
  const methods = sweepMethods(input.measure);
  const { verdicts, overdispersion } = input.measure === 'normal' ? normalVerdicts(input, methods) : countVerdicts(input, methods);
  const providers = input.providers.map((provider, i): ProviderSensitivity => {
    const own = methods.map((method, m): MethodVerdict => ({
      method: method.label,
      family: method.family,
      trimFraction: method.adjustment === 'none' ? null : method.trimFraction,
      verdict: verdicts[m][i],
    }));
    return { id: provider.id, verdicts: own, robust: own.every(({ verdict }) => verdict === own[0].verdict) };
  });
  return { methods, providers, overdispersion };
}

interface SweepVerdicts {
  /** Per method, per provider. */
  verdicts: Judgement[][];
  overdispersion: SweepOverdispersion[];
}

function countVerdicts(input: Extract<SensitivityInput, { measure: FunnelAnalysisInput['measure'] }>, methods: readonly SweepMethod[]): SweepVerdicts {
  const byConvention = new Map<FunnelConvention, ReturnType<typeof scaleGroup>>();
  const groupFor = (convention: FunnelConvention) => {
    // The CQC convention shares Spiegelhalter's scale and winsorisation: one group serves both.
    const key = convention === 'cqc' ? 'spiegelhalter' : convention;
    let group = byConvention.get(key);
    if (!group) byConvention.set(key, (group = scaleGroup(input, key)));
    return group;
  };
  const exact = unadjustedVerdicts(groupFor('spiegelhalter').options);
  const estimates = new Map<string, SweepOverdispersion>();
  const verdicts = methods.map((method) => {
    if (method.adjustment === 'none') return exact;
    const group = groupFor(method.convention);
    const key = `${group.options.scale}|${method.trimMethod}|${method.trimFraction}`;
    const { overdispersion } = trimmedOverdispersion(group.centredZ, group.centredS, method.adjustment, method.trimFraction, method.trimMethod);
    if (!estimates.has(key)) estimates.set(key, estimateOf(group.options.scale, method, overdispersion));
    if (!overdispersion.applied) return exact;
    const model = limitModel(group.options, method.adjustment === 'additive' ? { tau2: overdispersion.tau2, phi: 1 } : { tau2: 0, phi: overdispersion.phi });
    return group.precisions.map((precision, i) => {
      const value = (group.options.providers[i].numerator / group.options.providers[i].denominator) * group.options.multiplier;
      return funnelJudgement(value, adjustedFunnelLimits(model, precision)[0], group.options.polarity);
    });
  });
  return { verdicts, overdispersion: [...estimates.values()] };
}

/** One convention's resolved options, precisions, and the z and s around the providers' own centre that φ and τ² are estimated from. */
function scaleGroup(input: Extract<SensitivityInput, { measure: FunnelAnalysisInput['measure'] }>, convention: FunnelConvention) {
  const options = resolveOptions({ ...input, convention, limits: [JUDGEMENT_COVERAGE] });
  const precisions = options.providers.map((provider) => precisionOf(options, provider));
  // As funnelAnalysis does: around the given target's own centre (providersCentre) when a target is given.
  const centre = input.target === undefined ? options.target : providersCentre(options.measure, options.providers);
  const onCentre = input.target !== undefined && (options.measure === 'proportion' ? centre === 0 || centre === 1 : !(centre > 0));
  const transformed = options.providers.map((p, i) =>
    options.measure === 'rate' ? funnelZScore(options.scale, p.numerator, centre * precisions[i], 1) : funnelZScore(options.scale, p.numerator, precisions[i], centre),
  );
  const centredZ = transformed.map((t) => (onCentre ? 0 : t.z));
  requireInput(centredZ.every(Number.isFinite), 'methodSensitivity', 'finite z-scores');
  return { options, precisions, centredZ, centredS: transformed.map((t) => t.s) };
}

function limitModel(options: ResolvedOptions, overdispersion: { tau2: number; phi: number }): FunnelLimitModel {
  return {
    measure: options.measure,
    scale: options.scale,
    target: options.target,
    coverages: [JUDGEMENT_COVERAGE],
    poissonLimits: options.poissonLimits,
    proportionLimits: options.proportionLimits,
    multiplier: options.multiplier,
    ...overdispersion,
  };
}

/** Verdicts against the exact unadjusted limits, from one tail probability each where that decides (exact-tail.ts), else against the limits. */
function unadjustedVerdicts(options: ResolvedOptions): Judgement[] {
  const model = limitModel(options, { tau2: 0, phi: 1 });
  return options.providers.map((provider) => {
    const precision = precisionOf(options, provider);
    const ratio = provider.numerator / provider.denominator;
    const tail = exactTail(model, precision, ratio);
    const banded = tail && bandFromTail(tail, model.coverages, JUDGEMENT_COVERAGE);
    if (tail && banded) return judgementOfSide(!banded.beyondJudgement ? 'as-expected' : tail.side === 'above' ? 'higher' : 'lower', options.polarity);
    return funnelJudgement(ratio * options.multiplier, unadjustedFunnelLimits(model, precision)[0], options.polarity);
  });
}

function estimateOf(scale: string, method: Pick<SweepMethod, 'trimMethod' | 'trimFraction'>, overdispersion: { phi: number; tau2: number; pValue: number; n: number }): SweepOverdispersion {
  const { phi, tau2, pValue, n } = overdispersion;
  return { scale, trimMethod: method.trimMethod, trimFraction: method.trimFraction, phi, tau2, pValue, n };
}

/** τ²'s interval from the kept providers: their (clamped) z times s, on the transformed scale about the centre. */
function intervalOf(trimmedZ: readonly (number | null)[], s: readonly number[]): Tau2ConfidenceInterval | null {
  const kept = trimmedZ.flatMap((z, i) => (z === null ? [] : [{ y: z * s[i], s: s[i] }]));
  return kept.length >= 2 ? tau2ConfidenceInterval(kept.map((k) => k.y), kept.map((k) => k.s)) : null;
}

function normalVerdicts(input: Extract<SensitivityInput, { measure: 'normal' }>, methods: readonly SweepMethod[]): SweepVerdicts {
  const estimates = new Map<string, SweepOverdispersion>();
  const verdicts = methods.map((method) => {
    const result = funnelAnalysis({
      ...input,
      adjustment: method.adjustment,
      trimFraction: method.trimFraction,
      trimMethod: method.trimMethod,
      limits: [JUDGEMENT_COVERAGE],
      curves: false,
      providerLimits: false,
    });
    const key = `${method.trimMethod}|${method.trimFraction}`;
    if (method.adjustment !== 'none' && !estimates.has(key)) estimates.set(key, estimateOf(result.scale, method, result.overdispersion));
    return result.providers.map((p) => p.judgement);
  });
  return { verdicts, overdispersion: [...estimates.values()] };
}

const sensitivityMeasures = { proportion: 'proportion', crude_rate: 'rate', indirectly_standardised_ratio: 'ratio' } as const;

/** The judged providers of an indicator's funnel (as `indicatorFunnel` drew it around the pooled benchmark) as numbers for the sweep; null when none is judged. */
function sensitivityInputOf(indicator: IndicatorDefinition, funnel: IndicatorFunnel): SensitivityInput | null {
  const judged = funnel.providers.filter((provider) => !provider.suppressed && provider.judgement !== null);
  if (judged.length === 0) return null;
  const polarity = indicator.polarity.replace(/_/g, '-') as Polarity;
  if (funnel.measure === 'normal') {
    return {
      measure: 'normal',
      scale: funnel.scale === 'log' ? 'log' : 'linear',
      polarity,
      providers: judged.map((provider) => ({ id: provider.code, value: provider.value!, standardError: 1 / Math.sqrt(provider.precision!) })),
    };
  }
  return {
    measure: sensitivityMeasures[indicator.measureKind as keyof typeof sensitivityMeasures],
    polarity,
    multiplier: indicator.multiplier,
    providers: judged.map((provider) => ({ id: provider.code, numerator: provider.numerator!, denominator: provider.denominator! })),
  };
}

/** The sweep over the providers judged on an indicator's funnel; null when none is. Suppressed providers carry no figures and take no part. */
export function funnelSweep(indicator: IndicatorDefinition, funnel: IndicatorFunnel): MethodSensitivity | null {
  const input = sensitivityInputOf(indicator, funnel);
  return input ? methodSensitivity(input) : null;
}

/** {@link funnelSweep}'s providers keyed by code. */
export function funnelMethodSensitivity(indicator: IndicatorDefinition, funnel: IndicatorFunnel): Map<string, ProviderSensitivity> {
  return new Map((funnelSweep(indicator, funnel)?.providers ?? []).map((provider) => [provider.id, provider]));
}

/**
 * φ and τ² of an indicator's funnel as its own method estimates them (its convention's scale, its trimming), with
 * τ²'s Q-profile 95 % interval: what the funnel reports as its overdispersion, and how sure that τ² is.
 */
export function funnelOverdispersionEstimate(
  indicator: IndicatorDefinition, funnel: IndicatorFunnel, options: Pick<IndicatorFunnelOptions, 'convention' | 'trimFraction' | 'trimMethod'>,
): FunnelOverdispersionEstimate | null {
  const input = sensitivityInputOf(indicator, funnel);
  if (!input) return null;
  const method = { trimFraction: options.trimFraction, trimMethod: options.trimMethod ?? (options.convention === 'shmi' ? 'truncate' : 'winsorise') } as const;
  if (input.measure === 'normal') {
    const result = funnelAnalysis({ ...input, adjustment: 'additive', trimFraction: method.trimFraction, trimMethod: method.trimMethod, curves: false, providerLimits: false });
    return { ...estimateOf(result.scale, method, result.overdispersion), tau2Interval: intervalOf(result.providers.map((p) => p.trimmedZ), result.providers.map((p) => p.s)) };
  }
  const group = scaleGroup(input, options.convention);
  const { overdispersion, trimmedZ } = trimmedOverdispersion(group.centredZ, group.centredS, 'additive', method.trimFraction, method.trimMethod);
  return { ...estimateOf(group.options.scale, method, overdispersion), tau2Interval: intervalOf(trimmedZ, group.centredS) };
}
