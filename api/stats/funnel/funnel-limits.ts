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
  return { unadjusted: unadjustedFunnelLimits(model, precision), adjusted: adjustedFunnelLimits(model, precision) };
}

/** The adjusted half of {@link funnelLimits}: closed forms on the transformed scale. */
export function adjustedFunnelLimits(model: FunnelLimitModel, precision: number): FunnelLimit[] {
  requirePrecision(model, precision);
  const { measure, target } = model;
  // A rate is a ratio O/(θn) scaled by θ: both its z-scores and its adjusted limits live on the ratio scale.
  const adjustedTarget = measure === 'rate' ? 1 : target;
  const adjustedPrecision = measure === 'rate' ? target * precision : precision;
  const adjustedFactor = measure === 'rate' ? target : 1;
  return model.coverages.map((coverage) =>
    scaled(model, transformedAt(model, adjustedTarget, adjustedPrecision, coverage, model.tau2, model.phi), adjustedFactor),
  );
}

/** The unadjusted half of {@link funnelLimits}: exact limits invert a quantile for each side and coverage. */
export function unadjustedFunnelLimits(model: FunnelLimitModel, precision: number): FunnelLimit[] {
  requirePrecision(model, precision);
  return model.coverages.map((coverage) => scaled(model, unadjustedAt(model, precision, coverage), 1));
}

function requirePrecision(model: FunnelLimitModel, precision: number): void {
  const positive = precision > 0 || (model.measure === 'ratio-of-counts' && precision === 0);
  requireInput(positive && Number.isFinite(precision), 'funnelLimits', 'a finite precision greater than zero');
}

function scaled(model: FunnelLimitModel, limit: FunnelLimit, factor: number): FunnelLimit {
  return { coverage: limit.coverage, lower: limit.lower * factor * model.multiplier, upper: limit.upper * factor * model.multiplier };
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
