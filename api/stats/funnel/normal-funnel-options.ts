import { requireInput } from '../errors';
import { resolveCoverages, resolveCurvePoints, resolveTrimFraction, type FunnelMethodOptions, type OverdispersionAdjustment, type TrimMethod } from './funnel-analysis-options';

/**
 * The scale a normal funnel compares on: 'linear' takes values and standard errors as given; 'log'
 * compares ln(value), the standard error being that of ln(value), and draws limits back with exp.
 */
export type NormalFunnelScale = 'linear' | 'log';

/** One provider of a measure published with a standard error (a mean, or a DSR with its interval). */
export interface NormalFunnelProviderInput {
  id: string;
  /** On the natural scale (a DSR of 512.3, not its logarithm), whatever the funnel's scale. */
  value: number;
  /** On the funnel's scale: of the value for 'linear', of ln(value) for 'log' (see standardErrorFromInterval). */
  standardError: number;
}

/**
 * A funnel for measures with a standard error (Spiegelhalter 2005, Stat Med 24:1185, §2, the normal
 * case). Options not listed behave as in FunnelAnalysisInput.
 */
export interface NormalFunnelAnalysisInput extends FunnelMethodOptions {
  measure: 'normal';
  providers: readonly NormalFunnelProviderInput[];
  /** Default 'linear'. */
  scale?: NormalFunnelScale;
  /** θ on the natural scale; default the inverse-variance weighted mean of y (for 'log', exp of that of ln(value)). */
  target?: number;
  /**
   * The providers' own centre on the natural scale, around which φ and τ² are estimated whatever the target;
   * default the inverse-variance weighted mean. A measure whose centre is defined otherwise (an SHMI's 1, a
   * pooled proportion) passes it.
   */
  centre?: number;
  /** Default 'multiplicative' (Spiegelhalter's); applied only when φ > 1. */
  adjustment?: OverdispersionAdjustment;
  /** Default 'winsorise'. */
  trimMethod?: TrimMethod;
}

export interface ResolvedNormalOptions extends Required<Omit<NormalFunnelAnalysisInput, 'target' | 'centre'>> {
  /** θ on the scale of y. */
  targetTransformed: number;
  targetMethod: 'inverse-variance-weighted-mean' | 'given';
  /** The providers' own centre on the scale of y, around which φ and τ² are estimated whatever the target. */
  centreTransformed: number;
  /** Per provider: value or ln(value). */
  y: number[];
}

const NAME = 'funnelAnalysis';

export function resolveNormalOptions(input: NormalFunnelAnalysisInput): ResolvedNormalOptions {
  const { providers } = input;
  const scale = input.scale ?? 'linear';
  requireInput(providers.length > 0, NAME, 'at least one provider');
  for (const { value, standardError } of providers) {
    requireInput(Number.isFinite(value) && Number.isFinite(standardError), NAME, 'values and standard errors that are finite numbers');
    requireInput(standardError > 0, NAME, 'standard errors greater than zero');
    requireInput(scale === 'linear' || value > 0, NAME, 'values greater than zero on the log scale');
  }
  const y = providers.map((p) => (scale === 'log' ? Math.log(p.value) : p.value));
  const { limits, judgementCoverage } = resolveCoverages(input);
  const trimFraction = resolveTrimFraction(input);
  const curvePoints = resolveCurvePoints(input);
  const given = input.target;
  const onScale = (value: number) => (scale === 'log' ? Math.log(value) : value);
  if (input.centre !== undefined) {
    requireInput(Number.isFinite(input.centre) && (scale === 'linear' || input.centre > 0), NAME, scale === 'log' ? 'a centre greater than zero on the log scale' : 'a finite centre');
  }
  const centreTransformed = input.centre === undefined ? inverseVarianceMean(y, providers) : onScale(input.centre);
  if (given !== undefined) {
    requireInput(Number.isFinite(given) && (scale === 'linear' || given > 0), NAME, scale === 'log' ? 'a target greater than zero on the log scale' : 'a finite target');
  }
  return {
    ...input,
    scale,
    targetTransformed: given === undefined ? centreTransformed : onScale(given),
    centreTransformed,
    targetMethod: given === undefined && input.centre === undefined ? 'inverse-variance-weighted-mean' : 'given',
    y,
    adjustment: input.adjustment ?? 'multiplicative',
    trimFraction,
    trimMethod: input.trimMethod ?? 'winsorise',
    limits,
    judgementCoverage,
    polarity: input.polarity ?? 'no-judgement',
    curvePoints,
    curves: input.curves ?? true,
  };
}

/** Σwᵢyᵢ / Σwᵢ with wᵢ = 1/sᵢ², the fixed-effect pooled estimate, taken about y₁ so identical values give exactly y₁. */
function inverseVarianceMean(y: readonly number[], providers: readonly NormalFunnelProviderInput[]): number {
  let weighted = 0;
  let total = 0;
  providers.forEach(({ standardError }, i) => {
    const w = 1 / (standardError * standardError);
    weighted += w * (y[i] - y[0]);
    total += w;
  });
  return y[0] + weighted / total;
}
