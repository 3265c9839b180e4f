import { requireInput } from '../errors';
import { poissonCountLimits, type PoissonLimitMethod } from './poisson-count-limits';
import { proportionLimits, type ProportionLimitMethod } from './proportion-limits';
import { standardErrorAtPrecision, transformedLimits } from './transformed-limits';
import type { FunnelLimit, FunnelScale } from './types';

/**
 * What a funnel compares: 'ratio' O/E (precision E), 'proportion' x/n (precision n), 'rate' O/n per
 * unit of population (precision n, expected count θn) and 'ratio-of-counts' O/E of two counts (precision E).
 */
export type FunnelMeasure = 'ratio' | 'proportion' | 'rate' | 'ratio-of-counts';

/** Everything that fixes the limits of one funnel, so the limits at any precision follow. */
export interface FunnelLimitModel {
  measure: FunnelMeasure;
  /** Scale of the adjusted (transformed) limits. */
  scale: FunnelScale;
  /** θ on the natural scale: 1 for ratios, a proportion, or events per unit of population. */
  target: number;
  coverages: readonly number[];
  poissonLimits: PoissonLimitMethod;
  /** 'arcsine' draws FunnelPlotR's unadjusted proportion limits: the transformed limits with τ² = 0. */
  proportionLimits: ProportionLimitMethod | 'arcsine';
  /** Overdispersion as applied: τ² = 0 and φ = 1 when none is. */
  tau2: number;
  phi: number;
  /** Values and limits are reported × multiplier (100 for per cent, 100 000 for rates per 100 000). */
  multiplier: number;
}

export interface FunnelLimitsAtPrecision {
  /** Exact Poisson or binomial limits (normal on the transformed scale for arcsine and ratios of counts). */
  unadjusted: FunnelLimit[];
  /** Limits on the transformed scale with the overdispersion applied; the normal approximation when none is. */
  adjusted: FunnelLimit[];
}

/**
 * Funnel limits at one precision (Spiegelhalter 2005, Stat Med 24:1185 and QSHC 14:347; methods.md).
 * Ratios: θ times the Poisson limits about 1 at E (FunnelPlotR's form). Rates: Poisson limits on the
 * expected count θn, divided by n, and ratio limits × θ on the adjusted scale. Proportions: see
 * proportion-limits.ts.
 */
export function funnelLimits(model: FunnelLimitModel, precision: number): FunnelLimitsAtPrecision {
  const positive = precision > 0 || (model.measure === 'ratio-of-counts' && precision === 0);
  requireInput(positive && Number.isFinite(precision), 'funnelLimits', 'a finite precision greater than zero');
  const { measure, target, multiplier } = model;
  const scaled = (limit: FunnelLimit, factor: number): FunnelLimit => ({
    coverage: limit.coverage,
    lower: limit.lower * factor * multiplier,
    upper: limit.upper * factor * multiplier,
  });
  // A rate is a ratio O/(θn) scaled by θ: both its z-scores and its adjusted limits live on the ratio scale.
  const adjustedTarget = measure === 'rate' ? 1 : target;
  const adjustedPrecision = measure === 'rate' ? target * precision : precision;
  const adjustedFactor = measure === 'rate' ? target : 1;
  const adjusted = model.coverages.map((coverage) =>
    scaled(transformedAt(model, adjustedTarget, adjustedPrecision, coverage, model.tau2, model.phi), adjustedFactor),
  );
  const unadjusted = model.coverages.map((coverage) => scaled(unadjustedAt(model, precision, coverage), 1));
  return { unadjusted, adjusted };
}

function unadjustedAt(model: FunnelLimitModel, precision: number, coverage: number): FunnelLimit {
  const { measure, target } = model;
  if (measure === 'ratio') {
    const counts = poissonCountLimits(precision, coverage, model.poissonLimits);
    return { coverage, lower: (target * counts.lower) / precision, upper: (target * counts.upper) / precision };
  }
  if (measure === 'rate') {
    const counts = poissonCountLimits(target * precision, coverage, model.poissonLimits);
    return { coverage, lower: counts.lower / precision, upper: counts.upper / precision };
  }
  if (measure === 'proportion' && model.proportionLimits !== 'arcsine') {
    return { coverage, ...proportionLimits(precision, coverage, target, model.proportionLimits) };
  }
  return transformedAt(model, target, precision, coverage, 0, 1);
}

function transformedAt(model: FunnelLimitModel, target: number, precision: number, coverage: number, tau2: number, phi: number): FunnelLimit {
  const s = standardErrorAtPrecision(model.scale, precision, target);
  return transformedLimits({ scale: model.scale, target, s, coverage, tau2, phi });
}
