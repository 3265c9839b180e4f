import { attributeChart, type AttributeChart } from './attribute-chart';
import type { SegmentOptions } from './chart-segments';

/** d₂ for moving ranges of two points: the mean moving range of a unit-variance series (Laney 2002 uses 1.128). */
export const MOVING_RANGE_D2 = 1.128;

/**
 * Laney's σ_z: the mean moving range of the standardised values zᵢ divided by 1.128 (Laney 2002), so 1 when
 * they vary as the binomial or Poisson model expects, more with overdispersion. `null` without two finite
 * values (a one-point baseline, or a centre of 0 or 1 that standardises every value to 0/0).
 */
export function laneySigmaZ(standardised: readonly number[]): number | null {
  if (standardised.length < 2 || !standardised.every(Number.isFinite)) return null;
  let total = 0;
  for (let i = 1; i < standardised.length; i++) total += Math.abs(standardised[i] - standardised[i - 1]);
  return total / (standardised.length - 1) / MOVING_RANGE_D2;
}

/**
 * Laney p′ chart for proportions (Laney, "Improved control charts for attributes", Quality Engineering
 * 2002;14(4):531-537): per segment p̄ = Σx / Σn over the baseline, σ_pᵢ = √(p̄(1 − p̄)/nᵢ),
 * zᵢ = (pᵢ − p̄)/σ_pᵢ, σ_z = mean moving range of the baseline's z / 1.128, limits p̄ ± 3·σ_pᵢ·σ_z and two-sigma
 * band p̄ ± 2·σ_pᵢ·σ_z, clamped to [0, 1]. The p chart's limits widened (or narrowed) by the variation between
 * periods that the binomial model does not explain, as an XmR chart of the z-scores would. Moving ranges never
 * cross a rebase; a baseline needs two points.
 */
export function pPrimeChart(numerators: readonly number[], denominators: readonly number[], options: SegmentOptions = {}): AttributeChart {
  return attributeChart(numerators, denominators, options, {
    functionName: 'pPrimeChart',
    sigma: (centre, denominator) => Math.sqrt((centre * (1 - centre)) / denominator),
    ceiling: 1,
    numeratorWithinDenominator: true,
    betweenSubgroupSpread: laneySigmaZ,
  });
}

/**
 * Laney u′ chart for rates of events per unit of exposure (Laney 2002): as `pPrimeChart` with the Poisson
 * σ_uᵢ = √(ū / nᵢ); limits ū ± 3·σ_uᵢ·σ_z, the lower ones clamped at 0.
 */
export function uPrimeChart(numerators: readonly number[], denominators: readonly number[], options: SegmentOptions = {}): AttributeChart {
  return attributeChart(numerators, denominators, options, {
    functionName: 'uPrimeChart',
    sigma: (centre, denominator) => Math.sqrt(centre / denominator),
    ceiling: Infinity,
    numeratorWithinDenominator: false,
    betweenSubgroupSpread: laneySigmaZ,
  });
}
