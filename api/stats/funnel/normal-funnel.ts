import { requireInput } from '../errors';
import { coverageZ } from './coverage';
import { funnelBand } from './funnel-band';
import type { FunnelCurve } from './funnel-limit-curves';
import { logSpacedPrecisions } from './funnel-limit-curves';
import type { FunnelLimitsAtPrecision } from './funnel-limits';
import { trimmedOverdispersion, type FunnelOverdispersion } from './funnel-overdispersion';
import { funnelJudgement } from './judgement';
import { resolveNormalOptions, type NormalFunnelAnalysisInput, type NormalFunnelScale } from './normal-funnel-options';
import type { FunnelLimit, FunnelPosition } from './types';

export interface NormalFunnelProviderBand extends FunnelPosition {
  id: string;
  /** As given, on the natural scale; y is value, or ln(value) on the log scale, and s is standardError. */
  value: number;
  standardError: number;
}

export interface NormalFunnelProviderResult extends NormalFunnelProviderBand {
  limitsAtPrecision: FunnelLimitsAtPrecision;
}

export interface NormalFunnelAnalysisResult<P extends NormalFunnelProviderBand = NormalFunnelProviderResult> {
  measure: 'normal';
  scale: NormalFunnelScale;
  /** θ on the natural scale. */
  target: number;
  /** θ on the scale of y. */
  targetTransformed: number;
  targetMethod: 'inverse-variance-weighted-mean' | 'given';
  /** θ ± z·s on the funnel's scale, back-transformed with exp for 'log'. */
  unadjustedLimits: 'normal';
  overdispersion: FunnelOverdispersion;
  providers: P[];
  curves: FunnelCurve[];
}

/**
 * The normal case of Spiegelhalter 2005 (Stat Med 24:1185, §2): y with standard error s against θ,
 * z = (y − θ)/s, precision 1/s² on the x-axis, limits θ ± z_α·√(φ·s² + τ²) (φ = 1, τ² = 0 unadjusted),
 * φ and the DerSimonian–Laird τ² from the trimmed z around the providers' inverse-variance weighted mean,
 * whatever the target, as for the other measures (methods.md steps 2–5).
 * On the log scale y = ln(value) and the limits are drawn back with exp. Limits are inclusive.
 */
export function normalFunnelAnalysis(input: NormalFunnelAnalysisInput, providerLimits: boolean): NormalFunnelAnalysisResult<NormalFunnelProviderBand> {
  const options = resolveNormalOptions(input);
  const { providers, y, targetTransformed: centre, limits: coverages } = options;
  const count = providers.length;
  // Typed columns rather than arrays of boxed numbers: linear time and memory at a million providers.
  const s = new Float64Array(count);
  const z = new Float64Array(count);
  // φ and τ² are a property of the providers: estimated around their own centre, not the target.
  const centredZ = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    s[i] = providers[i].standardError;
    z[i] = (y[i] - centre) / s[i];
    centredZ[i] = (y[i] - options.centreTransformed) / s[i];
  }
  requireInput(z.every(Number.isFinite), 'funnelAnalysis', 'finite z-scores');
  const { overdispersion, trimmedZ, trimmed } = trimmedOverdispersion(centredZ, s, options.adjustment, options.trimFraction, options.trimMethod);
  const { applied, method } = overdispersion;
  const phi = applied && method === 'multiplicative' ? overdispersion.phi : 1;
  const tau2 = applied && method === 'additive' ? overdispersion.tau2 : 0;
  const zs = coverages.map(coverageZ);
  const log = options.scale === 'log';
  const limitsFor = (se: number, adjusted: boolean) =>
    coverages.map((coverage, c) => normalLimit(centre, se, coverage, zs[c], adjusted ? phi : 1, adjusted ? tau2 : 0, log));
  const judgementIndex = coverages.indexOf(options.judgementCoverage);

  let lowest = Infinity;
  let highest = -Infinity;
  const results = new Array<NormalFunnelProviderBand | NormalFunnelProviderResult>(count);
  for (let i = 0; i < count; i++) {
    const p = providers[i];
    const adjusted = limitsFor(s[i], true);
    const banding = applied ? adjusted : limitsFor(s[i], false);
    const precision = 1 / (s[i] * s[i]);
    if (precision < lowest) lowest = precision;
    if (precision > highest) highest = precision;
    const result: NormalFunnelProviderBand = {
      id: p.id,
      value: p.value,
      standardError: p.standardError,
      precision,
      y: y[i],
      s: s[i],
      z: z[i],
      trimmedZ: trimmedZ[i],
      trimmed: trimmed[i],
      band: funnelBand(p.value, banding),
      judgement: funnelJudgement(p.value, banding[judgementIndex], options.polarity),
    };
    results[i] = providerLimits ? { ...result, limitsAtPrecision: { unadjusted: applied ? limitsFor(s[i], false) : banding, adjusted } } : result;
  }

  const curves = options.curves ? normalCurves(logSpacedPrecisions(lowest, highest, options.curvePoints)) : [];
  function normalCurves(grid: number[]): FunnelCurve[] {
    return ([false, true] as const).flatMap((adjusted) =>
      coverages.map((coverage, c): FunnelCurve => ({
        coverage,
        kind: adjusted ? 'adjusted' : 'unadjusted',
        points: grid.map((precision) => {
          const { lower, upper } = normalLimit(centre, 1 / Math.sqrt(precision), coverage, zs[c], adjusted ? phi : 1, adjusted ? tau2 : 0, log);
          return { precision, lower, upper };
        }),
      })),
    );
  }

  return {
    measure: 'normal',
    scale: options.scale,
    target: input.target ?? (log ? Math.exp(centre) : centre),
    targetTransformed: centre,
    targetMethod: options.targetMethod,
    unadjustedLimits: 'normal',
    overdispersion,
    providers: results,
    curves,
  };
}

function normalLimit(centre: number, s: number, coverage: number, z: number, phi: number, tau2: number, log: boolean): FunnelLimit {
  const half = z * Math.sqrt(phi * s * s + tau2);
  return log ? { coverage, lower: Math.exp(centre - half), upper: Math.exp(centre + half) } : { coverage, lower: centre - half, upper: centre + half };
}
