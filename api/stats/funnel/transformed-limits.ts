import { requireInput } from '../errors';
import { coverageZ } from './coverage';
import type { FunnelLimit, FunnelScale } from './types';

/**
 * Standard error on a transformed scale at a precision (E for ratios, n for proportions), under the
 * target θ (Spiegelhalter 2005, QSHC 14:347, Table 1). For the ratio of counts it is √(1/(θE) + 1/E),
 * the delta-method error of ln(O/E) when O ≈ θE: FunnelPlotR 0.6.0 draws 1/(2√E) there while its
 * z-scores use √(O/(O+½)² + E/(E+½)²), a defect the product does not copy.
 */
export function standardErrorAtPrecision(scale: FunnelScale, precision: number, target: number): number {
  // Precision 0 (a ratio of counts with no denominator events) gives s = ∞: limits spanning the whole scale.
  requireInput(precision >= 0 && Number.isFinite(precision), 'standardErrorAtPrecision', 'a finite precision of at least zero');
  switch (scale) {
    case 'log':
      return 1 / Math.sqrt(precision);
    case 'square-root':
    case 'arcsine':
      return 1 / (2 * Math.sqrt(precision));
    case 'proportion':
      return Math.sqrt((target * (1 - target)) / precision);
    case 'log-ratio-of-counts':
      return Math.sqrt(1 / (target * precision) + 1 / precision);
  }
}

export interface TransformedLimitInput {
  scale: FunnelScale;
  /** θ on the natural scale. */
  target: number;
  /** Standard error at the precision, from {@link standardErrorAtPrecision}. */
  s: number;
  coverage: number;
  /** Additive between-provider variance (DerSimonian–Laird); 0 for none. */
  tau2?: number;
  /** Multiplicative overdispersion factor; 1 for none. */
  phi?: number;
}

/**
 * Limits drawn on a variance-stabilising scale and back-transformed (Spiegelhalter 2005, QSHC 14:347;
 * methods.md step 4): θₜ ± z·√(φ·s² + τ²), then exp for the log scales, squared for the square-root
 * scale and sin² for the arcsine scale. φ = 1 and τ² = 0 give the unadjusted normal approximation.
 * The square-root limits are squared back as the paper does (FunnelPlotR 0.6.0 does not: its issue #33).
 * Limits that cross the edge of the transformed range (below 0 for square roots, outside [0, π/2]
 * for arcsines, outside [0, 1] for proportions) are held at the edge.
 */
export function transformedLimits({ scale, target, s, coverage, tau2 = 0, phi = 1 }: TransformedLimitInput): FunnelLimit {
  requireInput(s >= 0, 'transformedLimits', 'a standard error of at least zero');
  requireInput(tau2 >= 0 && phi > 0, 'transformedLimits', 'τ² of at least zero and φ greater than zero');
  const half = coverageZ(coverage) * Math.sqrt(phi * s * s + tau2);
  switch (scale) {
    case 'log':
    case 'log-ratio-of-counts': {
      requireInput(target > 0, 'transformedLimits', 'a target greater than zero on a log scale');
      const centre = Math.log(target);
      return { coverage, lower: Math.exp(centre - half), upper: Math.exp(centre + half) };
    }
    case 'square-root': {
      requireInput(target >= 0, 'transformedLimits', 'a target of at least zero on the square-root scale');
      const centre = Math.sqrt(target);
      return { coverage, lower: Math.max(0, centre - half) ** 2, upper: (centre + half) ** 2 };
    }
    case 'arcsine': {
      requireInput(target >= 0 && target <= 1, 'transformedLimits', 'a target proportion between 0 and 1');
      const centre = Math.asin(Math.sqrt(target));
      return { coverage, lower: Math.sin(Math.max(0, centre - half)) ** 2, upper: Math.sin(Math.min(Math.PI / 2, centre + half)) ** 2 };
    }
    case 'proportion':
      requireInput(target >= 0 && target <= 1, 'transformedLimits', 'a target proportion between 0 and 1');
      return { coverage, lower: Math.max(0, target - half), upper: Math.min(1, target + half) };
  }
}
