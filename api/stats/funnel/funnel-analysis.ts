import { requireInput } from '../errors';
import {
  precisionOf,
  resolveOptions,
  type FunnelAnalysisInput,
  type FunnelConvention,
  type OverdispersionAdjustment,
  type ResolvedOptions,
  type TrimMethod,
} from './funnel-analysis-options';
import { funnelBand, type FunnelBand } from './funnel-band';
import { funnelLimitCurves, type FunnelCurve } from './funnel-limit-curves';
import { funnelLimits, type FunnelLimitModel, type FunnelLimitsAtPrecision, type FunnelMeasure } from './funnel-limits';
import { funnelJudgement, type Judgement } from './judgement';
import { additiveOverdispersion } from './overdispersion';
import type { PoissonLimitMethod } from './poisson-count-limits';
import type { ProportionLimitMethod } from './proportion-limits';
import { shmiBand } from './shmi-band';
import { truncateZScores } from './truncate';
import type { FunnelScale } from './types';
import { winsoriseZScores } from './winsorise';
import { funnelZScore } from './z-score';

export interface FunnelProviderResult {
  id: string;
  numerator: number;
  denominator: number;
  /** The x-axis: E (rounded if asked) for ratios, n for proportions and rates. */
  precision: number;
  /** numerator/denominator × multiplier. */
  value: number;
  y: number;
  s: number;
  z: number;
  /** The z used for φ: winsorised, or null when truncation dropped the provider. */
  trimmedZ: number | null;
  /** Winsorised (not strictly inside the quantiles) or truncated. */
  trimmed: boolean;
  band: FunnelBand;
  judgement: Judgement;
  limitsAtPrecision: FunnelLimitsAtPrecision;
  /** SHMI convention only: 1 higher than expected, 2 as expected, 3 lower than expected. */
  shmiBand?: 1 | 2 | 3;
}

export interface FunnelAnalysisResult {
  measure: FunnelMeasure;
  convention: FunnelConvention;
  scale: FunnelScale;
  /** θ × multiplier, on the scale of the values and limits. */
  target: number;
  /** θ on the z-score scale (a rate's z-scores are those of the ratio O/(θn), whose target is 1). */
  targetTransformed: number;
  multiplier: number;
  unadjustedLimits: PoissonLimitMethod | ProportionLimitMethod | 'arcsine' | 'normal-log';
  overdispersion: {
    method: OverdispersionAdjustment;
    phi: number;
    tau2: number;
    pValue: number;
    /** Providers the estimate used. */
    n: number;
    trimFraction: number;
    trimMethod: TrimMethod;
    /** Whether the adjusted limits are the ones that band: φ > 1 (and τ² > 0 for additive) with two or more providers. */
    applied: boolean;
  };
  providers: FunnelProviderResult[];
  curves: FunnelCurve[];
}

/**
 * Funnel plot analysis of providers against a target (Spiegelhalter 2005, Stat Med 24:1185 and QSHC
 * 14:347; DerSimonian & Laird 1986; NHS Digital SHMI methodology; CQC; methods.md): z-scores on a
 * variance-stabilising scale, winsorised or truncated, φ and τ², limits at each provider's precision
 * and as curves, then a band and a polarity-aware judgement per provider. Limits are inclusive.
 */
export function funnelAnalysis(input: FunnelAnalysisInput): FunnelAnalysisResult {
  const options = resolveOptions(input);
  const { measure, providers, multiplier } = options;
  const target = options.target;
  const precisions = providers.map((p) => precisionOf(options, p));
  const transformed = providers.map((p, i) =>
    measure === 'rate' ? funnelZScore(options.scale, p.numerator, target * precisions[i], 1) : funnelZScore(options.scale, p.numerator, precisions[i], target),
  );
  const z = transformed.map((t) => t.z);
  requireInput(z.every(Number.isFinite), 'funnelAnalysis', 'finite z-scores (a proportion target of 0 or 1 leaves no variation on the proportion scale)');

  const trim = trimZScores(z, options.trimFraction, options.trimMethod);
  const keptZ = trim.trimmedZ.filter((value): value is number => value !== null);
  const keptS = transformed.filter((_, i) => trim.trimmedZ[i] !== null).map((t) => t.s);
  const estimate = additiveOverdispersion(keptZ, keptS);
  const { adjustment } = options;
  const applied = adjustment !== 'none' && estimate.n > 1 && estimate.phi > 1 && (adjustment === 'multiplicative' || estimate.tau2 > 0);

  const model: FunnelLimitModel = {
    measure,
    scale: options.scale,
    target,
    coverages: options.limits,
    poissonLimits: options.poissonLimits,
    proportionLimits: options.proportionLimits,
    tau2: applied && adjustment === 'additive' ? estimate.tau2 : 0,
    phi: applied && adjustment === 'multiplicative' ? estimate.phi : 1,
    multiplier,
  };
  const judgementIndex = options.limits.indexOf(options.judgementCoverage);

  const results = providers.map((p, i): FunnelProviderResult => {
    const limitsAtPrecision = funnelLimits(model, precisions[i]);
    const banding = applied ? limitsAtPrecision.adjusted : limitsAtPrecision.unadjusted;
    const value = (p.numerator / p.denominator) * multiplier;
    const result: FunnelProviderResult = {
      id: p.id,
      numerator: p.numerator,
      denominator: p.denominator,
      precision: precisions[i],
      value,
      y: transformed[i].y,
      s: transformed[i].s,
      z: transformed[i].z,
      trimmedZ: trim.trimmedZ[i],
      trimmed: trim.trimmed[i],
      band: funnelBand(value, banding),
      judgement: funnelJudgement(value, banding[judgementIndex], options.polarity),
      limitsAtPrecision,
    };
    if (options.convention === 'shmi') result.shmiBand = shmiBand(value / multiplier, precisions[i], model.tau2);
    return result;
  });

  return {
    measure,
    convention: options.convention,
    scale: options.scale,
    target: target * multiplier,
    targetTransformed: transformed[0].targetTransformed,
    multiplier,
    unadjustedLimits: unadjustedMethodName(options),
    overdispersion: {
      method: adjustment,
      phi: estimate.phi,
      tau2: estimate.tau2,
      pValue: estimate.pValue,
      n: estimate.n,
      trimFraction: options.trimFraction,
      trimMethod: options.trimMethod,
      applied,
    },
    providers: results,
    curves: curvesFor(model, precisions, options.curvePoints),
  };
}

function trimZScores(z: number[], fraction: number, method: TrimMethod): { trimmedZ: (number | null)[]; trimmed: boolean[] } {
  if (fraction === 0) return { trimmedZ: z, trimmed: z.map(() => false) };
  if (method === 'winsorise') {
    const { values, winsorised } = winsoriseZScores(z, fraction);
    return { trimmedZ: values, trimmed: winsorised };
  }
  const { kept } = truncateZScores(z, fraction);
  return { trimmedZ: z.map((value, i) => (kept[i] ? value : null)), trimmed: kept.map((k) => !k) };
}

function unadjustedMethodName(options: ResolvedOptions): FunnelAnalysisResult['unadjustedLimits'] {
  if (options.measure === 'proportion') return options.proportionLimits;
  if (options.measure === 'ratio-of-counts') return 'normal-log';
  return options.poissonLimits;
}

/** Curves span the providers' precisions; a ratio of counts may have precision 0, which a log axis cannot show. */
function curvesFor(model: FunnelLimitModel, precisions: number[], points: number): FunnelCurve[] {
  const positive = precisions.filter((precision) => precision > 0);
  return funnelLimitCurves(model, Math.min(...positive), Math.max(...positive), points);
}
